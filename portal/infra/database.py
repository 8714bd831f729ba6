"""The request-scoped SQLAlchemy session for the Flask app."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask, abort, request
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from portal.infra.engine import WRITE_INTENT, make_engine, make_session_factory


class Database:
    def __init__(self) -> None:
        self.engine = None
        self._sessions: scoped_session | None = None
        self.sessionmaker: sessionmaker | None = None

    def init_app(self, app: Flask) -> None:
        if self.engine is not None:  # a second app in one process (tests): close the old pool
            self._remove()
            self.engine.dispose()
        self.engine = make_engine(app.config["DATABASE_URL"])
        self._sessions = make_session_factory(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)
        app.teardown_appcontext(self._remove)
        app.teardown_request(self._remove)  # also when a request runs inside an outer app context

        @app.before_request
        def _intent():
            # reads take no write lock; every form post writes under BEGIN IMMEDIATE
            WRITE_INTENT.set(request.method not in ("GET", "HEAD", "OPTIONS"))
        app.extensions["portal_db"] = self

    def _remove(self, _exc=None) -> None:
        if self._sessions is not None:
            self._sessions.remove()

    def get_or_404(self, model, ident: int, allowed=None):
        """The row, or 404 when it does not exist or `allowed(row)` says no."""
        row = self.session.get(model, ident)
        if row is None or (allowed is not None and not allowed(row)):
            abort(404)
        return row

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

    @property
    def session(self) -> Session:
        return self._sessions()  # type: ignore[misc]


db = Database()
