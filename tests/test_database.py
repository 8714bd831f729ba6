"""The database handle belongs to each app: two apps in one process keep their own engines."""
from __future__ import annotations

import pytest
from conftest import TEST_CATALOGUE, TEST_CONFIG
from flask import g, has_app_context
from sqlalchemy import text

from portal import create_app
from portal.infra.database import db as portal_db
from portal.infra.migrate import upgrade


def _app(tmp_path, name: str):
    url = f"sqlite:///{tmp_path / name}.sqlite"
    upgrade(url)
    return create_app(dict(TEST_CONFIG, DATABASE_URL=url, UPLOAD_DIR=str(tmp_path / name),
                           CATALOGUE_DIR=TEST_CATALOGUE))


def _database(app) -> str:
    with app.app_context():
        return portal_db.session.execute(text("PRAGMA database_list")).one().file


def test_two_apps_in_one_process_keep_their_own_database(tmp_path):
    first = _app(tmp_path, "first")
    with first.app_context():
        portal_db.session.execute(text("SELECT 1"))
        pool = portal_db.engine.pool
    assert pool.checkedin() == 1  # the first app's connection, back in its pool
    second = _app(tmp_path, "second")  # used to dispose the first app's engine
    try:
        assert _database(first).endswith("first.sqlite")
        assert _database(second).endswith("second.sqlite")
        with first.app_context():
            assert portal_db.engine.pool is pool  # not disposed (that makes a new pool)
            assert portal_db.session.get_bind() is portal_db.engine
        with second.app_context():
            assert portal_db.engine is not portal_db.of(first).engine
        assert pool.checkedin() == 1
    finally:
        for app in (first, second):
            portal_db.of(app).engine.dispose()


def test_the_session_belongs_to_the_app_context(tmp_path):
    app = _app(tmp_path, "one")
    try:
        with app.app_context():
            outer = portal_db.session
            with app.app_context():
                assert portal_db.session is not outer  # a nested context has its own
            assert portal_db.session is outer
        with pytest.raises(RuntimeError):
            portal_db.session  # noqa: B018  (no app, no session)
    finally:
        portal_db.of(app).engine.dispose()


def test_the_app_fixture_holds_no_context_and_each_request_has_its_own(app, client):
    seen = []

    @app.after_request
    def _record(response):
        seen.append((g._get_current_object(), portal_db.session))
        return response

    assert not has_app_context()
    client.get("/login")
    client.get("/login")
    assert not has_app_context()
    (first_g, first_session), (second_g, second_session) = seen
    assert first_g is not second_g and first_session is not second_session
