"""Sessions beyond the absolute lifetime (issue 14 item 2): idle timeout, the __Host- prefix."""
from datetime import timedelta

import pytest
from conftest import login_as, make_org, make_user

from portal.models import UserSession, utcnow


def _session_row(db, user) -> UserSession:
    db.expire_all()
    return db.query(UserSession).filter_by(user_id=user.id).one()


def _seen(db, user, minutes_ago: float) -> None:
    row = _session_row(db, user)
    row.last_seen_at = utcnow() - timedelta(minutes=minutes_ago)
    db.commit()


@pytest.mark.asvs("V3.3.2")
def test_an_idle_session_ends_after_session_idle_minutes(app, db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    _seen(db, user, 29)
    assert client.get("/").status_code == 200
    _seen(db, user, 31)
    r = client.get("/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")


def test_last_seen_is_written_at_most_once_a_minute(db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    _seen(db, user, 0.5)
    before = _session_row(db, user).last_seen_at
    client.get("/")
    assert _session_row(db, user).last_seen_at == before
    _seen(db, user, 2)
    client.get("/")
    assert _session_row(db, user).last_seen_at > utcnow() - timedelta(seconds=30)


def test_the_session_cookie_takes_the_host_prefix_over_https(make_app, db):
    secure = make_app(SESSION_COOKIE_SECURE=True)
    assert secure.config["SESSION_COOKIE_NAME"] == "__Host-is2in_session"
    user = make_user(db, make_org(db))
    browser = secure.test_client()
    r = login_as(browser, user)
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("__Host-"))
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    plain = make_app()
    assert plain.config["SESSION_COOKIE_NAME"] == "is2in_session"
