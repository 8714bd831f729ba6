"""The exchange's dashboard figures (issue 10.10), each one aggregate query: applications by
procedure and status, overdue ones, the median days each process took, submissions per month."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from statistics import median

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from portal.models import Application, Clock, ProcedureVersion

SENT = (Application.submitted_at.is_not(None), Application.phase != "deleted")


def by_procedure_and_status(db: Session) -> list[tuple[str, str, int]]:
    """(procedure code, status, count), sent to the exchange."""
    return [tuple(r) for r in db.execute(
        select(ProcedureVersion.code, Application.status, func.count())
        .join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id)
        .where(*SENT).group_by(ProcedureVersion.code, Application.status)
        .order_by(ProcedureVersion.code, Application.status))]


def overdue(db: Session, today: date) -> int:
    return db.scalar(select(func.count()).select_from(Application).where(
        *SENT, Application.phase != "closed", Application.next_due_on < today)) or 0


def median_days(db: Session) -> dict[str, float]:
    """Process id → the median calendar days its finished clocks ran (pauses included)."""
    days = defaultdict(list)
    for key, started, stopped in db.execute(
            select(Clock.deadline, Clock.started_on, Clock.stopped_on)
            .where(Clock.deadline.like("process:%"), Clock.stopped_on.is_not(None))):
        days[key.split(":", 1)[1]].append((stopped - started).days)
    return {process: median(values) for process, values in sorted(days.items())}


def _month(n: int) -> tuple[int, int]:
    return divmod(n, 12)[0], divmod(n, 12)[1] + 1


def submissions_per_month(db: Session, today: date, months: int = 12) -> list[tuple[date, int]]:
    """The last `months` months, oldest first, each with how many applications were sent."""
    last = today.year * 12 + today.month - 1
    first_year, first_month = _month(last - months + 1)
    year, month = (extract("year", Application.submitted_at),
                   extract("month", Application.submitted_at))
    counted = {(int(y), int(m)): n for y, m, n in db.execute(
        select(year, month, func.count()).where(
            *SENT, Application.submitted_at >= date(first_year, first_month, 1))
        .group_by(year, month))}
    return [(date(*_month(n), 1), counted.get(_month(n), 0))
            for n in range(last - months + 1, last + 1)]
