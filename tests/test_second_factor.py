"""TOTP for exchange staff and a fresh sign-in for "Approved" (issue 11, item 10)."""
from datetime import timedelta

import pyotp
import pytest
from conftest import PASSWORD, exchange_org, login_as, make_org, make_staff, make_user
from engine_support import application, make_issuer, sent_for_approval
from sqlalchemy import select

from portal.domain.accounts import totp
from portal.domain.accounts.users import reauthenticate, signed_in_at, start_session
from portal.models import User, UserSession, utcnow


def _password(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password, "agreement": "y"})


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _five_wrong(client, path, data):
    """Four wrong answers get the page again; the fifth locks and goes to the sign-in page."""
    for _ in range(4):
        assert client.post(path, data=data).status_code == 200
    r = client.post(path, data=data)
    assert r.status_code == 302 and r.headers["Location"] == "/login"


@pytest.mark.asvs("V2.8.1")
def test_a_staff_user_without_totp_is_led_to_enrol_with_a_qr_code(db, client):
    staff = make_staff(db, exchange_org(db), totp_secret=None)
    r = _password(client, staff)
    assert r.status_code == 302 and r.headers["Location"] == "/login/enrol"
    assert not _signed_in(client)  # the password alone signs nobody in
    page = client.get("/login/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # drawn on the server, no outside service
    import re
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert client.post("/login/enrol", data={"code": "000000"}).status_code == 200
    r = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert _signed_in(client)
    db.expire_all()
    assert db.get(User, staff.id).totp_secret == secret


@pytest.mark.asvs("V2.8.1", "V2.8.4")
def test_an_enrolled_staff_user_needs_the_code_and_a_code_works_once(app, db, client):
    staff = make_staff(db, exchange_org(db))
    r = _password(client, staff)
    assert r.headers["Location"] == "/login/code"
    assert not _signed_in(client)
    assert client.get("/admin/organisations").status_code == 302
    code = pyotp.TOTP(staff.totp_secret).now()
    r = client.post("/login/code", data={"code": code})
    assert r.status_code == 302 and _signed_in(client)
    other = app.test_client()  # the same code seen over a shoulder, used again
    _password(other, staff)
    r = other.post("/login/code", data={"code": code})
    assert r.status_code == 200 and b"wrong or was used already" in r.data
    assert not _signed_in(other)


@pytest.mark.asvs("V2.2.1")
def test_guessing_codes_locks_the_account(db, client):
    staff = make_staff(db, exchange_org(db))
    _password(client, staff)
    _five_wrong(client, "/login/code", {"code": "123456"})
    db.expire_all()
    assert db.get(User, staff.id).locked_until is not None
    _password(client, staff)
    assert client.post("/login/code", data={"code": pyotp.TOTP(staff.totp_secret).now()}).status_code == 302
    assert not _signed_in(client)


def test_the_code_is_owed_within_five_minutes(db, client):
    staff = make_staff(db, exchange_org(db))
    _password(client, staff)
    with client.session_transaction() as s:
        s["mfa"] = dict(s["mfa"], at=s["mfa"]["at"] - 301)
    r = client.post("/login/code", data={"code": pyotp.TOTP(staff.totp_secret).now()})
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert not _signed_in(client)


def test_clients_sign_in_with_the_password_alone(db, client):
    user = make_user(db, make_org(db), is_org_admin=True)
    r = _password(client, user)
    assert r.headers["Location"] == "/" and _signed_in(client)


def test_codes_are_checked_in_the_domain():
    secret = pyotp.random_base32()
    now = utcnow()
    code = pyotp.TOTP(secret).at(now.replace(tzinfo=__import__("datetime").timezone.utc))
    step = totp.matching_step(secret, code, None, totp._aware(now))
    assert step is not None
    assert totp.matching_step(secret, code, step, totp._aware(now)) is None  # once only
    for bad in ("", "12345", "1234567", "١٢٣٤٥٦", "abcdef"):
        assert totp.matching_step(secret, bad, None, totp._aware(now)) is None


# --- a fresh sign-in for "Approved" --------------------------------------------------------

def test_typing_the_password_again_makes_the_sign_in_fresh(db):
    """signed_in_at feeds the flows' fresh_sign_in guard: the last time the password was typed."""
    user = make_user(db, make_org(db))
    an_hour_ago = utcnow().replace(microsecond=0) - timedelta(hours=1)
    token = start_session(db, user, now=an_hour_ago)
    db.commit()
    assert signed_in_at(db, token) == an_hour_ago
    assert not reauthenticate(db, user, token, "Wrong#pw1")
    assert not reauthenticate(db, user, "another-browser", PASSWORD)
    now = utcnow().replace(microsecond=0)
    assert reauthenticate(db, user, token, PASSWORD, now=now)
    db.commit()
    assert signed_in_at(db, token) == now


def _with_first_head_signed_in_long_ago(db, client, auth, minutes=60):
    """An application with the first head, who typed the password `minutes` ago."""
    issuer = make_issuer(db)
    app_id, url = sent_for_approval(client, auth, issuer)
    auth.logout()
    login_as(client, issuer.head)
    for row in db.scalars(select(UserSession).where(UserSession.user_id == issuer.head.id)):
        row.created_at = row.verified_at = utcnow() - timedelta(minutes=minutes)
    db.commit()
    return app_id, url


@pytest.mark.asvs("V3.7.1")
def test_approved_asks_for_the_password_again_after_a_few_minutes(db, client, auth):
    app_id, url = _with_first_head_signed_in_long_ago(db, client, auth)
    r = client.post(f"{url}/transitions/approve")
    assert r.status_code == 302 and r.headers["Location"].startswith("/reauthenticate?next=")
    assert application(db, app_id).status == "awaiting_approval"
    r = client.post(f"{url}/transitions/approve", headers={"HX-Request": "true"})
    assert r.headers["HX-Redirect"].startswith("/reauthenticate?next=")
    page = client.get(r.headers["HX-Redirect"])
    assert b'name="password"' in page.data
    assert client.post(r.headers["HX-Redirect"], data={"password": "Wrong#pw1"}).status_code == 200
    r = client.post(r.headers["HX-Redirect"], data={"password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == f"{url}?stage=summary"
    assert client.post(f"{url}/transitions/approve").status_code == 302
    assert application(db, app_id).status == "approved"


def test_return_for_revision_and_save_need_no_fresh_sign_in(db, client, auth):
    app_id, url = _with_first_head_signed_in_long_ago(db, client, auth)
    assert client.post(f"{url}/comments/save").status_code == 302
    assert client.post(f"{url}/transitions/return_for_revision", data={"confirmed": "1"}).status_code == 302
    assert application(db, app_id).status == "draft"


def test_wrong_passwords_on_the_confirmation_page_lock_the_account(db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    _five_wrong(client, "/reauthenticate", {"password": "Wrong#pw1"})
    assert not _signed_in(client)


def test_the_confirmation_page_returns_only_to_this_site(db, client):
    login_as(client, make_user(db, make_org(db)))
    r = client.post("/reauthenticate?next=//evil.example/", data={"password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/"
