"""Firing a transition of the application's flow: one view serves every step of every flow.

GET shows the step's form or its confirmation (what will be lost); POST fires it through the
domain's `fire`, in one transaction: 409 on a stale page, 422 with the reason on a refusal.
"""
from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import CombinedMultiDict

from portal.domain.accounts.users import signed_in_at
from portal.domain.applications import comments as comment_domain
from portal.domain.applications import stages
from portal.domain.documents.signing import SigningContext, trust_roots
from portal.domain.procedures.definitions import Category
from portal.domain.refusal import FormRefused, Refused, require
from portal.domain.workflow.calendar import exchange_today
from portal.domain.workflow.clocks import working_calendar
from portal.domain.workflow.engine import available, fire, precheck
from portal.domain.workflow.registry import Firing
from portal.domain.workflow.versions import flow_of, runtime_for
from portal.infra.database import db
from portal.infra.mail import send_notice
from portal.infra.storage import store_pdf
from portal.models import Application, utcnow
from portal.web.auth import ask_for_password
from portal.web.engine.display import t
from portal.web.engine.messages import field_error, refusal
from portal.web.engine.page import (
    SUMMARY,
    after,
    app_category,
    exchange_date,
    findings,
    load_application,
    page_context,
    respond,
)
from portal.web.htmx import render

TRANSITION_PAGE = "engine/transition.html"


def transition(category: Category, application_id: int, transition_id: str):
    """Every step of every flow: GET shows its form or confirmation, POST fires it."""
    app = load_application(category, application_id)
    flow = flow_of(app)
    step = flow.transition(transition_id)
    if step is None:
        abort(404)
    if request.method == "GET" or (step.form or step.confirm) and "confirmed" not in request.form:
        if step in available(flow, current_user, app):
            try:  # say why a step is closed before its form is filled in (e.g. G-26)
                precheck(firing(app), step)
            except Refused as exc:
                flash(refusal(exc), "error")
                return respond(app, SUMMARY, status=422)
            return _transition_page(app, step)
        flash(refusal(Refused("state")), "error")
        return respond(app, SUMMARY, status=422)
    if request.form.get("row_version") not in (None, str(app.row_version)):
        return respond(app, SUMMARY, stale=True, status=409)
    try:
        fire(firing(app, step), transition_id, CombinedMultiDict([request.files, request.form]),
             send_notice)
    except FormRefused as exc:
        db.session.rollback()
        return _transition_page(app, step, errors=exc.errors, status=422)
    except Refused as exc:
        db.session.rollback()
        if exc.reason == "stale_sign_in":  # the password again, then the step once more
            return ask_for_password(url_for(f"{app_category(app)}.application",
                                            application_id=app.id, stage=SUMMARY))
        flash(refusal(exc), "error")
        check = findings(app) if exc.reason == "check_failed" else None
        return respond(app, SUMMARY, status=422, findings=check)
    db.session.commit()
    flash(t(step.done), "info")
    if app.phase == "deleted":
        return redirect(url_for("lists.under_review"))
    return after(app, SUMMARY)


def _transition_page(app: Application, step, errors=None, status: int = 200):
    messages = {}
    for key, error in errors or []:
        messages.setdefault(key, []).append(field_error(error))
    body = render(TRANSITION_PAGE, "transition_form", application=app, step=step,
                  form=flow_of(app).forms.get(step.form) if step.form else None,
                  grounds=runtime_for(app.procedure_version).procedure.refusal_grounds,
                  errors=messages, data=request.form, category=app_category(app),
                  today=exchange_date())
    return make_response(body, status)


def firing(app: Application, step=None) -> Firing:
    """The transition's context: who fires it, when (UTC and the exchange's date), from where;
    for signing also the rendered application PDF and the trust roots."""
    now = utcnow()
    return Firing(db=db.session, application=app, runtime=runtime_for(app.procedure_version),
                  flow=flow_of(app), user=current_user._get_current_object(), now=now,
                  today=exchange_today(now, current_app.config["EXCHANGE_TIMEZONE"]),
                  calendar=working_calendar(db.session),
                  signed_in_at=signed_in_at(db.session, session.get("auth")),
                  fresh_minutes=current_app.config["FRESH_SIGN_IN_MINUTES"],
                  address=request.remote_addr,
                  signing=_signing(app, step) if step and "sign_application" in step.effects else None)


def _signing(app: Application, step) -> SigningContext:
    from portal.infra.pdf import PdfFailed, application_pdf
    config = current_app.config
    # render only for whom the step is open, and not at all while key stores are off
    if not config["SANDBOX_SIGNING"] or step not in available(flow_of(app), current_user, app):
        return SigningContext(pdf=b"", roots=[], store=store_pdf)
    try:
        pdf = application_pdf(page_context(app, SUMMARY))
    except PdfFailed:
        raise Refused("pdf_failed") from None
    return SigningContext(pdf=pdf, roots=trust_roots(config["SIGNING_TRUST_ROOTS"]),
                          store=store_pdf, key_store_allowed=True)


def save_comments(category: Category, application_id: int):
    """The first head's "Save" (G-20): their draft comments become visible to the author."""
    app = load_application(category, application_id)
    try:
        require(stages.is_first_head_of(current_user, app) and app.phase == "first_head",
                "not_first_head")
        comment_domain.save_drafts(db.session, app, current_user)
    except Refused as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
        return respond(app, SUMMARY, status=422)
    db.session.commit()
    flash(_("Saved."), "info")
    return after(app, SUMMARY)
