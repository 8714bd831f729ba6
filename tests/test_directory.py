"""The user menu's "Users", "Partnership", "Normative base" and "Exchange insiders" (G-9.2,
G-9.3, G-9.7, G-9.8), account creation by the exchange (G-3) and tenant isolation."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from conftest import exchange_org, login_as, make_org, make_staff, make_user, url_args
from pypdf import PdfWriter
from sqlalchemy import func, select

from portal.domain.accounts import users as accounts
from portal.domain.identifiers import is_bin_or_iin
from portal.models import (
    ExchangeInsider,
    NormativeDocument,
    Organisation,
    OutboxMail,
    Partnership,
    SetPasswordToken,
    User,
)


def valid_id(prefix: str) -> str:
    """A 12-digit BIN/IIN with a correct check digit, starting with the 11 digits given."""
    for last in "0123456789":
        if is_bin_or_iin(prefix + last):
            return prefix + last
    raise AssertionError(prefix)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def new_user_form(**overrides) -> dict:
    data = dict(surname="Сәрсенов", name="Ерік", patronymic="", position="Accountant",
                email="new.user@a.kz", phone="+7 701 111 22 33", iin=valid_id("90010130000"),
                language="kk")
    data.update(overrides)
    return data


@pytest.fixture
def world(db):
    """Two client organisations A and B, advisers and an auditor; B has a partner."""
    a, b = make_org(db, code="AAA"), make_org(db, code="BBB")
    adviser = make_org(db, code="ADV", roles=["adviser"])
    adviser2 = make_org(db, code="ADV2", roles=["adviser"])
    sleeping = make_org(db, code="SLEEP", roles=["adviser"], active=False)
    auditor = make_org(db, code="AUD", roles=["auditor"])
    w = dict(a=a, b=b, adviser=adviser, adviser2=adviser2, sleeping=sleeping, auditor=auditor,
             a_admin=make_user(db, a, is_org_admin=True, surname="Alpha-admin"),
             a_user=make_user(db, a, surname="Alpha-user"),
             a_gone=make_user(db, a, surname="Alpha-disabled", active=False),
             b_admin=make_user(db, b, is_org_admin=True, surname="Bravo-admin"),
             b_user=make_user(db, b, surname="Bravo-user"))
    b_partner = Partnership(client_id=b.id, partner_id=adviser.id, role="adviser")
    db.add(b_partner)
    db.commit()
    w["b_partner"] = b_partner
    return type("World", (), w)


@pytest.fixture
def exchange(db):
    org = exchange_org(db)
    return type("Exchange", (), dict(
        org=org,
        admin=make_staff(db, org, ("account_admin",), surname="Account-admin"),
        office=make_staff(db, org, ("office",), surname="Office-clerk"),
        reviewer=make_staff(db, org, ("authorised",), surname="Reviewer")))


# --- Users: tenant isolation and who may add ------------------------------------------------

@pytest.mark.asvs("V4.2.1")
def test_users_tab_lists_only_the_own_organisations_active_users(world, client):
    login_as(client, world.a_user)
    page = client.get("/users", query_string={"organisation_id": world.b.id}).get_data(as_text=True)
    assert "Alpha-admin" in page and "Alpha-user" in page
    assert "Alpha-disabled" not in page
    assert "Bravo" not in page and world.b_user.email not in page


@pytest.mark.asvs("V4.2.1")
def test_a_client_cannot_read_or_change_another_organisations_users(world, client, db):
    login_as(client, world.a_admin)
    assert client.get(f"/admin/organisations/{world.b.id}").status_code == 403
    assert client.post(f"/admin/users/{world.b_user.id}/toggle").status_code == 403
    r = client.post(f"/admin/organisations/{world.b.id}/users/new",
                    data=new_user_form(email="planted@b.kz"))
    assert r.status_code == 403
    db.refresh(world.b_user)
    assert world.b_user.active
    assert db.scalar(select(User).where(User.email == "planted@b.kz")) is None


@pytest.mark.asvs("V4.1.3")
def test_only_organisation_administrators_add_users(world, client, db):
    login_as(client, world.a_user)
    assert b'href="/users/new"' not in client.get("/users").data
    assert client.get("/users/new").status_code == 403
    assert client.post("/users/new", data=new_user_form()).status_code == 403
    assert db.scalar(select(User).where(User.email == "new.user@a.kz")) is None
    assert db.scalar(select(func.count()).select_from(OutboxMail)) == 0


def _set_password_link(mail: OutboxMail) -> str:
    match = re.search(r"https?://[^/\s]+(/set-password/[A-Za-z0-9_-]+)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_org_admin_adds_a_user_who_gets_a_set_password_mail(world, client, db):
    login_as(client, world.a_admin)
    assert b'href="/users/new"' in client.get("/users").data
    r = client.post("/users/new", data=new_user_form(email="New.User@A.kz",
                                                      organisation_id=world.b.id))
    assert r.status_code == 302 and r.headers["Location"] == "/users"
    user = db.scalar(select(User).where(User.email == "new.user@a.kz"))
    assert user is not None
    assert user.organisation_id == world.a.id  # never another organisation's
    assert user.password_hash is None and user.must_change_password
    assert user.staff_roles == []
    mails = db.scalars(select(OutboxMail).where(OutboxMail.recipient == "new.user@a.kz")).all()
    assert len(mails) == 1 and mails[0].status == "pending"
    assert "new.user@a.kz" in mails[0].body
    assert "New.User" not in client.get("/users").get_data(as_text=True)
    assert "Сәрсенов" in client.get("/users").get_data(as_text=True)

    # the link works once …
    link = _set_password_link(mails[0])
    client.post("/logout")
    assert client.get(link).status_code == 200
    r = client.post(link, data={"new_password": "Own#pass1", "confirm": "Own#pass1"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert client.get(link).status_code == 410
    r = client.post(link, data={"new_password": "Other#pass2", "confirm": "Other#pass2"})
    assert r.status_code == 410
    # … and the new user signs in with the password chosen
    login_as(client, user, "Own#pass1")
    assert client.get("/").status_code == 200


def test_set_password_link_keeps_the_password_rule(world, client, db):
    user = make_user(db, world.a, password_hash=None, must_change_password=True)
    token = accounts.issue_set_password_token(db, user)
    db.commit()
    r = client.post(f"/set-password/{token}", data={"new_password": "short", "confirm": "short"})
    assert r.status_code == 200
    assert b"8 to 12 characters" in r.data
    assert client.get(f"/set-password/{token}").status_code == 200  # still usable


def test_set_password_link_expires(world, client, db):
    user = make_user(db, world.a, password_hash=None, must_change_password=True)
    old = accounts.issue_set_password_token(db, user, now=accounts.utcnow() - timedelta(hours=73))
    fresh = accounts.issue_set_password_token(db, user, now=accounts.utcnow() - timedelta(hours=71))
    db.commit()
    assert client.get(f"/set-password/{old}").status_code == 410
    r = client.post(f"/set-password/{old}", data={"new_password": "Own#pass1", "confirm": "Own#pass1"})
    assert r.status_code == 410
    db.refresh(user)
    assert user.password_hash is None
    assert client.get(f"/set-password/{fresh}").status_code == 200
    assert client.get("/set-password/not-a-token").status_code == 410


def test_the_user_and_the_mail_are_one_transaction(world, client, db, monkeypatch):
    from portal.web import directory as directory_views

    def broken_mail(*_args, **_kwargs):
        raise RuntimeError("mail template broke")

    monkeypatch.setattr(directory_views, "queue_mail", broken_mail)
    login_as(client, world.a_admin)
    r = client.post("/users/new", data=new_user_form())
    assert r.status_code == 500
    assert db.scalar(select(User).where(User.email == "new.user@a.kz")) is None
    assert db.scalar(select(func.count()).select_from(SetPasswordToken)) == 0
    assert db.scalar(select(func.count()).select_from(OutboxMail)) == 0


# --- Partnership ----------------------------------------------------------------------------

def _options(html: str) -> set[str]:
    select_html = re.search(r'<select[^>]*name="partner".*?</select>', html, re.S)
    return set(re.findall(r'<option[^>]*>([A-Z0-9]+) —', select_html.group(0))) if select_html else set()


def test_add_drop_down_offers_active_companies_in_that_role_only(world, client):
    login_as(client, world.a_user)
    advisers = _options(client.get("/partnership").get_data(as_text=True))
    assert advisers == {"ADV", "ADV2"}  # not the inactive one, not the auditor, not clients
    auditors = _options(client.get("/partnership?role=auditor").get_data(as_text=True))
    assert auditors == {"AUD"}


def test_partner_added_from_the_drop_down_appears_in_the_list(world, client, db):
    login_as(client, world.a_user)
    r = client.post("/partnership", data={"role": "adviser", "partner": world.adviser.id})
    assert r.status_code == 302
    rows = db.scalars(select(Partnership).where(Partnership.client_id == world.a.id)).all()
    assert [(p.partner_id, p.role) for p in rows] == [(world.adviser.id, "adviser")]
    page = client.get("/partnership").get_data(as_text=True)
    assert "<td>ADV — " in page
    assert "ADV" not in _options(page)  # no longer offered
    r = client.post("/partnership", data={"role": "auditor", "partner": world.auditor.id})
    assert db.scalar(select(func.count()).select_from(Partnership)
                     .where(Partnership.client_id == world.a.id)) == 2


@pytest.mark.parametrize("role, partner", [
    ("adviser", "sleeping"),   # inactive company
    ("adviser", "auditor"),    # wrong role
    ("auditor", "adviser"),    # wrong role
    ("adviser", "b"),          # a client, no adviser role
    ("adviser", "a"),          # itself
    ("initiator", "b"),        # not a partner role
    ("nonsense", "adviser"),   # not a role at all
])
def test_partner_outside_the_drop_down_is_refused(world, client, db, role, partner):
    login_as(client, world.a_user)
    r = client.post("/partnership", data={"role": role, "partner": getattr(world, partner).id})
    assert r.status_code == 302
    assert db.scalar(select(func.count()).select_from(Partnership)
                     .where(Partnership.client_id == world.a.id)) == 0
    assert b"cannot be added as a partner" in client.get(r.headers["Location"]).data


@pytest.mark.asvs("V4.2.1")
def test_a_client_cannot_see_or_touch_another_clients_partners(world, client, db):
    login_as(client, world.a_user)
    page = client.get("/partnership").get_data(as_text=True)
    assert "<td>ADV — " not in page  # B's partner is not in A's list
    assert "No partners yet." in page
    assert f"/partnership/{world.b_partner.id}/removal" not in page
    r = client.post(f"/partnership/{world.b_partner.id}/removal", data={"reason": "not ours"})
    assert r.status_code == 404
    assert client.post("/partnership/999999/removal", data={"reason": "x"}).status_code == 404
    assert client.post(f"/admin/partner-removals/{world.b_partner.id}").status_code == 403
    db.refresh(world.b_partner)
    assert world.b_partner.removal_requested_at is None


def test_removal_is_requested_by_the_client_and_done_by_the_exchange(world, exchange, app, db):
    b = app.test_client()
    login_as(b, world.b_user)
    page = b.get("/partnership").get_data(as_text=True)
    assert f"/partnership/{world.b_partner.id}/removal" in page
    r = b.post(f"/partnership/{world.b_partner.id}/removal", data={"reason": "Added by mistake"})
    assert r.status_code == 302
    db.refresh(world.b_partner)
    assert world.b_partner.removal_requested_at is not None
    assert world.b_partner.removal_requested_by == world.b_user.id
    assert "Removal requested on" in b.get("/partnership").get_data(as_text=True)
    # the client cannot remove it, nor can exchange staff without the account-admin role
    assert b.post(f"/admin/partner-removals/{world.b_partner.id}").status_code == 403
    office = app.test_client()
    login_as(office, exchange.office)
    assert office.post(f"/admin/partner-removals/{world.b_partner.id}").status_code == 403

    admin = app.test_client()
    login_as(admin, exchange.admin)
    queue = admin.get("/admin/partner-removals").get_data(as_text=True)
    assert "Added by mistake" in queue and "BBB" in queue
    r = admin.post(f"/admin/partner-removals/{world.b_partner.id}")
    assert r.status_code == 302
    assert db.scalar(select(func.count()).select_from(Partnership)
                     .where(Partnership.client_id == world.b.id)) == 0
    assert "Added by mistake" not in admin.get("/admin/partner-removals").get_data(as_text=True)


def test_an_empty_removal_reason_is_refused(world, client, db):
    login_as(client, world.b_user)
    r = client.post(f"/partnership/{world.b_partner.id}/removal", data={"reason": ""})
    assert r.status_code == 302
    db.refresh(world.b_partner)
    assert world.b_partner.removal_requested_at is None


# --- accounts created by the exchange (G-3) -------------------------------------------------

def test_account_admin_creates_an_organisation_and_its_users(exchange, client, db):
    login_as(client, exchange.admin)
    bin_ = valid_id("05114000003")
    form = dict(code="newco", legal_form="JSC", bin=bin_, name_full_kk="Жаңа", name_short_kk="Жаңа",
                name_full_ru="Новая", name_short_ru="Новая", name_full_en="New Co",
                name_short_en="New", roles=["initiator"])
    r = client.post("/admin/organisations/new", data=form)
    assert r.status_code == 302
    org = db.scalar(select(Organisation).where(Organisation.bin == bin_))
    assert org.code == "NEWCO" and org.roles == ["initiator"] and org.active
    r = client.post(f"/admin/organisations/{org.id}/users/new",
                    data=new_user_form(email="head@newco.kz", is_first_head="y",
                                       staff_roles=["account_admin"]))
    assert r.status_code == 302
    user = db.scalar(select(User).where(User.email == "head@newco.kz"))
    assert user.organisation_id == org.id and user.is_first_head
    assert user.staff_roles == []  # exchange roles only for exchange staff
    assert db.scalar(select(func.count()).select_from(OutboxMail)
                     .where(OutboxMail.recipient == "head@newco.kz")) == 1
    # a BIN with a wrong check digit is refused
    bad = dict(form, code="BAD", bin=bin_[:-1] + str((int(bin_[-1]) + 1) % 10))
    r = client.post("/admin/organisations/new", data=bad)
    assert r.status_code == 200
    assert db.scalar(select(Organisation).where(Organisation.code == "BAD")) is None


def test_account_admin_disables_a_user(world, exchange, app, db):
    victim = app.test_client()
    login_as(victim, world.b_user)
    admin = app.test_client()
    login_as(admin, exchange.admin)
    assert admin.post(f"/admin/users/{world.b_user.id}/toggle").status_code == 302
    db.refresh(world.b_user)
    assert not world.b_user.active
    assert victim.get("/").status_code == 302  # signed out at once


def test_sent_mail_shows_bodies_only_when_mail_stays_inside(world, exchange, app, client, db):
    from portal.infra.mail import queue_mail
    with app.app_context():
        queue_mail(db, world.a_user, "new_user", token="SECRET-TOKEN")
    db.commit()
    login_as(client, exchange.admin)
    page = client.get("/admin/sent-mail").get_data(as_text=True)
    assert world.a_user.email in page and "SECRET-TOKEN" in page
    app.config["MAIL_KEEP_INSIDE"] = False
    page = client.get("/admin/sent-mail").get_data(as_text=True)
    assert world.a_user.email in page and "SECRET-TOKEN" not in page


# --- Normative base -------------------------------------------------------------------------

def test_normative_base_lists_documents_and_downloads_them_as_attachments(exchange, world, client, db):
    login_as(client, exchange.admin)
    r = client.post("/admin/normative-base/new", content_type="multipart/form-data", data={
        "title_kk": "Листинг ережелері", "title_ru": "Листинговые правила", "title_en": "Listing rules",
        "kind": "exchange", "status": "in_force",
        "file": (io.BytesIO(pdf_bytes()), "Ережелер\u202e_ҚҰЖАТ.pdf")})
    assert r.status_code == 302
    doc = db.scalar(select(NormativeDocument).where(NormativeDocument.title_en == "Listing rules"))
    assert doc.stored_name.endswith(".pdf") and "Ережелер" not in doc.stored_name
    assert doc.file_name == "Ережелер_ҚҰЖАТ.pdf"  # bidi mark stripped, Kazakh kept
    client.post("/logout")

    login_as(client, world.a_user)  # language en
    page = client.get("/normative-base").get_data(as_text=True)
    assert "Listing rules" in page and f"/normative-base/{doc.id}/file" in page
    assert "/admin/normative-base" not in page  # no staff buttons for clients
    with client.get(f"/normative-base/{doc.id}/file") as r:
        assert r.status_code == 200
        body = r.data
    assert body.startswith(b"%PDF-") and len(body) == len(pdf_bytes())
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''" in disposition
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_a_non_pdf_upload_is_refused_with_a_message(exchange, client, db):
    login_as(client, exchange.office)  # any exchange staff may maintain the base
    r = client.post("/admin/normative-base/new", content_type="multipart/form-data", data={
        "title_kk": "Жалған", "title_ru": "Фальшивый", "title_en": "Fake", "kind": "law",
        "status": "in_force",
        "file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "fake.pdf")})
    assert r.status_code == 200
    assert b"The file is not a PDF document." in r.data
    r = client.post("/admin/normative-base/new", content_type="multipart/form-data", data={
        "title_kk": "Жалған", "title_ru": "Фальшивый", "title_en": "Fake", "kind": "law",
        "status": "in_force",
        "file": (io.BytesIO(b"%PDF-1.7\nnot really a pdf"), "fake2.pdf")})
    assert r.status_code == 200
    assert b"The file is not a PDF document." in r.data
    assert db.scalar(select(func.count()).select_from(NormativeDocument)) == 0


def test_staff_retire_a_document(exchange, world, app, db):
    doc = NormativeDocument(title_kk="Ескі", title_ru="Старый", title_en="Old one", kind="law",
                            status="repealed")
    db.add(doc)
    db.commit()
    clientside = app.test_client()
    login_as(clientside, world.a_user)
    assert "Old one" in clientside.get("/normative-base").get_data(as_text=True)
    assert clientside.post(f"/admin/normative-base/{doc.id}/retire").status_code == 403
    staff = app.test_client()
    login_as(staff, exchange.reviewer)
    assert staff.post(f"/admin/normative-base/{doc.id}/retire").status_code == 302
    db.refresh(doc)
    assert doc.retired
    assert "Old one" not in clientside.get("/normative-base").get_data(as_text=True)
    assert clientside.get(f"/normative-base/{doc.id}/file").status_code == 404


def test_document_titles_follow_the_users_language(world, client, db):
    db.add(NormativeDocument(title_kk="Қазақша атауы", title_ru="Русское название",
                             title_en="English title", kind="law", status="in_force"))
    world.a_user.language = "ru"
    db.commit()
    login_as(client, world.a_user)
    page = client.get("/normative-base").get_data(as_text=True)
    assert "Русское название" in page and "English title" not in page


# --- Exchange insiders ----------------------------------------------------------------------

def test_insiders_list_is_maintained_by_exchange_staff(exchange, world, app, db):
    staff = app.test_client()
    login_as(staff, exchange.office)
    r = staff.post("/admin/insiders/new", data={"full_name": "Омаров Нұрлан", "position": "Analyst",
                                                "included_on": "2026-01-15"})
    assert r.status_code == 302
    row = db.scalar(select(ExchangeInsider))
    assert row.included_on == date(2026, 1, 15) and row.excluded_on is None

    viewer = app.test_client()
    login_as(viewer, world.a_user)
    page = viewer.get("/insiders").get_data(as_text=True)
    assert "Омаров Нұрлан" in page and "/admin/insiders" not in page
    assert viewer.get("/admin/insiders/new").status_code == 403
    assert viewer.post(f"/admin/insiders/{row.id}/exclude").status_code == 403

    assert staff.post(f"/admin/insiders/{row.id}/exclude").status_code == 302
    db.refresh(row)
    assert row.excluded_on is not None


# --- admin pages are closed to everyone else ------------------------------------------------

@pytest.mark.asvs("V4.1.1", "V4.1.3")
def test_non_staff_get_403_on_every_admin_page(app, world, client):
    login_as(client, world.a_admin)  # an organisation administrator, but a client
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = rule.build(url_args(rule))[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            assert client.open(url, method=method).status_code == 403, (method, url)
            checked += 1
    assert checked >= 10


@pytest.mark.asvs("V4.1.3")
def test_staff_without_the_account_admin_role_cannot_manage_accounts(exchange, world, client):
    login_as(client, exchange.office)
    for path in ("/admin/organisations", "/admin/organisations/new",
                 f"/admin/organisations/{world.a.id}", "/admin/partner-removals",
                 "/admin/sent-mail"):
        assert client.get(path).status_code == 403, path
    assert client.get("/admin/normative-base/new").status_code == 200
    assert client.get("/admin/insiders/new").status_code == 200
