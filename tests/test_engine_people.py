"""The adviser stage, visibility (G-9.4), the first head's return with comments, and deletion."""
import pytest
from conftest import make_org, make_user
from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    application,
    create_application,
    make_issuer,
    post_stage,
)

from portal.domain.workflow.audit import verify
from portal.models import Notification, OutboxMail, Partnership


@pytest.fixture
def adviser_setup(db):
    issuer = make_issuer(db)
    broker = make_org(db, roles=["adviser"])
    employee = make_user(db, broker)
    colleague = make_user(db, broker)
    db.add(Partnership(client_id=issuer.org.id, partner_id=broker.id, role="adviser"))
    db.commit()
    return issuer, broker, employee, colleague


def _fill_author_stages(client, url):
    assert post_stage(client, url, "issuer", ISSUER_STAGE).status_code == 302
    assert post_stage(client, url, "placement", PLACEMENT_STAGE).status_code == 302


def test_adviser_stage_assigned_notified_and_filled(db, client, auth, adviser_setup):
    issuer, _broker, employee, colleague = adviser_setup
    app_id, url = create_application(client, auth, issuer)
    _fill_author_stages(client, url)
    page = client.get(f"{url}?stage=adviser")
    assert employee.full_name.encode() in page.data  # offered in the drop-down
    r = post_stage(client, url, "adviser", {"executor": employee.id}, action="assign")
    assert r.status_code == 302
    assert db.query(Notification).filter_by(user_id=employee.id, application_id=app_id).count() == 1
    assert db.query(OutboxMail).filter_by(recipient=employee.email).count() == 1
    # the author cannot fill the adviser's stage
    assert post_stage(client, url, "adviser", {"f.conclusion": "x"}).status_code == 422

    auth.logout()
    auth.login(employee.email)
    listing = client.get("/under-review")
    assert application(db, app_id).number.encode() in listing.data
    r = post_stage(client, url, "adviser", {"f.conclusion": "Эмитент талаптарға сәйкес келеді."})
    assert r.status_code == 302
    assert {s.stage_id: s.status for s in application(db, app_id).stages}["adviser"] == "filled"

    auth.logout()
    auth.login(colleague.email)  # same adviser, not assigned: sees nothing
    assert client.get(url).status_code == 404
    assert application(db, app_id).number.encode() not in client.get("/under-review").data


