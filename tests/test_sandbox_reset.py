"""The training sandbox resets to the demo data in one confirmed, audited action (issue 14
item 7)."""
from pathlib import Path

from conftest import exchange_org, login_as, make_org, make_staff, make_user
from sqlalchemy import select

from portal.domain.workflow import audit
from portal.models import AuditEvent, Organisation, User


def test_the_reset_exists_only_in_a_sandbox(app, db, client):
    login_as(client, make_staff(db, exchange_org(db)))
    assert client.get("/admin/sandbox/reset").status_code == 404
    assert client.post("/admin/sandbox/reset", data={"confirmed": "y"}).status_code == 404


def test_only_account_administrators_reset(app, db, client):
    app.config["SANDBOX"] = True
    login_as(client, make_staff(db, exchange_org(db), roles=("office",)))
    assert client.post("/admin/sandbox/reset", data={"confirmed": "y"}).status_code == 403


def test_an_administrator_resets_the_sandbox_to_the_demo_data(app, db, client):
    app.config["SANDBOX"] = True
    admin = make_staff(db, exchange_org(db))
    trainee = make_user(db, make_org(db, code="PRACTICE"))
    old_file = Path(app.config["UPLOAD_DIR"]) / "practice.pdf"
    old_file.parent.mkdir(parents=True, exist_ok=True)
    old_file.write_bytes(b"%PDF-1.4 practice")
    admin_email, gone = admin.email, {admin.email, trainee.email}  # read now: ids are reused by the demo's rows
    login_as(client, admin)
    page = client.get("/admin/sandbox/reset").get_data(as_text=True)
    assert "What the reset removes" in page and "Organisations" in page
    assert client.post("/admin/sandbox/reset", data={}).status_code == 200  # not confirmed
    assert db.get(User, trainee.id) is not None

    r = client.post("/admin/sandbox/reset", data={"confirmed": "y"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    db.expire_all()
    emails = set(db.scalars(select(User.email)))
    assert emails and not gone & emails
    codes = set(db.scalars(select(Organisation.code)))
    assert "PRACTICE" not in codes and "KASE" in codes  # the demo's organisations
    assert not old_file.exists() and any(old_file.parent.iterdir())  # the demo's own files
    events = db.scalars(select(AuditEvent)).all()
    assert [e.action for e in events] == ["sandbox_reset"]
    assert events[0].detail["by"] == admin_email
    assert events[0].detail["removed"]["organisations"] == 2
    assert audit.verify(db).ok
    assert client.get("/").status_code == 302  # signed out with the rest
