"""The shared engine behind the five category blueprints: one set of views, five faces.

Views parse the request, ask the domain, and render; a stage panel is a self-replacing
component (the page's `stage_panel` block), returned alone for htmx requests.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, make_response, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain import numbers
from portal.domain.applications import comments as comment_domain
from portal.domain.applications import filling as apps
from portal.domain.applications import questionnaires
from portal.domain.applications import stages
from portal.domain.procedures.definitions import Category
from portal.domain.procedures.runtime import Runtime, chain_path
from portal.domain.procedures.values import read_items
from portal.domain.refusal import Refused
from portal.domain.workflow import audit
from portal.domain.workflow.clocks import working_calendar
from portal.domain.workflow.versions import flow_version, procedure_version, runtime_for
from portal.infra.database import db
from portal.infra.mail import notify
from portal.infra.storage import NotAPdf, display_name, store_pdf
from portal.models import Application, User
from portal.web import access, catalogue
from portal.web.engine import transitions
from portal.web.engine.messages import refusal
from portal.web.engine.page import (
    PAGE,
    SUMMARY,
    after,
    app_category,
    back_to,
    exchange_date,
    findings,
    load_application,
    page_context,
    respond,
)
from portal.web.htmx import htmx_trigger_name, render, wants_fragment


def _as_int(raw, default: int = 0) -> int:
    """A whole number from a form; the default (matching nothing) for anything else."""
    number = numbers.whole(raw, high=2 ** 31 - 1)  # an id or an index: a 32-bit column
    return default if number is None else number


def _read_stage(app: Application, runtime, stage_id: str):
    """The stage's typed values from the request; uploads that are not PDFs become errors."""
    previous = stages.stage_states(app).get(stage_id)
    refused = []

    def store(name: str):
        upload = request.files.get(name)
        if not upload or not upload.filename:
            return None
        data = upload.read()
        try:
            return {"stored": store_pdf(data), "name": display_name(upload.filename),
                    "size": len(data)}
        except NotAPdf:
            refused.append((name[2:], ("not_pdf", {})))
            return None

    data, errors = {}, []
    for form in runtime.stage(stage_id).stage.forms:
        part, errs = read_items(form.items, request.form, "f.", store, previous.data if previous else {})
        data.update(part)
        errors += errs
    return data, errors + refused


# --- views ----------------------------------------------------------------------------------

def procedures(category: Category):
    entries = catalogue.offered_to(catalogue.by_category(category), current_user.organisation.roles)
    return render("engine/procedures.html", category=category, entries=entries)


def new_application(category: Category, code: str):
    entry = catalogue.catalogue().get(code)
    if entry is None or entry.procedure.category != category or \
            entry not in catalogue.offered_to([entry], current_user.organisation.roles):
        abort(404)
    companies = apps.companies_for(db.session, current_user)
    max_age = current_app.config["QUESTIONNAIRE_MAX_AGE_DAYS"]
    if request.method == "POST":
        chosen = next((c for c in companies if str(c.id) == request.form.get("company")), None)
        if chosen is None:
            flash(_("Choose the company."), "error")
        else:
            app = apps.create(db.session, procedure_version(db.session, entry),
                              flow_version(db.session, entry), chosen, current_user,
                              address=request.remote_addr)
            try:
                questionnaires.prefill(db.session, app, runtime_for(app.procedure_version),
                                       current_user, [_as_int(q) for q in request.form.getlist("prefill")],
                                       exchange_date(), max_age)
            except Refused as exc:
                db.session.rollback()
                flash(refusal(exc), "error")
            else:
                db.session.commit()
                return back_to(app)
    offers = questionnaires.offers(db.session, companies, Runtime(entry.procedure), exchange_date(), max_age)
    return render("engine/new.html", entry=entry, companies=companies, category=category,
                  offers=offers, max_age=max_age)


def application(category: Category, application_id: int):
    app = load_application(category, application_id)
    check = findings(app) if request.args.get("check") else None
    return respond(app, request.args.get("stage"), findings=check)


def stage(category: Category, application_id: int, stage_id: str):
    """Save / Done / Skip stage / assign an adviser / dynamic chain steps, on one stage form."""
    app = load_application(category, application_id)
    runtime = runtime_for(app.procedure_version)
    if runtime.stage(stage_id) is None:
        abort(404)
    if request.form.get("row_version") not in (None, str(app.row_version)):
        return respond(app, stage_id, stale=True, status=409)
    action = request.form.get("action", "save")
    try:
        if action == "skip":
            apps.skip_stage(db.session, app, runtime, current_user, stage_id)
        elif action == "assign":
            executor = apps.assign_executor(db.session, app, runtime, current_user, stage_id,
                                            _as_int(request.form.get("executor")))
            notify(executor, app, "stage_assigned")
        else:
            return _fill(app, runtime, stage_id, action)
    except Refused as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
        return respond(app, stage_id, status=422)
    db.session.commit()
    return after(app, stage_id)


def _fill(app, runtime, stage_id: str, action: str):
    data, read_errors = _read_stage(app, runtime, stage_id)
    kind, _sep, item_id = action.partition(":")
    done = kind == "done"
    errors = apps.save_stage(db.session, app, runtime, current_user, stage_id, data,
                             read_errors, done, working_calendar(db.session))
    chain = None
    if kind in ("chain", "add"):
        chain = chain_path(apps.dynamic_item(runtime, stage_id, item_id).tree, _chosen(item_id))
    if kind == "add":
        key_errors = apps.add_entry(db.session, app, runtime, current_user, stage_id, item_id,
                                    chain, request.form.get(f"chain.{item_id}.key"))
        errors += key_errors
        chain = chain if key_errors else None
    elif kind == "remove":
        item_id, _sep, index = item_id.partition(":")
        apps.remove_entry(db.session, app, runtime, current_user, stage_id, item_id,
                          _as_int(index, default=-1))
    db.session.commit()
    chains = {item_id: chain} if chain else None
    if errors:
        return respond(app, stage_id, errors, status=422, chains=chains)
    if kind in ("chain", "add", "remove"):
        return respond(app, stage_id, chains=chains)
    if done:
        flash(_("The stage is filled."), "info")
        nxt = stages.open_stage_ids(runtime, app)[-1]
        return after(app, nxt if nxt != stage_id else SUMMARY)
    flash(_("Saved."), "info")
    return after(app, stage_id)


