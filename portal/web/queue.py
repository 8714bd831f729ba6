"""The exchange staff's desk: the queue they start from, the executor's assignment and the
dashboard (issue 10.1, 10.10). Views parse, ask the domain, render."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain.applications import dashboard as figures
from portal.domain.applications import queue as desk
from portal.domain.refusal import Refused
from portal.domain.workflow.clocks import working_calendar
from portal.domain.workflow.engine import current_process
from portal.domain.workflow.versions import flow_of, runtime_for
from portal.infra.database import db
from portal.infra.mail import notify
from portal.models import Application, User
from portal.web import catalogue, chart
from portal.web.engine.display import t
from portal.web.engine.messages import refusal
from portal.web.engine.page import exchange_date
from portal.web.htmx import render
from portal.web.lists import ROW_LOADS

bp = Blueprint("queue", __name__, url_prefix="/queue")


def _flows() -> dict:
    return {e.flow.code: e.flow.flow for e in catalogue.catalogue().values()}


def choices() -> dict:
    """The filters' options: the processes and states of the shipped flows, the procedures."""
    processes, statuses = {}, {}
    for entry in catalogue.catalogue().values():
        for process in entry.procedure.processes:
            processes.setdefault(process.id, t(process.name))
    for flow in _flows().values():
        for state_id, state in flow.states.items():
            if state.phase.value in desk.OPEN_PHASES + ("closed",):
                statuses.setdefault(state_id, t(state.label))
    procedures = sorted((e.procedure.code, t(e.procedure.name)) for e in catalogue.catalogue().values())
    return dict(processes=processes, statuses=statuses, procedures=procedures)


def _states_of(process: str) -> tuple[str, ...]:
    return tuple(sorted({sid for flow in _flows().values() for sid, s in flow.states.items()
                         if process in s.process}))


def describe(app: Application) -> dict:
    """A queue row's words (no query: the row's relations are loaded with the page)."""
    runtime, flow = runtime_for(app.procedure_version), flow_of(app)
    process = current_process(runtime, flow, app)
    return dict(procedure=t(runtime.procedure.name), process=t(process.name) if process else "",
                status=t(flow.states[app.status].label), category=runtime.procedure.category.value)


def filters() -> desk.Filters:
    args = request.args
    status, process = args.get("status", ""), args.get("process", "")
    statuses = (status,) if status else _states_of(process) if process else ()
    if process and not statuses:
        statuses = ("-",)  # a process no state names: nothing matches
    raw_page = args.get("page", "1")
    return desk.Filters(statuses=statuses, executor=args.get("executor", ""),
                        procedure=args.get("procedure", ""), due=args.get("due", ""),
                        closed=args.get("closed") == "1", sort=args.get("sort", "due"),
                        descending=args.get("dir") == "desc",
                        page=int(raw_page) if raw_page.isdigit() else 1)


@bp.route("/")
def index():
    chosen, today = filters(), exchange_date()
    rows, total = desk.page(db.session, chosen, today, ROW_LOADS)
    dues = desk.first_dues(db.session, rows, today, working_calendar(db.session))
    query = {k: v for k, v in request.args.items() if k not in ("page", "sort", "dir") and v}
    return render("queue/queue.html", "rows", rows=rows, total=total, dues=dues,
                  describe=describe, filters=chosen, args=request.args, query=query,
                  pages=max((total + desk.PAGE_SIZE - 1) // desk.PAGE_SIZE, 1),
                  staff=desk.exchange_staff(db.session), today=today, **choices())


@bp.route("/<int:application_id>/executor", methods=["POST"])
def assign(application_id: int):
    app = db.session.get(Application, application_id, with_for_update=True)
    if app is None or app.phase == "deleted" or app.submitted_at is None:
        abort(404)
    raw = request.form.get("executor_id", "")
    executor = db.session.get(User, int(raw)) if raw.isdigit() else None
    try:
        desk.assign_executor(db.session, app, current_user, executor,
                             lambda user, application: notify(user, application,
                                                              "executor_assigned"))
    except Refused as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is now the executor of application %(number)s.",
                name=executor.full_name, number=app.number), "info")
    return redirect(request.form.get("back") if str(request.form.get("back", "")).startswith(
        "/queue") else url_for("queue.index"))


@bp.route("/dashboard")
def dashboard():
    today = exchange_date()
    months = figures.submissions_per_month(db.session, today)
    names = {e.procedure.code: t(e.procedure.name) for e in catalogue.catalogue().values()}
    return render("queue/dashboard.html", counts=figures.by_procedure_and_status(db.session),
                  overdue=figures.overdue(db.session, today), names=names,
                  medians=figures.median_days(db.session), months=months,
                  chart=chart.bars([(m.strftime("%m.%Y"), n) for m, n in months]), **choices())
