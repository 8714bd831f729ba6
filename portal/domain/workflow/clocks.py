"""When an application's clocks run out: the due date of each deadline of its procedure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.procedures.definitions import Deadline
from portal.domain.procedures.runtime import Runtime
from portal.domain.workflow.calendar import WorkingCalendar
from portal.models import Application, CalendarDay


@dataclass(frozen=True)
class Due:
    deadline: Deadline
    due: date | None  # None while the clock has not started
    overdue: bool


def working_calendar(db: Session) -> WorkingCalendar:
    rows = db.scalars(select(CalendarDay)).all()
    return WorkingCalendar(days_off={r.day for r in rows if r.kind == "day_off"},
                           working_days={r.day for r in rows if r.kind == "working_day"})


def _start(deadline: Deadline, app: Application, values: dict) -> date | None:
    events = {"created": app.created_at, "submitted": app.submitted_at}
    if deadline.start in events:
        moment = events[deadline.start]
        return moment.date() if moment else None
    try:
        return date.fromisoformat(str(values.get(deadline.start) or ""))
    except ValueError:
        return None


def due_dates(runtime: Runtime, app: Application, values: dict, calendar: WorkingCalendar,
              today: date, finished: bool = False) -> list[Due]:
    """Every deadline of the procedure with its due date; overdue only while still open."""
    deadlines = list(runtime.procedure.deadlines) + [p.deadline for p in runtime.procedure.processes
                                                     if p.deadline]
    found = []
    for deadline in deadlines:
        start = _start(deadline, app, values)
        due = calendar.add(start, deadline.days, deadline.unit) if start else None
        found.append(Due(deadline, due, bool(due and not finished and today > due)))
    return found
