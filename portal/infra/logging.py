"""Structured logs: one JSON object a line, and one line per request with its request id.

Only what is named here is logged about a request (ids, endpoint, status, duration): never
form fields, headers, cookies or bodies, so passwords, tokens, key stores and documents cannot
reach the log by accident.
"""
from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_FIELDS = ("request_id", "user_id", "organisation_id", "method", "endpoint", "status",
                  "duration_ms")
# a request id a reverse proxy passes on is kept only when it is a plain token
_FOREIGN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_log = logging.getLogger("portal.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if "request_id" not in entry and has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id() -> str:
    """This request's id (the correlation id an error page shows)."""
    if "request_id" not in g:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _FOREIGN_ID.match(given) else secrets.token_hex(8)
    return g.request_id


def init_app(app: Flask) -> None:
    logger = logging.getLogger("portal")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.removeHandler(default_handler)
    logger.setLevel(logging.INFO)

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def _log(response):
        from flask_login import current_user
        signed_in = getattr(current_user, "is_authenticated", False)
        started = g.get("request_started", time.perf_counter())
        response.headers["X-Request-Id"] = request_id()
        request_log.info("request", extra={
            "request_id": request_id(), "method": request.method,
            "user_id": current_user.id if signed_in else None,
            "organisation_id": current_user.organisation_id if signed_in else None,
            "endpoint": request.endpoint, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        return response
