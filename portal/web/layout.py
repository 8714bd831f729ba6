"""Page furniture shared by every view: the user menu, labels, error pages, security headers."""
from __future__ import annotations

from flask import Flask, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from portal.domain.procedures.runtime import holds, required
from portal.domain.procedures.values import CURRENCIES
from portal.domain.text import one_line
from portal.domain.workflow.versions import flow_of
from portal.infra.pdf import PdfBusy
from portal.web import labels
from portal.web.engine import display
from portal.web.htmx import wants_fragment

# the user menu's tabs (G-9), in the guide's order; a tab shows once its endpoint exists
USER_MENU = (
    ("lists.procedures", _l("Procedures")),
    ("directory.users", _l("Users")),
    ("directory.partnership", _l("Partnership")),
    ("lists.under_review", _l("Under review")),
    ("lists.archive", _l("Applications archive")),
    ("lists.questionnaires", _l("Questionnaires")),
    ("directory.normative_base", _l("Normative base")),
    ("directory.insiders", _l("Exchange insiders")),
)
STAFF_MENU = (
    ("queue.index", _l("Queue")),
    ("queue.dashboard", _l("Dashboard")),
    ("admin.organisations", _l("Organisations")),
    ("admin.first_head_requests", _l("First-head requests")),
    ("admin.partner_removals", _l("Partner removal requests")),
    ("admin.sent_mail", _l("Sent mail")),
    ("admin.calendar", _l("Working-day calendar")),
    ("directory.normative_base", _l("Normative base")),
    ("directory.insiders", _l("Exchange insiders")),
    ("maintenance.switch", _l("Maintenance mode")),
)
ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    403: (_l("Access denied"), _l("You do not have access to this page.")),
    404: (_l("Not found"), _l("There is no such page, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This action cannot be done this way.")),
    409: (_l("Changed meanwhile"), _l("Someone changed this in the meantime. Reload the page and try again; nothing was overwritten.")),
    410: (_l("Gone"), _l("This link is no longer valid.")),
    413: (_l("Too large"), _l("The file or form is too large.")),
    503: (_l("Not available now"), _l("The document could not be prepared just now. Please try again in a minute; nothing was lost.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. What you saved before is kept. Please try again later.")),
}
PDF_BUSY = (_l("Being prepared"), _l("Your document is being prepared. Try again in a few seconds."))
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def state_label(application, state_id: str | None) -> str:
    """A state's name from the application's own flow, in the user's language."""
    state = flow_of(application).states.get(state_id) if state_id else None
    return display.t(state.label) if state else ""


def action_label(application, action: str) -> str:
    """An audit event's action: a transition of the flow, or one of the portal's own."""
    transition = flow_of(application).transition(action)
    if transition is not None:
        return display.t(transition.label)
    return str(labels.HISTORY_ACTIONS.get(action, action))


def _menu():
    if not getattr(current_user, "is_authenticated", False):
        return {}
    from flask import current_app
    if not current_user.is_staff:
        return {"user_menu": [t for t in USER_MENU if t[0] in current_app.view_functions]}
    # exchange staff get their own menu, not the client's tabs (issue 10.1)
    from portal.web.access import POLICY, allows
    return {"user_menu": [t for t in STAFF_MENU if t[0] in current_app.view_functions
                          and allows(POLICY.get(t[0], "none"), current_user)]}


def landing(user) -> str:
    """Where a user lands after signing in: the office and authorised persons at their queue."""
    from flask import url_for

    from portal.web.access import DESK, allows
    return url_for("queue.index") if allows(DESK, user) else url_for("cabinet.home")


def init_app(app: Flask) -> None:
    app.context_processor(_menu)
    app.jinja_env.globals.update(
        client_roles=labels.CLIENT_ROLES, staff_roles=labels.STAFF_ROLES,
        partner_roles=labels.PARTNER_ROLES, document_kinds=labels.DOCUMENT_KINDS,
        document_statuses=labels.DOCUMENT_STATUSES, mail_statuses=labels.MAIL_STATUSES,
        state_label=state_label, action_label=action_label, calendar_kinds=labels.CALENDAR_KINDS, stage_statuses=labels.STAGE_STATUSES,
        categories=labels.CATEGORIES, t=display.t, show_value=display.show_value,
        deadline_line=display.deadline_line, condition_json=display.condition_json,
        multiline=display.multiline, holds=holds, required=required, wants_fragment=wants_fragment,
        currencies=CURRENCIES)
    app.jinja_env.filters["one_line"] = one_line  # user text inside the portal's mail sentences

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        title, message = ERRORS.get(exc.code, (exc.name, exc.description))
        return render_template("errors/error.html", title=title, message=message), exc.code

    @app.errorhandler(PdfBusy)
    def _pdf_busy(_exc):
        # one render at a time per user: the second click gets an answer, not a queue
        title, message = PDF_BUSY
        response = make_response(render_template("errors/error.html", title=title,
                                                 message=message), 429)
        response.headers["Retry-After"] = "10"
        return response

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def _conflict(_exc):
        # a concurrent change won the race: nothing of this request was saved or merged
        from portal.infra.database import db
        db.session.rollback()
        title, message = ERRORS[409]
        return render_template("errors/error.html", title=title, message=message), 409

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # the page shows only the correlation id; the traceback goes to the log beside it
        from portal.infra.logging import request_id
        correlation = request_id()
        app.logger.exception("unhandled error", extra={"request_id": correlation})
        from portal.infra.database import db
        db.session.rollback()
        title, message = ERRORS[500]
        return render_template("errors/error.html", title=title, message=message,
                               correlation_id=correlation), 500

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if getattr(current_user, "is_authenticated", False):
            response.headers["Cache-Control"] = "no-store"
        return response
