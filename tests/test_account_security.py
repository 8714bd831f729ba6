"""Account security (issue 11, items 6, 7, 10): wrong current passwords count toward the lockout,
disabling ends sessions, and organisation administrators learn nothing about other organisations'
e-mails."""
import pytest
from conftest import PASSWORD, exchange_org, login_as, make_org, make_staff, make_user
from sqlalchemy import func, select
from test_auth import _post_login
from test_directory import exchange, new_user_form, world  # noqa: F401  (fixtures)

from portal.models import OutboxMail, User, UserSession

@pytest.mark.asvs("V2.2.1")
def test_wrong_current_passwords_count_with_the_sign_in_failures(db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    wrong = {"current_password": "Wrong#pw1", "new_password": "Chg#pw2026", "confirm": "Chg#pw2026"}
    for _ in range(4):
        r = client.post("/password", data=wrong)
        assert r.status_code == 200 and b"The current password is wrong." in r.data
    r = client.post("/password", data=wrong)  # the fifth: locked, signed out everywhere
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    db.expire_all()
    assert db.get(User, user.id).locked_until is not None
    assert db.scalar(select(func.count()).select_from(UserSession)
                     .where(UserSession.user_id == user.id)) == 0
    assert client.get("/").status_code == 302
    assert _post_login(client, user.email, PASSWORD).status_code == 200  # the lock applies


@pytest.mark.asvs("V2.2.1")
def test_sign_in_failures_and_password_page_failures_add_up(db, client):
    user = make_user(db, make_org(db))
    for _ in range(3):
        _post_login(client, user.email, "Wrong#pw1")
    login_as(client, user)  # a success resets the count …
    db.expire_all()
    assert db.get(User, user.id).failed_logins == 0
    for _ in range(2):  # … and the page's failures count from there
        client.post("/password", data={"current_password": "Wrong#pw1", "new_password": "Chg#pw2026",
                                       "confirm": "Chg#pw2026"})
    db.expire_all()
    assert db.get(User, user.id).failed_logins == 2
    for _ in range(3):
        client.post("/logout")
        _post_login(client, user.email, "Wrong#pw1")
    db.expire_all()
    assert db.get(User, user.id).locked_until is not None


@pytest.mark.asvs("V3.3.1")
def test_re_enabling_an_account_does_not_bring_back_its_sessions(app, db):
    user = make_user(db, make_org(db))
    browser = app.test_client()
    login_as(browser, user)
    admin_client = app.test_client()
    login_as(admin_client, make_staff(db, exchange_org(db)))
    assert admin_client.post(f"/admin/users/{user.id}/toggle").status_code == 302  # disabled
    assert db.scalar(select(func.count()).select_from(UserSession)
                     .where(UserSession.user_id == user.id)) == 0
    assert admin_client.post(f"/admin/users/{user.id}/toggle").status_code == 302  # enabled again
    db.expire_all()
    assert db.get(User, user.id).active
    r = browser.get("/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")


@pytest.mark.asvs("V2.5.1")
def test_an_org_admin_cannot_tell_whether_an_email_has_an_account_elsewhere(world, exchange, client, db):
    """Issue 11, item 10: an e-mail in use in another organisation (or at the exchange) gets
    the answer a new e-mail gets; its owner is told instead. Only the own organisation's
    users, whom the admin sees anyway, are named."""
    login_as(client, world.a_admin)

    def answer(email):
        r = client.post("/users/new", data=new_user_form(email=email))
        with client.session_transaction() as s:
            flashed = s.pop("_flashes", [])
        return r.status_code, r.headers.get("Location"), r.get_data(as_text=True), flashed

    fresh = answer("fresh.user@a.kz")
    assert fresh[:2] == (302, "/users")
    assert "will receive an e-mail to set a password" in fresh[3][0][1]
    for taken in (world.b_user.email.upper(), exchange.admin.email):
        assert answer(taken) == fresh, taken
    assert db.scalar(select(func.count()).select_from(User)
                     .where(User.email == world.b_user.email, User.organisation_id == world.a.id)) == 0
    notice = db.scalar(select(OutboxMail).where(OutboxMail.recipient == world.b_user.email))
    assert notice is not None and "You already have an account" in notice.body
    # a colleague of the own organisation is named: the Users tab lists them anyway
    r = client.post("/users/new", data=new_user_form(email=world.a_user.email))
    assert r.status_code == 200 and b"A user of your organisation already has this e-mail." in r.data


def test_the_exchange_is_told_plainly_that_an_email_is_in_use(world, exchange, client, db):
    login_as(client, exchange.admin)
    r = client.post(f"/admin/organisations/{world.a.id}/users/new",
                    data=new_user_form(email=world.b_user.email))
    assert r.status_code == 200 and b"A user with this e-mail already exists." in r.data
