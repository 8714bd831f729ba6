"""User-menu tabs about organisations: "Users", "Partnership", "Normative base",
"Exchange insiders" (G-9.2, G-9.3, G-9.7, G-9.8)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.domain.accounts import organisations as directory
from portal.domain.accounts.users import EmailTaken, NewUser, create_user
from portal.forms.directory import PartnerForm, RemovalRequestForm, UserForm
from portal.infra.database import db
from portal.infra.mail import queue_mail
from portal.infra.storage import send_attachment
from portal.models import ExchangeInsider, NormativeDocument
from portal.web import labels, trail
from portal.web.i18n import lang

bp = Blueprint("directory", __name__)


def new_user_from(form: UserForm, staff_roles=()) -> NewUser:
    return NewUser(surname=form.surname.data, name=form.name.data, patronymic=form.patronymic.data,
                   position=form.position.data, email=form.email.data, phone=form.phone.data,
                   iin=form.iin.data, language=form.language.data,
                   is_org_admin=form.is_org_admin.data, is_first_head=form.is_first_head.data,
                   staff_roles=tuple(staff_roles))


def add_user_and_mail(organisation, form: UserForm, staff_roles=()) -> bool:
    """Create the account and queue its set-password mail in one transaction."""
    try:
        user, token = create_user(db.session, organisation, new_user_from(form, staff_roles))
    except EmailTaken:
        form.email.errors = [_("A user with this e-mail already exists.")]
        return False
    queue_mail(db.session, user, "new_user", token=token)
    trail.record("user_created", user=user.id, organisation=organisation.id)
    db.session.commit()
    flash(_("The user has been added and will receive an e-mail to set a password."), "info")
    return True


@bp.route("/users")
def users():
    return render_template("directory/users.html",
                           users=directory.organisation_users(db.session, current_user.organisation_id))


@bp.route("/users/new", methods=["GET", "POST"])
def add_user():
    form = UserForm()
    if form.validate_on_submit() and add_user_and_mail(current_user.organisation, form):
        return redirect(url_for("directory.users"))
    return render_template("directory/user_form.html", form=form)


def _partner_form(role: str | None) -> PartnerForm:
    form = PartnerForm()
    form.role.choices = labels.choices(labels.PARTNER_ROLES)
    chosen = role if role in labels.PARTNER_ROLES else "adviser"
    form.role.data = form.role.data or chosen
    # a role from the request that is no partner role offers nothing (and fails validation)
    candidates = (directory.candidate_partners(db.session, current_user.organisation_id,
                                               form.role.data)
                  if form.role.data in labels.PARTNER_ROLES else [])
    form.partner.choices = [(o.id, f"{o.code} — {o.short_name(lang())}") for o in candidates]
    return form


@bp.route("/partnership", methods=["GET"])
def partnership():
    form = _partner_form(request.args.get("role"))
    rows = directory.partnerships(db.session, current_user.organisation_id)
    return render_template("directory/partnership.html", form=form, partnerships=rows,
                           removal_form=RemovalRequestForm())


@bp.route("/partnership", methods=["POST"])
def add_partner():
    form = _partner_form(request.form.get("role"))
    added = False
    if form.validate_on_submit():
        try:
            directory.add_partner(db.session, current_user.organisation_id, form.partner.data,
                                  form.role.data)
            db.session.commit()
            added = True
        except directory.PartnershipRefused:
            db.session.rollback()
    if added:
        flash(_("The partner has been added."), "info")
    else:  # not in the drop-down: inactive, another role, already added, or no such company
        flash(_("This company cannot be added as a partner in this role."), "error")
    role = form.role.data if form.role.data in labels.PARTNER_ROLES else None
    return redirect(url_for("directory.partnership", role=role))


@bp.route("/partnership/<int:partnership_id>/removal", methods=["POST"])
def request_partner_removal(partnership_id: int):
    row = directory.own_partnership(db.session, current_user.organisation_id, partnership_id)
    if row is None:
        abort(404)
    form = RemovalRequestForm()
    if form.validate_on_submit():
        directory.request_removal(row, current_user, form.reason.data)
        db.session.commit()
        flash(_("Your request has been sent to the exchange."), "info")
    else:
        flash(_("Say why the partner should be removed."), "error")
    return redirect(url_for("directory.partnership"))


@bp.route("/normative-base")
def normative_base():
    rows = db.session.scalars(select(NormativeDocument).where(NormativeDocument.retired.is_(False))
                              .order_by(NormativeDocument.kind, NormativeDocument.id)).all()
    return render_template("directory/normative.html", documents=rows)


@bp.route("/normative-base/<int:document_id>/file")
def normative_file(document_id: int):
    row = db.get_or_404(NormativeDocument, document_id, lambda r: not r.retired and r.stored_name)
    return send_attachment(row.stored_name, row.file_name or "document.pdf",
                           row.content_type or "application/pdf")


@bp.route("/insiders")
def insiders():
    rows = db.session.scalars(select(ExchangeInsider).order_by(ExchangeInsider.full_name)).all()
    return render_template("directory/insiders.html", insiders=rows)

