"""The exchange staff's queue (issue 10.1): applications sent to the exchange, filtered, sorted
and paged in SQL, with the days left on the clock that falls due first; and the authorised
person's choice of the exchange executor, recorded in the audit trail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portal.domain.refusal import require
from portal.domain.workflow import audit
from portal.domain.workflow.calendar import WorkingCalendar
from portal.models import Application, Clock, Organisation, ProcedureVersion, User

PAGE_SIZE = 25
SOON_DAYS = 3  # "due soon": within this many calendar days
SORTS = {"due": Application.next_due_on, "submitted": Application.submitted_at,
         "number": Application.number, "incoming": Application.incoming_number,
         "status": Application.status}
OPEN_PHASES = ("exchange", "applicant")  # with the exchange, or back with the applicant


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()   # a process's states, or one chosen status
    executor: str = ""               # "" any, "none" unassigned, or a user id
    procedure: str = ""              # a procedure code
    due: str = ""                    # "" any, "overdue", "soon"
    closed: bool = False             # finished applications instead of open ones
    sort: str = "due"
    descending: bool = False
    page: int = 1


def _filtered(f: Filters, today: date) -> Select:
    query = (select(Application).join(ProcedureVersion,
                                      ProcedureVersion.id == Application.procedure_version_id)
             .where(Application.submitted_at.is_not(None)))
    query = query.where(Application.phase == "closed" if f.closed
                        else Application.phase.in_(OPEN_PHASES))
    if f.statuses:
        query = query.where(Application.status.in_(f.statuses))
    if f.executor == "none":
        query = query.where(Application.staff_executor_id.is_(None))
    elif f.executor.isdigit():
        query = query.where(Application.staff_executor_id == int(f.executor))
    if f.procedure:
        query = query.where(ProcedureVersion.code == f.procedure)
    if f.due == "overdue":
        query = query.where(Application.next_due_on < today)
    elif f.due == "soon":
        query = query.where(Application.next_due_on.between(today, today + timedelta(SOON_DAYS)))
    return query


def page(db: Session, f: Filters, today: date, loads=()) -> tuple[list[Application], int]:
    """One page of the queue and the number of matching applications (two queries)."""
    query = _filtered(f, today)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    column = SORTS.get(f.sort, Application.next_due_on)
    order = column.desc() if f.descending else column.asc()
    # applications without a running clock go last whichever way due dates are sorted
    rows = db.scalars(query.options(*loads).order_by(column.is_(None), order, Application.id)
                      .limit(PAGE_SIZE).offset((max(f.page, 1) - 1) * PAGE_SIZE)).unique().all()
    return list(rows), total


@dataclass(frozen=True)
class Due:
    on: date
    days_left: int  # in the clock's unit; negative once overdue
    unit: str
    overdue: bool


def first_dues(db: Session, rows: list[Application], today: date,
               calendar: WorkingCalendar) -> dict[int, Due]:
    """For each application, the running clock that falls due first (one query)."""
    due_on = {a.id: a.next_due_on for a in rows if a.next_due_on}
    if not due_on:
        return {}
    clocks = db.scalars(select(Clock).where(Clock.application_id.in_(due_on),
                                            Clock.stopped_on.is_(None), Clock.due_on.is_not(None))
                        .order_by(Clock.id))
    found = {}
    for clock in clocks:
        if clock.due_on != due_on[clock.application_id] or clock.application_id in found:
            continue
        left = (calendar.count(today, clock.due_on, clock.unit) if clock.due_on >= today
                else -calendar.count(clock.due_on, today, clock.unit))
        found[clock.application_id] = Due(clock.due_on, left, clock.unit, clock.due_on < today)
    return found


def exchange_staff(db: Session) -> list[User]:
    """Who may be made an application's exchange executor: active exchange employees."""
    users = db.scalars(select(User).join(Organisation, User.organisation_id == Organisation.id)
                       .where(User.active.is_(True), Organisation.is_exchange.is_(True))
                       .order_by(User.surname, User.name)).all()
    return [u for u in users if u.staff_roles]


def assign_executor(db: Session, app: Application, by: User, executor: User | None,
                    notify: Callable[[User, Application], None]) -> None:
    """The authorised person assigns the exchange executor (G-9.4's current executor)."""
    require(by.is_staff and by.has_staff_role("authorised"), "not_allowed")
    require(app.submitted_at is not None and app.phase in OPEN_PHASES, "state")
    require(executor is not None and executor.active and executor.is_staff, "not_staff")
    previous = app.staff_executor_id
    app.staff_executor_id = executor.id
    audit.record(db, "staff_executor_assigned", by, application=app, role="authorised",
                 executor=executor.id, previous=previous)
    if executor.id != by.id:
        notify(executor, app)
