"""Health checks for load balancers: /healthz (the process answers) and /readyz (it can serve)."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app
from sqlalchemy import text

from portal.domain import outbox
from portal.infra import migrate
from portal.infra.database import db
from portal.web import access

bp = Blueprint("health", __name__)
access.register("health.readyz", access.PUBLIC)  # /healthz is in access.py
PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    return "ok", 200, PLAIN


def _problems() -> list[str]:
    try:
        connection = db.session.connection()
        connection.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is the answer itself
        current_app.logger.exception("readyz: database unreachable")
        return ["database unreachable"]
    problems = [] if migrate.is_current(connection) else ["migrations not current"]
    age = timedelta(minutes=current_app.config["READY_OUTBOX_MAX_AGE_MINUTES"])
    if outbox.stuck(db.session, age):
        problems.append("outbox stuck")
    db.session.rollback()  # a read: release the connection at once
    return problems


@bp.get("/readyz")
def readyz():
    problems = _problems()
    return ("\n".join(problems) or "ready"), (503 if problems else 200), PLAIN
