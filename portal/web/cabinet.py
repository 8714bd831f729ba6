"""The personal cabinet: home, "Notifications", "Edit profile" (G-6 … G-8)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.domain.workflow.versions import runtime_for
from portal.forms.directory import ContactForm
from portal.infra.database import db
from portal.models import Application, Notification, utcnow
from portal.web.engine.display import t
from portal.web.i18n import lang

bp = Blueprint("cabinet", __name__)
PAGE = 50


def unread_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None))) or 0


@bp.app_context_processor
def _cabinet_context():
    if getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": unread_count}
    return {}


@bp.route("/")
def home():
    from portal.web.lists import awaiting
    return render_template("cabinet/home.html", tasks=awaiting(current_user))


@bp.route("/notifications")
def notifications():
    rows = db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                              .order_by(Notification.id.desc()).limit(PAGE)).all()
    return render_template("cabinet/notifications.html", notifications=_as_read_now(rows))


def _as_read_now(rows: list[Notification]) -> list[tuple[Notification, str, str]]:
    """Each notification with its message and procedure in the reader's language of now,
    not the one it was written in (older rows without texts keep their message)."""
    ids = {row.application_id for row in rows if row.application_id}
    apps = {app.id: app for app in db.session.scalars(
        select(Application).where(Application.id.in_(ids))
        .options(joinedload(Application.procedure_version)))} if ids else {}
    shown = []
    for row in rows:
        app = apps.get(row.application_id)
        procedure = t(runtime_for(app.procedure_version).procedure.name) if app else None
        shown.append((row, (row.texts or {}).get(lang()) or row.message,
                      procedure or row.procedure_name or ""))
    return shown


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
def notification_read(notification_id: int):
    row = db.get_or_404(Notification, notification_id, lambda r: r.user_id == current_user.id)
    row.read_at = row.read_at or utcnow()
    db.session.commit()
    return redirect(url_for("cabinet.notifications"))


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    form = ContactForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("cabinet.profile"))
    return render_template("cabinet/profile.html", form=form)
