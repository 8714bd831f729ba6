"""The first-head right (issue 11, item 1): an organisation administrator only asks; the
exchange's account administrators grant it; the grant is recorded, the existing first head
told, and the new first head sees only applications sent for approval after it."""
import time

import pytest
from conftest import exchange_org, login_as, make_staff, make_user
from engine_support import application, make_issuer, post_stage, sent_for_approval
from sqlalchemy import select
from test_directory import _set_password_link, new_user_form

from portal.domain.accounts import first_head
from portal.domain.workflow.audit import verify
from portal.models import AuditEvent, Notification, OutboxMail, User


def first_head_events(db) -> list[AuditEvent]:
    """The first-head events in the portal's audit trail, oldest first."""
    db.expire_all()
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action.like("first_head_%"))
                           .order_by(AuditEvent.id)))


def test_an_org_admin_who_makes_a_first_head_gets_a_request_not_the_right(app, db, client, auth):
    """The attack as reported: the admin adds a 'first head', sets its password from the mail,
    signs in as it and opens the author's application. Now the new user only waits."""
    issuer = make_issuer(db)
    app_id, url = sent_for_approval(client, auth, issuer)
    auth.logout()
    login_as(client, issuer.admin)
    assert client.get(url).status_code == 404
    r = client.post("/users/new", data=new_user_form(email="puppet@a.kz", is_first_head="y"))
    assert r.status_code == 302
    puppet = db.scalar(select(User).where(User.email == "puppet@a.kz"))
    assert not puppet.is_first_head and puppet.first_head_requested_at is not None
    assert puppet.first_head_requested_by == issuer.admin.id
    mail = db.scalar(select(OutboxMail).where(OutboxMail.recipient == "puppet@a.kz"))
    auth.logout()
    link = _set_password_link(mail)
    client.post(link, data={"new_password": "Pup#pet2026", "confirm": "Pup#pet2026"})
    login_as(client, puppet, "Pup#pet2026")
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/transitions/approve").status_code == 404
    assert application(db, app_id).status == "awaiting_approval"


def test_only_account_administrators_grant(app, db, client):
    issuer = make_issuer(db)
    colleague = make_user(db, issuer.org)
    login_as(client, issuer.admin)
    assert client.post(f"/admin/users/{colleague.id}/first-head", data={"action": "grant"}).status_code == 403
    for actor in (issuer.admin, issuer.head, make_staff(db, exchange_org(db), roles=("office",))):
        with pytest.raises(first_head.NotAllowed):
            first_head.grant(db, colleague, actor)
    db.refresh(colleague)
    assert not colleague.is_first_head and first_head_events(db) == []


def test_a_confirmed_request_is_recorded_and_the_first_head_told(app, db, client):
    issuer = make_issuer(db)
    colleague = make_user(db, issuer.org, surname="Жаңа\r\nYour password expired: http://evil")
    login_as(client, issuer.admin)
    assert client.post(f"/users/{colleague.id}/first-head").status_code == 302
    assert [(e.action, e.actor_id, e.role) for e in first_head_events(db)] == [
        ("first_head_requested", issuer.admin.id, "org_admin")]
    staff = make_staff(db, exchange_org(db))
    desk = app.test_client()
    login_as(desk, staff)
    page = desk.get("/admin/first-head-requests").get_data(as_text=True)
    assert colleague.email in page and "Confirm as first head" in page
    r = desk.post(f"/admin/users/{colleague.id}/first-head", data={"action": "grant", "back": "requests"})
    assert r.status_code == 302 and r.headers["Location"] == "/admin/first-head-requests"
    db.expire_all()
    colleague = db.get(User, colleague.id)
    assert colleague.is_first_head and colleague.first_head_since is not None
    assert colleague.first_head_granted_by == staff.id and colleague.first_head_requested_at is None
    granted = first_head_events(db)[-1]
    assert (granted.action, granted.actor_id, granted.role) == ("first_head_granted", staff.id, "staff")
    assert granted.detail == {"user": colleague.id, "organisation": issuer.org.id,
                              "requested_by": issuer.admin.id, "told": [issuer.head.id]}
    assert verify(db).ok  # in the portal's one hash-chained trail
    told = db.scalar(select(Notification).where(Notification.user_id == issuer.head.id))
    assert "first head of your organisation" in told.message
    mail = db.scalar(select(OutboxMail).where(OutboxMail.recipient == issuer.head.email))
    assert "first head of your organisation" in mail.body
    # the name's line break cannot start a line that looks like the portal's own
    assert not any(line.startswith("Your password expired") for line in mail.body.splitlines())
    assert "No requests." in desk.get("/admin/first-head-requests").get_data(as_text=True)


def test_a_new_first_head_sees_only_what_is_sent_after_the_grant(app, db, client, auth):
    issuer = make_issuer(db)
    before_id, before_url = sent_for_approval(client, auth, issuer)
    colleague = make_user(db, issuer.org)
    first_head.grant(db, colleague, make_staff(db, exchange_org(db)))
    db.commit()
    time.sleep(1.1)  # history times are whole seconds; a send in the grant's second counts as before
    after_id, after_url = sent_for_approval(client, auth, issuer)
    auth.logout()
    login_as(client, colleague)
    assert client.get(before_url).status_code == 404
    assert client.get(after_url).status_code == 200
    listing = client.get("/under-review").data
    assert application(db, after_id).number.encode() in listing
    assert application(db, before_id).number.encode() not in listing
    # the first head from before sees both
    auth.logout()
    login_as(client, issuer.head)
    assert client.get(before_url).status_code == 200 and client.get(after_url).status_code == 200
    # returned and sent again after the grant: now the new first head sees it too
    assert client.post(f"{before_url}/transitions/return_for_revision", data={"confirmed": "1"}).status_code == 302
    auth.logout()
    auth.login(issuer.author.email)
    post_stage(client, before_url, "issuer", {"f.name": "Демо АҚ", "f.organised": "yes", "f.category": "a"})
    assert client.post(f"{before_url}/transitions/send_for_approval").status_code == 302
    auth.logout()
    login_as(client, colleague)
    assert client.get(before_url).status_code == 200


def test_account_admins_take_the_right_back_and_add_first_heads_directly(app, db, client):
    issuer = make_issuer(db)
    staff = make_staff(db, exchange_org(db))
    login_as(client, staff)
    page = client.get(f"/admin/organisations/{issuer.org.id}").get_data(as_text=True)
    assert "Take back the first-head right" in page and "Make first head" in page
    r = client.post(f"/admin/users/{issuer.head.id}/first-head", data={"action": "revoke"})
    assert r.status_code == 302
    db.expire_all()
    assert not db.get(User, issuer.head.id).is_first_head
    r = client.post(f"/admin/organisations/{issuer.org.id}/users/new",
                    data=new_user_form(email="head2@a.kz", is_first_head="y"))
    assert r.status_code == 302
    added = db.scalar(select(User).where(User.email == "head2@a.kz"))
    assert added.is_first_head and added.first_head_granted_by == staff.id
    assert [e.action for e in first_head_events(db)] == ["first_head_revoked", "first_head_granted"]
