"""PostgreSQL and Redis on loopback for the operations tests: skipped without them, except
under CI=true, where they must answer."""
from __future__ import annotations

import os
import socket
from contextlib import contextmanager

import pytest
from conftest import _recreate_postgres, _worker
from sqlalchemy import make_url

REDIS = ("127.0.0.1", 6379)
PG = os.environ.get("PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


def _base() -> str:
    given = os.environ.get("TEST_DATABASE_URL", "")
    return given if given.startswith("postgresql") else PG


def require(redis: bool = False) -> None:
    pg = make_url(_base())
    if answers(pg.host or "127.0.0.1", pg.port or 5432) and (not redis or answers(*REDIS)):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL and Redis must answer under CI")
    pytest.skip("PostgreSQL or Redis is not running on 127.0.0.1")


@contextmanager
def own_database(suffix: str):
    """A PostgreSQL database of the test's own beside the suite's, dropped afterwards."""
    base = _base()
    name = f"{make_url(base).database}_{suffix}{_worker()}"
    _recreate_postgres(base, name)
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        _recreate_postgres(base, name, create=False)
