"""The shared engine behind the five category blueprints: one set of views, five faces.

Views parse the request, ask the domain, and render; a stage panel is a self-replacing
component (the page's `stage_panel` block), returned alone for htmx requests.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain import numbers
from portal.domain.applications import comments as comment_domain
from portal.domain.applications import filling as apps
from portal.domain.applications import questionnaires
from portal.domain.applications import stages
from portal.domain.documents import records, uploads
from portal.domain.procedures.definitions import Category
from portal.domain.procedures.runtime import Runtime, chain_path
from portal.domain.procedures.values import read_items
from portal.domain.refusal import Refused, require
from portal.domain.workflow.clocks import working_calendar
from portal.domain.workflow.versions import flow_version, procedure_version, runtime_for
from portal.infra.database import db
from portal.infra.mail import notify
from portal.infra.storage import delete_stored, display_name, send_attachment, store_bytes
from portal.models import Application
from portal.web import access, catalogue
from portal.web.engine import documents, transitions
from portal.web.engine.comment_page import comment_page
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


def _read_stage(app: Application, runtime, stage_id: str, stored: list):
    """The stage's typed values from the request. Each upload is checked (a PDF by content,
    no active content, size, the quota) before it is stored; refused ones become errors.
    The keys stored go into `stored`, so a failed save can delete them."""
    previous = stages.stage_states(app).get(stage_id)
    refused = []
    config = current_app.config
    max_bytes = min(config["DOCUMENTS_MAX_FILE_MB"], config["DOCUMENTS_QUOTA_MB"]) * 1024 * 1024

    def store(name: str):
        upload = request.files.get(name)
        if not upload or not upload.filename:
            return None
        try:
            data = upload.read(max_bytes + 1)
        finally:
            upload.close()  # a big one is spooled to a temporary file: close it at once
        problem = uploads.refusal_of(data, max_bytes)
        quota = config["DOCUMENTS_QUOTA_MB"] * 1024 * 1024
        if problem is None and records.bytes_in_use(db.session, app, name[2:]) + len(data) > quota:
            problem = ("quota", {"max": config["DOCUMENTS_QUOTA_MB"]})
        if problem:
            refused.append((name[2:], problem))
            return None
        doc = records.add(db.session, app, current_user, "upload", display_name(upload.filename),
                          data, store_bytes, field_id=name[2:])
        stored.append(doc.storage_key)
        return {"stored": doc.storage_key, "name": doc.name, "size": doc.size}

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
    stage_id = request.args.get("stage")
    return respond(app, stage_id, findings=check, chains=_chains_asked(app, stage_id))


def _chains_asked(app: Application, stage_id: str | None) -> dict:
    """Chain choices carried in the URL (where "Next" redirects without JavaScript)."""
    runtime = runtime_for(app.procedure_version)
    if stage_id is None or runtime.stage(stage_id) is None:
        return {}
    chains = {}
    for name in request.args:
        parts = name.split(".")
        if len(parts) != 3 or parts[0] != "chain" or parts[2] != "0":
            continue
        try:
            item = apps.dynamic_item(runtime, stage_id, parts[1])
        except Refused:
            continue
        chains[item.id] = chain_path(item.tree, _chosen(item.id))
    return chains


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
    # the right to fill first: a refused user's upload is never read, let alone stored
    require(stages.can_fill(current_user, app, runtime, stage_id), "not_yours")
    before = uploads.stored_keys(_stage_data(app, stage_id))
    stored: list[str] = []
    try:
        return _fill_stage(app, runtime, stage_id, action, before, stored)
    except BaseException:
        db.session.rollback()
        delete_stored(stored)  # a refused or failed save leaves no file behind
        raise


def _stage_data(app, stage_id: str) -> dict:
    state = stages.stage_states(app).get(stage_id)
    return (state.data or {}) if state else {}


def _fill_stage(app, runtime, stage_id: str, action: str, before: set, stored: list):
    data, read_errors = _read_stage(app, runtime, stage_id, stored)
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
    gone = records.supersede(db.session, app, before - uploads.stored_keys(_stage_data(app, stage_id)))
    db.session.commit()
    stored.clear()  # committed: the new files are the stage's now
    delete_stored(gone)  # a replaced upload's bytes go once the change is committed
    chains = {item_id: chain} if chain else None
    if errors:
        return respond(app, stage_id, errors, status=422, chains=chains)
    if kind in ("chain", "add", "remove"):
        if wants_fragment():
            return respond(app, stage_id, chains=chains)
        # post/redirect/get: a reload does not post again; the choices so far ride in the URL
        choices = {f"chain.{item_id}.{n}": value for n, value in enumerate(chain or [])}
        return back_to(app, stage_id, anchor=f"dynamic-{item_id}", **choices)
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
    return back_to(app, request.form.get("stage") or SUMMARY, anchor=f"field-{field_id}")


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
    """"Download document": the kept PDF of this version in the user's language (rendered on
    the first download only)."""
    from portal.infra.pdf import PdfFailed
    app = load_application(category, application_id)
    try:
        doc = documents.application_document(app)
    except PdfFailed:
        abort(503)
    documents.record_download(app, "application.pdf")
    return send_attachment(doc.storage_key, doc.name)


def file(category: Category, application_id: int, field_id: str):
    app = load_application(category, application_id)
    value = apps.values_of(app).get(field_id)
    if not isinstance(value, dict) or "stored" not in value:
        abort(404)
    documents.record_download(app, field_id)
    return send_attachment(value["stored"], value.get("name") or "document.pdf")


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
    ("/applications/<int:application_id>/fields/<field_id>/comments", "comment_page", comment_page, ["GET"]),
    ("/applications/<int:application_id>/document.pdf", "download", download, ["GET"]),
    ("/applications/<int:application_id>/files/<field_id>", "file", file, ["GET"]),
) + documents.ROUTES


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