def test_other_organisations_get_404_without_the_number(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    number = application(db, app_id).number
    auth.logout()
    stranger = make_user(db, make_org(db))
    auth.login(stranger.email)
    for response in (client.get(url), client.get(f"{url}?stage=summary"),
                     client.get(f"{url}/document.pdf"),
                     client.post(f"{url}/transitions/delete", data={"confirmed": "1"}), client.post(f"{url}/transitions/send_for_approval"),
                     post_stage(client, url, "issuer", ISSUER_STAGE),
                     client.post(f"{url}/transitions/approve")):
        assert response.status_code == 404
        assert number.encode() not in response.data
    assert application(db, app_id).status == "draft"


def test_return_for_revision_with_comments_and_field_diff(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    _fill_author_stages(client, url)
    post_stage(client, url, "adviser", {}, action="skip")
    client.post(f"{url}/transitions/send_for_approval")
    auth.logout()

    auth.login(issuer.head.email)
    r = client.post(f"{url}/comments", data={"field": "name", "text": "Толық атауын жазыңыз."},
                    headers={"HX-Request": "true"})
    assert r.status_code == 200 and b"<html" not in r.data
    assert "Толық атауын жазыңыз.".encode() in r.data and b"not saved yet" in r.data
    client.post(f"{url}/comments/save")
    r = client.post(f"{url}/transitions/return_for_revision")
    assert r.status_code == 302
    app = application(db, app_id)
    assert app.status == "draft" and app.content_version == 2
    assert db.query(Notification).filter_by(user_id=issuer.author.id).count() == 1
    auth.logout()

    auth.login(issuer.author.email)
    page = client.get(f"{url}?stage=issuer").data.decode()
    assert "Толық атауын жазыңыз." in page  # the comment beside its field
    post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": "«Демо Эмитент» АҚ"}))
    summary = client.get(f"{url}?stage=summary").data.decode()
    assert "Changes since the version the first head saw" in summary
    assert "«Демо Эмитент» АҚ" in summary and "Демо Эмитент АҚ" in summary
    assert "Changed since this comment" in summary
    r = client.post(f"{url}/comments", data={"field": "name", "parent": "1", "text": "Түзетілді."})
    assert r.status_code == 302
    assert "Түзетілді." in client.get(f"{url}?stage=summary").data.decode()
    assert client.post(f"{url}/transitions/send_for_approval").status_code == 302
    assert application(db, app_id).status == "awaiting_approval"
    assert verify(db).ok


def test_only_the_first_head_decides(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    _fill_author_stages(client, url)
    post_stage(client, url, "adviser", {}, action="skip")
    client.post(f"{url}/transitions/send_for_approval")
    r = client.post(f"{url}/transitions/approve")  # the author tries
    assert r.status_code == 422
    assert application(db, app_id).status == "awaiting_approval"


def test_delete_until_sent_to_the_exchange(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    r = client.post(f"{url}/transitions/delete", data={"confirmed": "1"})
    assert r.status_code == 302
    assert application(db, app_id).status == "deleted"
    assert client.get(url).status_code == 404

    app_id, url = create_application(client, auth, issuer)
    app = application(db, app_id)
    app.status = "submitted"
    db.commit()
    client.post(f"{url}/transitions/delete", data={"confirmed": "1"})
    assert application(db, app_id).status == "submitted"


def test_the_cabinet_lists_what_waits_for_the_user(db, client, auth, adviser_setup):
    issuer, _broker, employee, _colleague = adviser_setup
    app_id, url = create_application(client, auth, issuer)
    number = application(db, app_id).number
    assert number.encode() in client.get("/").data  # the author fills it
    _fill_author_stages(client, url)
    post_stage(client, url, "adviser", {"executor": employee.id}, action="assign")
    assert number.encode() not in client.get("/").data  # now the adviser's turn
    auth.logout()
    auth.login(employee.email)
    assert number.encode() in client.get("/").data


def test_colleagues_see_an_application_only_as_its_executors(db, client, auth):
    issuer = make_issuer(db)
    colleague = make_user(db, issuer.org)
    app_id, url = create_application(client, auth, issuer)
    number = application(db, app_id).number.encode()
    auth.logout()
    for outsider in (colleague, issuer.admin, issuer.head):  # before it is sent for approval
        auth.login(outsider.email)
        assert client.get(url).status_code == 404
        assert number not in client.get("/under-review").data
        auth.logout()
    auth.login(issuer.admin.email)
    assert client.post(f"{url}/transitions/delete", data={"confirmed": "1"}).status_code == 404  # not even the organisation's admin
    auth.logout()
    auth.login(issuer.author.email)
    _fill_author_stages(client, url)
    post_stage(client, url, "adviser", {}, action="skip")
    client.post(f"{url}/transitions/send_for_approval")
    auth.logout()
    auth.login(issuer.head.email)  # the first head is now an executor
    assert client.get(url).status_code == 200 and number in client.get("/under-review").data
    client.post(f"{url}/transitions/return_for_revision")
    assert client.get(url).status_code == 200  # and stays one after returning it
    auth.logout()
    auth.login(colleague.email)
    assert client.get(url).status_code == 404


def test_a_removed_partners_employee_loses_the_stage_and_the_application(db, client, auth,
                                                                          adviser_setup):
    """Issue 11.3: removing a partner ends its employees' assignments in the client's open
    applications, recorded, the author told; visibility follows."""
    from conftest import exchange_org, make_staff

    from portal.models import AuditEvent
    issuer, broker, employee, _colleague = adviser_setup
    app_id, url = create_application(client, auth, issuer)
    _fill_author_stages(client, url)
    assert post_stage(client, url, "adviser", {"executor": employee.id},
                      action="assign").status_code == 302
    partnership = db.query(Partnership).filter_by(client_id=issuer.org.id,
                                                  partner_id=broker.id).one()
    partnership.removal_requested_at = partnership.created_at
    db.commit()
    auth.logout()
    admin = make_staff(db, exchange_org(db), roles=("account_admin",))
    auth.login(admin.email)
    assert client.post(f"/admin/partner-removals/{partnership.id}").status_code == 302
    auth.logout()
    auth.login(employee.email)
    assert client.get(url).status_code == 404
    assert post_stage(client, url, "adviser", {"f.conclusion": "x"}).status_code == 404
    stage = {s.stage_id: s for s in application(db, app_id).stages}["adviser"]
    assert stage.executor_id is None
    event = db.query(AuditEvent).filter_by(application_id=app_id,
                                           action="executor_unassigned").one()
    assert (event.actor_id, event.detail["executor"]) == (admin.id, employee.id)
    notice = db.query(Notification).filter_by(user_id=issuer.author.id).order_by(
        Notification.id.desc()).first()
    assert "financial adviser was removed" in notice.message
