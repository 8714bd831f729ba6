"""Fixtures in the flaskr shape: app, client, auth; plus tiny factories."""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from portal import create_app
from portal.database import db as portal_db
from portal.demo import DEMO_PASSWORD
from portal.domain.passwords import hash_password
from portal.migrate import upgrade
from portal.models import Base, Organisation, User, utcnow

PASSWORD = DEMO_PASSWORD
_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


def pytest_configure(config):
    config.addinivalue_line("markers", "asvs(id): the OWASP ASVS requirement a test covers")
    config.addinivalue_line("markers", "browser: needs Debian's chromium")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    upgrade(url)
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": str(tmp_path / "files"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_KEEP_INSIDE": True,
        "DEFAULT_LANGUAGE": "en",
        "SERVER_NAME": None,
    })
    with app.app_context():
        yield app
        portal_db.session.rollback()
        portal_db._remove()
        with portal_db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        portal_db.engine.dispose()


@pytest.fixture
def db(app):
    return portal_db.session


@pytest.fixture
def client(app):
    return app.test_client()


def make_org(db, **overrides) -> Organisation:
    n = next(_counter)
    values = dict(code=f"ORG{n}", legal_form="JSC", bin=f"{n:012d}", roles=["initiator"],
                  name_full_kk=f"Ұйым {n}", name_full_ru=f"Организация {n}",
                  name_full_en=f"Organisation {n}", name_short_kk=f"Ұйым {n}",
                  name_short_ru=f"Орг {n}", name_short_en=f"Org {n}")
    values.update(overrides)
    org = Organisation(**values)
    db.add(org)
    db.commit()
    return org


def make_user(db, organisation, **overrides) -> User:
    n = next(_counter)
    values = dict(surname="Testov", name=f"User{n}", position="Tester", email=f"user{n}@test.kz",
                  phone="+7 700 000 00 00", iin="850101300005", language="en",
                  password_hash=_HASH, password_changed_at=utcnow(), must_change_password=False)
    values.update(overrides)
    user = User(organisation_id=organisation.id, **values)
    db.add(user)
    db.commit()
    return user


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD, follow=False):
        return self.client.post("/login", data={"email": email, "password": password,
                                                "agreement": "y"}, follow_redirects=follow)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)
