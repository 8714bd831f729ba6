"""Maintenance mode (G-27): the banner on every page and, while it is on, clients' writes
refused with a polite 503 before any view runs, so nothing changes and nothing saved is lost.
Signing in and out stays open: staff must be able to come in and switch it off."""
from __future__ import annotations

from flask import (Blueprint, Flask, current_app, flash, g, make_response, redirect,
                   render_template, request, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.domain.settings import maintenance, switch_maintenance
from portal.infra.database import db
from portal.web.htmx import wants_fragment
from portal.web.i18n import lang

bp = Blueprint("maintenance", __name__, url_prefix="/maintenance")
READS = ("GET", "HEAD", "OPTIONS")
# signing in (with the second factor) stays open, so staff can get in to switch it off
OPEN = {"static", "auth.login", "auth.second_factor", "auth.enrol", "auth.logout", "auth.language"}
DEFAULT = _l("Maintenance: the portal may be unavailable for a while. What you have saved is kept; if the portal fails, the procedure continues on paper.")
REFUSED = _l("The portal is under maintenance: changes cannot be saved just now. Nothing was changed; what you saved before is kept. Please try again later.")


def current():
    if "maintenance" not in g:
        g.maintenance = maintenance(db.session, forced=current_app.config["MAINTENANCE"])
    return g.maintenance


def banner() -> str | None:
    state = current()
    return (state.message.get(lang()) or str(DEFAULT)) if state.on else None


def _refuse_writes():
    if request.method in READS or request.endpoint in OPEN or request.endpoint is None:
        return None
    if getattr(current_user, "is_staff", False) or not current().on:
        return None
    if wants_fragment():  # into the page's notice slot: what the user typed stays on screen
        response = make_response(render_template("queue/refused.html", message=REFUSED), 503)
        response.headers.update({"HX-Retarget": "#notice-slot", "HX-Reswap": "innerHTML"})
    else:
        response = make_response(render_template("errors/error.html", message=REFUSED,
                                                 title=_("Not available now")), 503)
    response.headers["Retry-After"] = "600"
    return response


@bp.route("/", methods=["GET", "POST"])
def switch():
    if request.method == "POST":
        switch_maintenance(db.session, current_user, request.form.get("on") == "1",
                           {code: request.form.get(f"message_{code}") for code in ("kk", "ru", "en")})
        db.session.commit()
        g.pop("maintenance", None)
        flash(_("Maintenance mode is on.") if current().on else _("Maintenance mode is off."), "info")
        return redirect(url_for("maintenance.switch"))
    return render_template("queue/maintenance.html", state=current())


def init_app(app: Flask) -> None:
    app.before_request(_refuse_writes)
    app.jinja_env.globals.update(maintenance_banner=banner)
