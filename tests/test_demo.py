"""Demo data for a demo or training sandbox: idempotent, every login printed and usable, the
normative base with the two regulations and the eight exchange documents (issue 3, item 11)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import login_as
from sqlalchemy import func, select

from portal.cli import demo
from portal.domain.accounts.passwords import PasswordPolicy
from portal.domain.identifiers import is_bin_or_iin
from portal.infra.storage import store_bytes
from portal.models import Base, NormativeDocument, Organisation, User

ACCOUNTS = yaml.safe_load((demo.DATA / "accounts.yaml").read_text(encoding="utf-8"))
DEMO_EMAILS = sorted(u["email"] for org in ACCOUNTS for u in org["users"])


def row_counts(db) -> dict[str, int]:
    return {t.name: db.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables}


@pytest.fixture
def loaded(app, db):
    with app.app_context():  # the files go to the app's UPLOAD_DIR
        return demo.load(db, store_bytes)


def test_running_the_loader_twice_changes_nothing(app, db, loaded):
    before = row_counts(db)
    files_before = sorted(p.name for p in Path(app.config["UPLOAD_DIR"]).iterdir())
    assert before["organisation"] == len(ACCOUNTS) and before["user_account"] == len(DEMO_EMAILS)
    with app.app_context():
        again = demo.load(db, store_bytes)
    assert row_counts(db) == before
    assert sorted(p.name for p in Path(app.config["UPLOAD_DIR"]).iterdir()) == files_before
    assert again == loaded


def test_the_loader_returns_every_demo_login(db, loaded):
    assert sorted(email for email, _org, _what in loaded) == DEMO_EMAILS
    for email, org_code, what in loaded:
        user = db.scalar(select(User).where(User.email == email))
        assert user.organisation.code == org_code
        assert what


def test_the_demo_has_the_people_the_issue_asks_for(db, loaded):
    def org(code):
        return db.scalar(select(Organisation).where(Organisation.code == code))

    exchange = db.scalar(select(Organisation).where(Organisation.is_exchange.is_(True)))
    roles = sorted(r for u in exchange.users for r in u.staff_roles)
    assert roles == ["account_admin", "authorised", "office"]
    issuer = next(o for o in db.scalars(select(Organisation)) if o.has_role("initiator"))
    assert any(u.is_org_admin for u in issuer.users)
    assert any(u.is_first_head for u in issuer.users)
    assert any(not u.is_org_admin and not u.is_first_head for u in issuer.users)  # an author
    adviser = next(o for o in db.scalars(select(Organisation)) if o.has_role("adviser"))
    assert len(adviser.users) >= 2
    for role in ("auditor", "candidate"):
        assert any(o.has_role(role) for o in db.scalars(select(Organisation))), role
    for o in db.scalars(select(Organisation)):
        assert is_bin_or_iin(o.bin), o.code
        for u in o.users:
            assert is_bin_or_iin(u.iin), u.email
    assert org("KASE") is not None


def test_the_demo_password_keeps_the_password_rule():
    assert PasswordPolicy().problems(demo.DEMO_PASSWORD) == []


def test_demo_accounts_sign_in_without_a_forced_password_change(app, db, loaded):
    for email in DEMO_EMAILS:
        client = app.test_client()
        user = db.scalar(select(User).where(User.email == email))
        assert not user.must_change_password
        login_as(client, user, demo.DEMO_PASSWORD)
        r = client.get("/")
        assert r.status_code == 200, email
        assert user.full_name in r.get_data(as_text=True)


def test_normative_base_has_003_repealed_004_in_force_and_eight_documents_awaiting_files(
        app, db, loaded):
    docs = {d.code: d for d in db.scalars(select(NormativeDocument))}
    seed_003, seed_004 = docs["nbrk-385-2003"], docs["nbrk-298-2018"]
    assert seed_003.status == "repealed" and seed_003.stored_name
    assert seed_004.status == "in_force" and seed_004.stored_name
    assert "385" in seed_003.title_en and "298" in seed_004.title_en
    internal = [d for d in docs.values() if d.kind == "exchange"]
    assert len(internal) == 8
    assert all(d.stored_name is None and d.status == "in_force" for d in internal)
    assert all(d.title_kk and d.title_ru and d.title_en for d in docs.values())

    client = app.test_client()
    login_as(client, db.scalar(select(User).where(User.email == "issuer.author@demo.kz")),
             demo.DEMO_PASSWORD)
    page = client.get("/normative-base").get_data(as_text=True)
    assert len(re.findall(r'href="/normative-base/\d+/file"', page)) == 2
    assert page.count('<td><span class="muted">') == 8  # "The file is awaited"
    assert page.count('class="repealed"') == 1
    with client.get(f"/normative-base/{seed_003.id}/file") as r:
        assert r.status_code == 200
        assert r.headers["Content-Disposition"].startswith("attachment")
        assert r.data == (demo.DATA / "nbrk-385-2003.txt").read_bytes()


def test_flask_demo_data_prints_every_login_in_a_sandbox(app, db):
    app.config["SANDBOX"] = True
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    for email in DEMO_EMAILS:
        assert email in result.output
    assert demo.DEMO_PASSWORD in result.output
    assert db.scalar(select(func.count()).select_from(User)) == len(DEMO_EMAILS)


def test_flask_demo_data_refuses_outside_a_sandbox(app, db):
    app.config["SANDBOX"] = False
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "sandbox" in result.output
    assert db.scalar(select(func.count()).select_from(Organisation)) == 0
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_the_demo_issuer_has_its_adviser_and_auditor(app, db):
    from portal.domain.accounts.organisations import issuers_of_adviser
    from portal.models import Organisation
    with app.app_context():
        demo.load(db, store_bytes)
        demo.load(db, store_bytes)
    broker = db.query(Organisation).filter_by(code="DEMOBRK").one()
    assert [o.code for o in issuers_of_adviser(db, broker.id)] == ["DEMOISS"]


def test_the_sandbox_renews_only_untouched_demo_passwords(app, db):
    from datetime import timedelta

    from portal.domain.accounts.passwords import hash_password
    from portal.models import utcnow
    with app.app_context():
        logins = demo.load(db, store_bytes)
    emails = [email for email, _org, _what in logins]
    old = utcnow() - timedelta(days=90)
    users = {u.email: u for u in db.scalars(select(User).where(User.email.in_(emails)))}
    for user in users.values():
        user.password_changed_at = old
    changed = users["issuer.head@demo.kz"]
    changed.password_hash = hash_password("Other#Pass1")
    db.commit()
    assert demo.renew_demo_passwords(db, emails) == len(emails) - 1
    db.expire_all()
    assert db.get(User, changed.id).password_changed_at == old  # a trainee's own password ages
    assert db.get(User, users["candidate@demo.kz"].id).password_changed_at > old
