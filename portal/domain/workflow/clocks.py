"""Deadline clocks: each deadline of a procedure is a clock started by an event or a date field.

The exchange's clocks (its processes' deadlines) stand still while the application is back
with the applicant and resume on the answer with the days that were left, as statutory
clocks do; the applicant's clocks (the procedure's own deadlines) end once it sends the
application. Due dates are stored, so lists sort and filter by them in SQL; the earliest
running one is kept on the application itself (indexed).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.procedures.definitions import Deadline
from portal.domain.procedures.runtime import Runtime
from portal.domain.workflow.calendar import WorkingCalendar
from portal.domain.workflow.flows import Flow
from portal.models import Application, CalendarDay, Clock


def working_calendar(db: Session) -> WorkingCalendar:
    rows = db.scalars(select(CalendarDay)).all()
    return WorkingCalendar(days_off={r.day for r in rows if r.kind == "day_off"},
                           working_days={r.day for r in rows if r.kind == "working_day"})


def deadlines_of(runtime: Runtime) -> list[tuple[str, str, Deadline]]:
    """(key, side, deadline) for every deadline of the procedure, in the definition's order."""
    proc = runtime.procedure
    found = [(f"procedure:{n}", "applicant", d) for n, d in enumerate(proc.deadlines)]
    found += [(f"process:{p.id}", "applicant" if p.actor == "applicant" else "exchange",
               p.deadline) for p in proc.processes if p.deadline]
    return found


def _clocks(db: Session, app: Application) -> dict[str, Clock]:
    return {c.deadline: c for c in db.scalars(select(Clock).where(Clock.application_id == app.id))}


def _start(db: Session, app: Application, clocks: dict, key: str, side: str, deadline: Deadline,
           on: date, calendar: WorkingCalendar) -> None:
    clock = clocks.get(key)
    if clock is None:
        clock = clocks[key] = Clock(application_id=app.id, deadline=key, side=side, started_on=on)
        db.add(clock)
    clock.started_on, clock.paused_on, clock.stopped_on = on, None, None
    _count(clock, on, deadline.days, deadline.unit, calendar)


def _count(clock: Clock, start: date, amount: int, unit: str, calendar: WorkingCalendar) -> None:
    clock.counted_from, clock.amount, clock.unit = start, amount, unit
    clock.due_on = calendar.add(start, amount, unit)


def on_transition(db: Session, app: Application, runtime: Runtime, flow: Flow, event: str | None,
                  today: date, calendar: WorkingCalendar) -> None:
    """After the application entered its new state: stop, pause or resume running clocks,
    then start the clocks the event starts."""
    clocks = _clocks(db, app)
    closed = flow.states[app.status].ended
    for clock in clocks.values():
        if clock.stopped_on is not None:
            continue
        rule = getattr(flow.clocks, clock.side)
        deadline = _deadline(runtime, clock.deadline)
        if closed or (event and event in rule.stops_on) or deadline is None:
            clock.stopped_on = today
        elif app.status in rule.pauses_in and clock.paused_on is None:
            # months are kept as the calendar days that were left
            clock.amount = calendar.count(today, clock.due_on, clock.unit)
            clock.unit = "calendar_days" if clock.unit == "months" else clock.unit
            clock.paused_on, clock.counted_from, clock.due_on = today, None, None
        elif app.status not in rule.pauses_in and clock.paused_on is not None:
            clock.paused_on = None
            _count(clock, today, clock.amount, clock.unit, calendar)
    if event:
        for key, side, deadline in deadlines_of(runtime):
            if deadline.start == event:
                _start(db, app, clocks, key, side, deadline, today, calendar)
    _keep_earliest(app, clocks)


def on_values(db: Session, app: Application, runtime: Runtime, values: dict,
              calendar: WorkingCalendar) -> None:
    """Clocks that run from a date field follow that field while the applicant fills it."""
    clocks = _clocks(db, app)
    for key, side, deadline in deadlines_of(runtime):
        if deadline.start not in runtime.items:
            continue
        try:
            start = date.fromisoformat(str(values.get(deadline.start) or ""))
        except ValueError:
            start = None
        clock = clocks.get(key)
        if clock is not None and clock.stopped_on is not None:
            continue
        if start is None:
            if clock is not None:
                db.delete(clock)
                del clocks[key]
        elif clock is None or clock.started_on != start:
            _start(db, app, clocks, key, side, deadline, start, calendar)
    _keep_earliest(app, clocks)


def started_by(db: Session, app: Application, runtime: Runtime, event: str) -> list[Clock]:
    """The application's clocks that the event started (e.g. the re-submission term)."""
    keys = [k for k, _side, d in deadlines_of(runtime) if d.start == event]
    return [c for k, c in _clocks(db, app).items() if k in keys]


def recount(db: Session, calendar: WorkingCalendar) -> int:
    """After the exchange changed its calendar: every running clock counts its due date again
    (and the applications keep their earliest). Returns how many due dates moved."""
    moved = 0
    running = db.scalars(select(Clock).where(Clock.stopped_on.is_(None),
                                             Clock.counted_from.is_not(None))).all()
    for clock in running:
        due = calendar.add(clock.counted_from, clock.amount, clock.unit)
        if due != clock.due_on:
            clock.due_on, moved = due, moved + 1
    for app_id in {c.application_id for c in running}:
        app = db.get(Application, app_id)
        _keep_earliest(app, _clocks(db, app))
    return moved


def _deadline(runtime: Runtime, key: str) -> Deadline | None:
    return next((d for k, _side, d in deadlines_of(runtime) if k == key), None)


def _keep_earliest(app: Application, clocks: dict[str, Clock]) -> None:
    running = [c.due_on for c in clocks.values() if c.stopped_on is None and c.due_on]
    app.next_due_on = min(running) if running else None


@dataclass(frozen=True)
class Due:
    """A deadline as a person reads it: when it ends, how many days are left, and whether it
    has run out or stands still."""

    deadline: Deadline
    side: str
    due: date | None         # None while not started or paused
    days_left: int | None    # in the deadline's own unit (working or calendar days)
    paused: bool
    stopped: bool
    overdue: bool


def due_dates(db: Session, app: Application, runtime: Runtime, today: date,
              calendar: WorkingCalendar) -> list[Due]:
    clocks = _clocks(db, app)
    found = []
    for key, side, deadline in deadlines_of(runtime):
        clock = clocks.get(key)
        if clock is None:
            found.append(Due(deadline, side, None, None, False, False, False))
            continue
        running = clock.stopped_on is None
        if clock.paused_on is not None:
            left = clock.amount
        elif running and clock.due_on:
            left = calendar.count(today, clock.due_on, clock.unit) if clock.due_on >= today \
                else -calendar.count(clock.due_on, today, clock.unit)
        else:
            left = None
        found.append(Due(deadline, side, clock.due_on, left, clock.paused_on is not None,
                         not running, bool(running and clock.due_on and today > clock.due_on)))
    return found
