"""Fixtures in the flaskr shape: app, client, auth; plus tiny factories."""
from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from portal import create_app
from portal.cli.demo import DEMO_PASSWORD
from portal.config import TEST_PASSWORD_HASH
from portal.domain.accounts.passwords import hash_password, use_hash_parameters
from portal.infra.database import db as portal_db
from portal.infra.migrate import upgrade
from portal.models import Base, Organisation, User, utcnow
from portal.web import access as portal_access

PASSWORD = DEMO_PASSWORD
use_hash_parameters(**TEST_PASSWORD_HASH)  # as every TESTING app does
_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)
TEST_CATALOGUE = str(Path(__file__).with_name("data") / "catalogue")

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "MAIL_KEEP_INSIDE": True,
    "DEFAULT_LANGUAGE": "en",
    "SERVER_NAME": None,
}


def pytest_configure(config):
    config.addinivalue_line("markers", "asvs(id): the OWASP ASVS requirement a test covers")
    config.addinivalue_line("markers", "browser: needs Debian's chromium")
    config.addinivalue_line("markers", "system: starts the portal under gunicorn on loopback")
    config.addinivalue_line("markers", "services: needs PostgreSQL and Redis on 127.0.0.1 "
                            "(skipped without them, except under CI=true)")


def pytest_terminal_summary(terminalreporter):
    from proof_support import terminal_summary
    terminal_summary(terminalreporter)  # the results lines of the proof tests (issue 16)


def _worker() -> str:
    """The pytest-xdist worker (gw0, gw1, …), or "" when the suite runs in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _recreate_postgres(url: str, name: str, create: bool = True) -> None:
    """Drop (and create) database `name` through a connection to the given one."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """One database per xdist worker: a SQLite file, or on PostgreSQL a database beside the
    one TEST_DATABASE_URL names (test → test_gw0, test_gw1, …), dropped at the end."""
    given, worker = os.environ.get("TEST_DATABASE_URL"), _worker()
    if not given:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / f'test{worker}.sqlite'}"
    elif worker:
        name = f"{make_url(given).database}_{worker}"
        _recreate_postgres(given, name)
        url = make_url(given).set(database=name).render_as_string(hide_password=False)
    else:
        url = given
        _reset_postgres(url)
    upgrade(url)
    yield url
    if given and worker:
        _recreate_postgres(given, name, create=False)


@pytest.fixture
def catalogue_dir() -> str:
    """The engine's small test catalogue; catalogue tests override this with the shipped one."""
    return TEST_CATALOGUE


@pytest.fixture
def app(database_url, tmp_path, catalogue_dir):
    app = create_app(dict(TEST_CONFIG, DATABASE_URL=database_url,
                          UPLOAD_DIR=str(tmp_path / "files"), CATALOGUE_DIR=catalogue_dir,
                          PDF_SLOT_DIR=str(tmp_path / "pdf-slots")))
    yield app  # no context held open: each request pushes its own, as in production
    engine = portal_db.of(app).engine
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def db(app, database_url):
    """The test's own session, in autocommit mode: it never holds a lock or an old snapshot
    while the portal serves the test's requests in their own sessions."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    session = Session(bind=engine, expire_on_commit=False)
    yield session
    session.close()
    engine.dispose()


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
        r = self.client.post("/login", data={"email": email, "password": password,
                                             "agreement": "y"})
        r = second_factor(self.client, email, r)
        return self.client.get(r.headers["Location"]) if follow and r.status_code == 302 else r

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make_app(app, database_url):
    """Another app over the same database with some settings changed (CSRF on, a rate limit,
    a real SMTP server), with its own engine, closed afterwards."""
    made = []

    def factory(**overrides):
        config = dict(TEST_CONFIG, DATABASE_URL=database_url, UPLOAD_DIR=app.config["UPLOAD_DIR"],
                      CATALOGUE_DIR=app.config.get("CATALOGUE_DIR"))
        config.update(overrides)
        made.append(create_app(config))
        return made[-1]

    yield factory
    for other in made:
        portal_db.of(other).engine.dispose()


def login_as(client, user, password=PASSWORD):
    """Sign a test client in; fails the test at once if that did not work."""
    r = client.post("/login", data={"email": user.email, "password": password, "agreement": "y"})
    r = second_factor(client, user.email, r)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    return r


# exchange staff sign in with a TOTP code (issue 11): their secrets, and the steps used, since
# a code works once
TOTP_SECRETS: dict[str, str] = {}
_USED_STEPS: dict[str, int] = {}


def totp_code(email: str) -> str:
    """The code an authenticator app would show now, for a step not used yet."""
    import time

    import pyotp
    while True:
        current = int(time.time()) // 30
        step = max(current - 1, _USED_STEPS.get(email, -1) + 1)
        if step <= current + 1:
            _USED_STEPS[email] = step
            return pyotp.TOTP(TOTP_SECRETS[email]).at(step * 30)
        time.sleep(30 - time.time() % 30 + 0.05)


def second_factor(client, email: str, response):
    """Finish a staff sign-in as the user would: enrol if asked to, then enter the code."""
    location = response.headers.get("Location", "") if response.status_code == 302 else ""
    if location.startswith("/login/enrol"):
        page = client.get(location).get_data(as_text=True)
        TOTP_SECRETS[email] = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
        _USED_STEPS.pop(email, None)
    elif not location.startswith("/login/code"):
        return response
    return client.post(location, data={"code": totp_code(email)})


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def url_args(rule) -> dict:
    """Dummy values for a URL rule's variables: 999999 for numbers, "x" for the rest."""
    return {name: (999999 if type(conv).__name__ in ("IntegerConverter", "NumberConverter")
                   else "x") for name, conv in rule._converters.items()}


def policy_of(endpoint: str):
    return portal_access.POLICY.get(endpoint)


def exchange_org(db, **overrides):
    values = dict(is_exchange=True, roles=[], code=f"EXCH{next(_counter)}")
    values.update(overrides)
    return make_org(db, **values)


def make_staff(db, exchange, roles=("account_admin",), **overrides):
    """A staff user who has enrolled the second factor (TOTP_SECRETS holds the app's secret)."""
    import pyotp
    overrides.setdefault("totp_secret", pyotp.random_base32())
    user = make_user(db, exchange, staff_roles=list(roles), **overrides)
    TOTP_SECRETS[user.email] = user.totp_secret
    return user
