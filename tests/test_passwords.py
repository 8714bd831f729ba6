"""The guide's password rule (G-8.2), expiry, forced change, reuse and hashing (SECURITY.md)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from conftest import PASSWORD, exchange_org, login_as, make_org, make_user, url_args
from sqlalchemy import select

from portal.config import TEST_PASSWORD_HASH
from portal.domain.accounts import passwords
from portal.domain.accounts import users as accounts
from portal.domain.accounts.passwords import PasswordPolicy, hash_password, verify_password
from portal.models import PasswordHistory, User, utcnow
from portal.web import access

POLICY = PasswordPolicy()


# --- the rule table: each rule broken alone ------------------------------------------------

@pytest.mark.asvs("V2.1.1")
@pytest.mark.parametrize("password, broken", [
    ("Ab1!xyz", "length"),          # 7 characters: too short
    ("Ab1!xyzwvutsr", "length"),    # 13 characters: too long
    ("Abc!defgh", "digit"),
    ("abc1!defg", "upper"),
    ("ABC1!DEFG", "lower"),
    ("Abc1defgh", "special"),
    ("Password1!", "common"),       # satisfies every class, but is on the common list
    ("PASSWORD1!".capitalize(), "common"),
])
def test_each_rule_broken_alone_is_the_only_problem(password, broken):
    assert POLICY.problems(password) == [broken]


@pytest.mark.asvs("V2.1.1")
@pytest.mark.parametrize("password", [
    "Ab1!xyzw",          # exactly 8
    "Ab1!xyzwvuts",      # exactly 12
    "Қаз1!ақстан",       # Kazakh letters count as upper and lower case
    "zQ9~kL3#",
])
def test_passwords_that_keep_every_rule_pass(password):
    assert POLICY.problems(password) == []


def test_several_broken_rules_are_all_reported():
    assert set(POLICY.problems("abc")) == {"length", "digit", "upper", "special"}


def test_length_limits_follow_the_configured_policy():
    longer = PasswordPolicy(min_length=10, max_length=64)
    assert longer.problems("Ab1!xyzw") == ["length"]
    assert longer.problems("Ab1!xyzwvutsrqpo") == []


@pytest.mark.asvs("V2.1.1")
def test_change_password_page_refuses_a_rule_breaking_password(db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    r = client.post("/password", data={"current_password": PASSWORD, "new_password": "abc1!defg",
                                       "confirm": "abc1!defg"})
    assert r.status_code == 200
    assert b"at least one upper-case letter" in r.data
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_change_password_needs_the_current_password(db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    r = client.post("/password", data={"current_password": "Wrong-pass1", "new_password": "Nw4#pass",
                                       "confirm": "Nw4#pass"})
    assert r.status_code == 200
    assert b"The current password is wrong." in r.data
    db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


# --- reuse of the last passwords ------------------------------------------------------------

@pytest.mark.asvs("V2.1.10")
def test_the_current_and_last_five_passwords_cannot_be_reused(db):
    user = make_user(db, make_org(db))
    history = [PASSWORD] + [f"Nw{i}#pass" for i in range(1, 7)]
    for new in history[1:]:
        assert accounts.password_problems(db, user, new, POLICY) == []
        accounts.set_password(db, user, new)
    db.commit()
    # current: Nw6#pass; remembered: the last five before it (Nw1 … Nw5)
    for old in history[1:]:
        assert "reused" in accounts.password_problems(db, user, old, POLICY), old
    # the sixth-oldest has dropped out of the history and may be chosen again
    assert accounts.password_problems(db, user, PASSWORD, POLICY) == []


@pytest.mark.asvs("V2.1.10")
def test_reusing_the_current_password_is_refused_on_the_page(db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    r = client.post("/password", data={"current_password": PASSWORD, "new_password": PASSWORD,
                                       "confirm": PASSWORD})
    assert b"This password was used recently" in r.data
    assert db.scalar(select(PasswordHistory).where(PasswordHistory.user_id == user.id)) is None


# --- expiry after 60 days -------------------------------------------------------------------

def test_expiry_is_sixty_days():
    changed = utcnow()
    assert not POLICY.expired(changed, changed + timedelta(days=59, hours=23))
    assert not POLICY.expired(changed, changed + timedelta(days=60))
    assert POLICY.expired(changed, changed + timedelta(days=60, seconds=1))
    assert POLICY.expired(None, changed)  # never set: must be set first


def test_needs_password_change_uses_the_given_time(db):
    user = make_user(db, make_org(db))
    t0 = user.password_changed_at
    assert not accounts.needs_password_change(user, POLICY, now=t0 + timedelta(days=30))
    assert accounts.needs_password_change(user, POLICY, now=t0 + timedelta(days=61))


@pytest.mark.asvs("V2.1.1")
def test_an_expired_password_forces_a_change_after_login(db, client):
    user = make_user(db, make_org(db), password_changed_at=utcnow() - timedelta(days=61))
    login_as(client, user)
    for path in ("/", "/users", "/partnership", "/normative-base", "/profile"):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/password"), path
    r = client.get("/password")
    assert r.status_code == 200
    assert b"You must change your password before you continue." in r.data
    r = client.post("/password", data={"current_password": PASSWORD, "new_password": "Fresh#pw9",
                                       "confirm": "Fresh#pw9"})
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    db.refresh(user)
    assert utcnow() - user.password_changed_at < timedelta(minutes=1)


# --- first login ----------------------------------------------------------------------------

@pytest.mark.asvs("V2.1.1")
def test_first_login_forces_a_change_before_anything_else(app, db, client):
    """Every page and action but the password page, the language switch and log-out sends a
    user who must change the password to /password; the user here holds every right, so no
    403 hides a page that would otherwise open."""
    exchange = exchange_org(db)
    user = make_user(db, exchange, must_change_password=True, is_org_admin=True,
                     staff_roles=["account_admin", "office", "authorised"])
    login_as(client, user)
    checked = 0
    for rule in app.url_map.iter_rules():
        endpoint = rule.endpoint
        if access.POLICY.get(endpoint) == access.PUBLIC or endpoint in access.DURING_PASSWORD_CHANGE:
            continue
        url = rule.build(url_args(rule))[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            r = client.open(url, method=method)
            assert r.status_code == 302, (method, url, r.status_code)
            assert r.headers["Location"].startswith("/password"), (method, url)
            checked += 1
    assert checked > 20
    r = client.post("/password", data={"current_password": PASSWORD, "new_password": "Mine#2026",
                                       "confirm": "Mine#2026"})
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/users").status_code == 200


def test_a_new_user_sets_a_password_by_link_then_is_not_forced_again(db, client):
    user = make_user(db, make_org(db), password_hash=None, password_changed_at=None,
                     must_change_password=True)
    token = accounts.issue_set_password_token(db, user)
    db.commit()
    r = client.post(f"/set-password/{token}", data={"new_password": "Mine#2026",
                                                    "confirm": "Mine#2026"})
    assert r.status_code == 302
    login_as(client, user, "Mine#2026")
    assert client.get("/").status_code == 200


# --- hashing --------------------------------------------------------------------------------

@pytest.mark.asvs("V2.4.1")
def test_passwords_are_stored_as_argon2id_hashes(db, client):
    user = make_user(db, make_org(db))
    login_as(client, user)
    client.post("/password", data={"current_password": PASSWORD, "new_password": "Argon#2id",
                                   "confirm": "Argon#2id"})
    stored = db.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")
    assert "Argon#2id" not in stored
    assert PasswordHasher().verify(stored, "Argon#2id")
    assert hash_password("Argon#2id") != stored  # salted
    old = db.scalar(select(PasswordHistory.password_hash).where(PasswordHistory.user_id == user.id))
    assert old.startswith("$argon2id$") and verify_password(old, PASSWORD)


def _cost(password_hash: str) -> str:
    return password_hash.split("$")[3]  # $argon2id$v=19$m=…,t=…,p=…$salt$hash


def test_the_hash_cost_is_the_apps_setting_cheap_only_under_testing(make_app):
    try:
        assert _cost(hash_password("Cheap#1x")) == "m=8,t=1,p=1"  # a TESTING app's
        # a production app (issue 14: one needs a real SECRET_KEY from the environment)
        make_app(TESTING=False, SECRET_KEY="p" * 40)
        assert _cost(hash_password("Dear#1xy")) == "m=65536,t=3,p=4"  # argon2-cffi's default
        assert verify_password(hash_password("Dear#1xy"), "Dear#1xy")
        make_app(PASSWORD_HASH={"time_cost": 2, "memory_cost": 16, "parallelism": 1})
        made = hash_password("Own#cost1")
        assert _cost(made) == "m=16,t=2,p=1"
        assert _cost(passwords._DUMMY) == _cost(made)  # unknown users cost the same
    finally:
        passwords.use_hash_parameters(**TEST_PASSWORD_HASH)
    assert verify_password(made, "Own#cost1")  # a hash keeps its own cost


def test_verify_password_does_not_accept_a_missing_hash():
    assert verify_password(None, "not-a-real-password-Xy1!") is False
    assert verify_password("not a hash", PASSWORD) is False
