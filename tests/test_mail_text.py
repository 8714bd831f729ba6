"""User text in forms and e-mails (issue 11, items 8 and 10): single-line fields refuse control
characters; mail bodies keep user text inside the portal's own lines; text downloads say their
charset once."""
import pytest
from conftest import exchange_org, login_as, make_org, make_staff, make_user
from sqlalchemy import select
from test_directory import new_user_form

from portal.infra.mail import queue_mail
from portal.infra.storage import store_bytes
from portal.models import NormativeDocument, OutboxMail, User

INJECTED = "Ерік\r\n\r\nYour password expired: http://evil.example/reset"


@pytest.mark.parametrize("field", ["surname", "name", "patronymic", "position"])
@pytest.mark.parametrize("control", ["\r\n", "\n", "\t", "\x1b", "\u2028"])
def test_single_line_account_fields_refuse_control_characters(field, control, db, client):
    admin = make_user(db, make_org(db), is_org_admin=True)
    login_as(client, admin)
    r = client.post("/users/new", data=new_user_form(**{field: f"Ерік{control}Fake line"}))
    assert r.status_code == 200
    assert b"Line breaks and control characters are not allowed here." in r.data
    assert db.scalar(select(User).where(User.email == "new.user@a.kz")) is None
    assert db.scalar(select(OutboxMail)) is None


def test_a_mail_keeps_a_name_with_line_breaks_on_the_portals_line(app, db):
    user = make_user(db, make_org(db), name=INJECTED)  # e.g. stored before the form refused it
    with app.test_request_context():
        mail = queue_mail(db, user, "new_user", token="t0ken")
    lines = mail.body.splitlines()
    assert not any(line.startswith("Your password expired") for line in lines)
    greeting = next(line for line in lines if line.startswith("Hello, "))
    assert "Your password expired: http://evil.example/reset" in greeting


def test_a_text_download_says_its_charset_once(db, client, app):
    with app.test_request_context():
        stored = store_bytes("Қазақстан".encode(), ".txt")
    db.add(NormativeDocument(title_kk="Ә", title_ru="Я", title_en="A", kind="law", status="in_force",
                             stored_name=stored, file_name="law.txt",
                             content_type="text/plain; charset=utf-8"))
    db.commit()
    doc = db.scalar(select(NormativeDocument))
    login_as(client, make_user(db, make_org(db)))
    r = client.get(f"/normative-base/{doc.id}/file")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.data.decode() == "Қазақстан"
    r.close()


def test_staff_forms_refuse_control_characters_too(db, client):
    staff = make_staff(db, exchange_org(db))
    login_as(client, staff)
    r = client.post("/admin/insiders/new", data={"full_name": "Ә\r\nБ", "position": "x",
                                                 "included_on": "2026-01-01"})
    assert r.status_code == 200 and b"control characters are not allowed" in r.data
