"""Engine and session set-up: SQLite tuned so concurrent writers neither lose updates nor fail.

SQLite runs in WAL mode with a busy timeout and every transaction opened with BEGIN IMMEDIATE
(SECURITY.md: deferred BEGIN fails with "database is locked" under load; the driver's own
transaction handling loses updates). PostgreSQL needs nothing special here.
"""
from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

# False while serving a read-only request: its transaction need not take SQLite's write lock
WRITE_INTENT: ContextVar[bool] = ContextVar("write_intent", default=True)


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               **kwargs)
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if WRITE_INTENT.get() else "BEGIN")
