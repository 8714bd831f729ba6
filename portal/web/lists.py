"""User-menu tabs about applications: "Procedures", "Under review", "Applications archive",
"Questionnaires" (G-9.1, G-9.4 … G-9.6)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.domain import numbers
from portal.domain.applications import questionnaires as questionnaire_domain
from portal.domain.applications.filling import companies_for
from portal.domain.applications.visibility import can_view, visible_to
from portal.domain.procedures.definitions import Category
from portal.domain.workflow import audit
from portal.domain.workflow.engine import current_executors, current_process
from portal.domain.workflow.versions import flow_of, runtime_for
from portal.infra.database import db
from portal.models import Application, Organisation, StageState, User
from portal.web import access, catalogue, evidence
from portal.web.engine.display import t
from portal.web.engine.page import exchange_date
from portal.web.htmx import render

bp = Blueprint("lists", __name__)
PAGE_SIZE = 25
MAX_PAGE = 100_000  # far past any real list; keeps the database offset small
ARCHIVED = "archived"  # the state "Archive" (G-9.5) of every flow
SORTS = {
    "number": Application.number,
    "created": Application.created_at,
    "submitted": Application.submitted_at,
    "status": Application.status,
    "due": Application.next_due_on,
    "company": Organisation.code,
}


@bp.route("/procedures")
def procedures():
    groups = [(c, catalogue.offered_to(catalogue.by_category(c), current_user.organisation.roles))
              for c in Category]
    return render("lists/procedures.html", groups=groups)


def _page(statuses_in: bool, statuses):
    """One page of the visible applications, sorted in the database; a fixed number of queries."""
    sort = request.args.get("sort", "created")
    descending = request.args.get("dir", "desc") == "desc"
    page = numbers.whole(request.args.get("page", "1"), low=1, high=MAX_PAGE)
    if page is None:
        abort(400)
    column = SORTS.get(sort, Application.created_at)
    filtered = visible_to(current_user).join(Organisation, Organisation.id == Application.organisation_id)
    filtered = filtered.where(Application.status.in_(statuses) if statuses_in
                              else Application.status.not_in(statuses))
    total = db.session.scalar(select(func.count()).select_from(filtered.subquery()))
    rows = db.session.scalars(filtered.options(*ROW_LOADS)
                              .order_by(column.desc() if descending else column.asc(), Application.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).unique().all()
    return dict(rows=rows, total=total, page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
                sort=sort, dir="desc" if descending else "asc")


def describe(app: Application) -> dict:
    """What a list row shows beside the application's own columns."""
    runtime, flow = runtime_for(app.procedure_version), flow_of(app)
    process = current_process(runtime, flow, app)
    executors = current_executors(db.session, runtime, flow, app)
    return dict(procedure=t(runtime.procedure.name), process=t(process.name) if process else "",
                executor=", ".join(u.full_name for u in executors), executors=executors,
                status=t(flow.states[app.status].label), category=runtime.procedure.category.value)


# the versions' large JSON definitions load once per distinct version, not joined into every
# row (joined, SQLite sorted and Python decoded them once per row: 0.7 s for 25 rows)
ROW_LOADS = (joinedload(Application.organisation).selectinload(Organisation.users),
             joinedload(Application.author), selectinload(Application.procedure_version),
             selectinload(Application.flow_version), joinedload(Application.staff_executor),
             selectinload(Application.stages).joinedload(StageState.executor))


def awaiting(user, limit: int = 20) -> list[tuple[Application, dict]]:
    """The user's recent applications that wait for the user to act (the cabinet's task list)."""
    rows = db.session.scalars(visible_to(user).where(Application.phase != "closed")
                              .options(*ROW_LOADS).order_by(Application.updated_at.desc())
                              .limit(limit)).unique().all()
    described = [(app, describe(app)) for app in rows]
    return [(app, row) for app, row in described if user in row["executors"]]


@bp.route("/under-review")
def under_review():
    listing = _page(False, [ARCHIVED])
    return render("lists/list.html", "rows", title_key="under_review", describe=describe,
                  **listing)


@bp.route("/archive")
def archive():
    listing = _page(True, [ARCHIVED])
    return render("lists/list.html", "rows", title_key="archive", describe=describe,
                  **listing)


@bp.route("/archive/<int:application_id>/evidence.zip")
def evidence_package(application_id: int):
    """The archived application's evidence package (its documents, trail and hashes)."""
    from portal.infra.pdf import PdfFailed
    app = can_view(db.session, current_user, application_id)
    if app is None or not evidence.may_export(current_user, app):
        abort(404)
    try:
        data = evidence.package(app)
    except PdfFailed:
        abort(503)
    with db.writing() as session:  # exports are recorded, as downloads are
        audit.record(session, "evidence_export", session.get(User, current_user.id),
                     application=session.get(Application, app.id), address=request.remote_addr)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="evidence-{app.number}.zip"'})


access.register("lists.evidence_package", access.USER)


@bp.route("/questionnaires")
def questionnaires():
    """The questionnaires of the companies the user files for (G-9.6), newest first."""
    rows = questionnaire_domain.for_organisations(db.session, companies_for(db.session, current_user))
    today, max_age = exchange_date(), current_app.config["QUESTIONNAIRE_MAX_AGE_DAYS"]
    forms = {q.id: _form_title(q) for q in rows}
    return render("lists/questionnaires.html", questionnaires=rows, forms=forms, max_age=max_age,
                  stale={q.id: questionnaire_domain.is_stale(q, today, max_age) for q in rows})


def _form_title(q) -> str:
    """The form's title as the source application's version had it."""
    runtime = runtime_for(q.application.procedure_version)
    form = next((f for p in runtime.stages for f in p.stage.forms if f.id == q.form_id), None)
    return t(form.title) if form else q.form_id
