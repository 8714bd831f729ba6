"""The request-scoped SQLAlchemy session, one engine per Flask app.

Each app keeps its own engine and session registry in `app.extensions["portal_db"]`; the
module's `db` only finds the current app's, so two apps in one process never share or close
each other's pool.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask, abort, current_app, request
from flask.globals import app_ctx
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from portal.infra.engine import WRITE_INTENT, make_engine


class AppDatabase:
    """One app's engine and sessions: a session per app context, removed when it ends."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)
        # keyed by the app context, not the thread: nested contexts never share a session
        self.sessions = scoped_session(self.sessionmaker,
                                       scopefunc=lambda: id(app_ctx._get_current_object()))

    def remove(self, _exc=None) -> None:
        self.sessions.remove()


class Database:
    """The current app's database: `db.session`, `db.engine`, `db.sessionmaker`."""

    def init_app(self, app: Flask) -> None:
        state = AppDatabase(app.config["DATABASE_URL"])
        app.extensions["portal_db"] = state
        app.teardown_appcontext(state.remove)

        @app.before_request
        def _intent():
            # reads take no write lock; every form post writes under BEGIN IMMEDIATE
            WRITE_INTENT.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @staticmethod
    def of(app: Flask) -> AppDatabase:
        return app.extensions["portal_db"]

    @property
    def _current(self) -> AppDatabase:
        return self.of(current_app)

    @property
    def engine(self) -> Engine:
        return self._current.engine

    @property
    def sessionmaker(self) -> sessionmaker:
        return self._current.sessionmaker

    @property
    def session(self) -> Session:
        return self._current.sessions()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A short transaction of its own that writes (BEGIN IMMEDIATE on SQLite), committed
        on leaving: e.g. an audit row for a download served by a read-only request."""
        token = WRITE_INTENT.set(True)
        try:
            with self.sessionmaker() as session, session.begin():
                yield session
        finally:
            WRITE_INTENT.reset(token)

    def get_or_404(self, model, ident: int, allowed=None):
        """The row, or 404 when it does not exist or `allowed(row)` says no."""
        row = self.session.get(model, ident)
        if row is None or (allowed is not None and not allowed(row)):
            abort(404)
        return row


db = Database()
