"""Incoming numbers (G-23): one sequence per year, with no gaps and no duplicates.

The year's counter row is raised by an UPDATE inside the registering transaction: PostgreSQL
holds its row lock until commit (a second server's UPDATE waits, then sees the new value) and
SQLite's writer runs under BEGIN IMMEDIATE; a rolled-back registration gives its number back.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.models import RegistrationCounter


def next_number(db: Session, year: int) -> int:
    """The year's next incoming number, taken inside the caller's transaction."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    # the year's first registration creates its row; a clash with another server is ignored
    db.execute(insert(RegistrationCounter).values(year=year, last=0)
               .on_conflict_do_nothing(index_elements=["year"]))
    db.execute(update(RegistrationCounter).where(RegistrationCounter.year == year)
               .values(last=RegistrationCounter.last + 1))
    return db.scalar(select(RegistrationCounter.last).where(RegistrationCounter.year == year))


def incoming_number(year: int, n: int) -> str:
    return f"{year}/{n:05d}"