def _chosen(item_id: str) -> list[str]:
    """The chain's choices as sent; with htmx, the levels after the one just changed drop."""
    chosen, level = [], 0
    changed = htmx_trigger_name()
    while True:
        name = f"chain.{item_id}.{level}"
        value = request.values.get(name)
        if not value:
            return chosen
        chosen.append(value)
        if name == changed:
            return chosen
        level += 1


def chain(category: Category, application_id: int, stage_id: str, item_id: str):
    """The next drop-down of a dynamic chain, for the choices so far (an htmx fragment)."""
    app = load_application(category, application_id)
    runtime = runtime_for(app.procedure_version)
    if runtime.stage(stage_id) is None:
        abort(404)
    try:
        item = apps.dynamic_item(runtime, stage_id, item_id)
    except Refused:
        abort(404)
    path = chain_path(item.tree, _chosen(item_id))
    ctx = SimpleNamespace(application=app, category=app_category(app), stage_id=stage_id, errors={})
    return render("engine/chain.html", "chain", item=item, path=path, ctx=ctx)


def comment(category: Category, application_id: int):
    """Add a comment or an answer beside a field; htmx swaps in that field's comment list."""
    app = load_application(category, application_id)
    field_id = request.form.get("field", "")
    runtime = runtime_for(app.procedure_version)
    if runtime.item(field_id) is None and not request.form.get("parent"):
        abort(404)
    try:
        comment_domain.add(db.session, app, current_user, field_id, request.form.get("text", ""),
                           apps.values_of(app), _as_int(request.form.get("parent")) or None)
    except Refused as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
        return respond(app, request.form.get("stage") or SUMMARY, status=422)
    db.session.commit()
    if wants_fragment():
        ctx = page_context(app, SUMMARY)
        return render(PAGE, "field_comments", field_id=field_id, **ctx)
    return back_to(app, request.form.get("stage") or SUMMARY)


def resolve_comment(category: Category, application_id: int, comment_id: int):
    app = load_application(category, application_id)
    try:
        comment_domain.resolve(db.session, app, current_user, comment_id)
    except Refused as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
    db.session.commit()
    return back_to(app, request.form.get("stage") or SUMMARY)


def download(category: Category, application_id: int):
    from portal.infra.pdf import PdfFailed, application_pdf
    app = load_application(category, application_id)
    try:
        pdf = application_pdf(page_context(app, SUMMARY))
    except PdfFailed:
        abort(503)
    _record_download(app, "application.pdf")
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="application-{app.number}.pdf"'
    return response


def file(category: Category, application_id: int, field_id: str):
    from portal.infra.storage import send_attachment
    app = load_application(category, application_id)
    value = apps.values_of(app).get(field_id)
    if not isinstance(value, dict) or "stored" not in value:
        abort(404)
    _record_download(app, field_id)
    return send_attachment(value["stored"], value.get("name") or "document.pdf")


def _record_download(app: Application, document: str) -> None:
    """Downloads of what was sent to the exchange go into the audit trail, in a short write
    transaction of their own (the request's own is a read)."""
    if app.submitted_at is None:
        return
    with db.writing() as session:
        audit.record(session, "download", session.get(User, current_user.id),
                     application=session.get(Application, app.id), address=request.remote_addr,
                     document=document)


ROUTES = (
    ("/", "procedures", procedures, ["GET"]),
    ("/<code>/new", "new_application", new_application, ["GET", "POST"]),
    ("/applications/<int:application_id>", "application", application, ["GET"]),
    ("/applications/<int:application_id>/stages/<stage_id>", "stage", stage, ["POST"]),
    ("/applications/<int:application_id>/stages/<stage_id>/chain/<item_id>", "chain", chain, ["GET"]),
    ("/applications/<int:application_id>/transitions/<transition_id>", "transition", transitions.transition, ["GET", "POST"]),
    ("/applications/<int:application_id>/comments/save", "save_comments", transitions.save_comments, ["POST"]),
    ("/applications/<int:application_id>/comments", "comment", comment, ["POST"]),
    ("/applications/<int:application_id>/comments/<int:comment_id>/resolve", "resolve_comment", resolve_comment, ["POST"]),
    ("/applications/<int:application_id>/document.pdf", "download", download, ["GET"]),
    ("/applications/<int:application_id>/files/<field_id>", "file", file, ["GET"]),
)


def category_blueprint(category: Category) -> Blueprint:
    """One blueprint per category: name = URL prefix = the category's code."""
    bp = Blueprint(category.value, __name__, url_prefix=f"/{category.value.replace('_', '-')}")
    for rule, endpoint, view, methods in ROUTES:
        bp.add_url_rule(rule, endpoint, _bind(view, category), methods=methods)
        access.register(f"{category.value}.{endpoint}", access.USER)
    return bp


def _bind(view, category: Category):
    def bound(**kwargs):
        return view(category, **kwargs)
    bound.__name__ = view.__name__
    bound.__doc__ = view.__doc__
    return bound


BLUEPRINTS = [category_blueprint(c) for c in Category]
