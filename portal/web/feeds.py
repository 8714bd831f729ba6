"""The organisation's deadline feed: the secret iCalendar URL, and the page where its
organisation administrator sees and renews it (issue 10, item 9)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain.applications import feeds
from portal.infra.database import db
from portal.web import access
from portal.web.engine.display import t
from portal.web.engine.page import app_category
from portal.web.htmx import render
from portal.web.i18n import lang

bp = Blueprint("feeds", __name__)


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _url(token: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for("feeds.calendar", token=token)


@bp.route("/deadline-feed")
def page():
    feed = feeds.feed_of(db.session, current_user.organisation)
    url = _url(feeds.token_of(_secret(), feed)) if feed else None
    return render("feeds/page.html", url=url, feed=feed)


@bp.route("/deadline-feed/renew", methods=["POST"])
def renew():
    feeds.renew(db.session, current_user.organisation, _secret())
    db.session.commit()
    flash(_("The feed has a new address; the old one no longer works."), "info")
    return redirect(url_for("feeds.page"))


@bp.route("/feeds/<token>.ics")
def calendar(token: str):
    organisation = feeds.organisation_for(db.session, token)
    if organisation is None:
        abort(404)
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    body = feeds.calendar_text(
        db.session, organisation, _("Deadlines: %(company)s", company=organisation.short_name(lang())),
        lambda app, deadline: _("Application %(number)s: %(deadline)s", number=app.number,
                                deadline=t(deadline.label)),
        url=lambda app: public + url_for(f"{app_category(app)}.application", application_id=app.id))
    db.session.rollback()  # a read: release the database at once
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})


for endpoint, rule in (("feeds.page", access.ORG_ADMIN), ("feeds.renew", access.ORG_ADMIN),
                       ("feeds.calendar", access.PUBLIC)):
    access.register(endpoint, rule)
