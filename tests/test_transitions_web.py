"""One view fires every transition: a report's whole life through the web, forms and
confirmations, 409 on a stale page, 422 with the reason, the category in the URL."""
from conftest import exchange_org, make_staff
from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    application,
    create_application,
    make_issuer,
    post_stage,
)
from signing_support import allow_signing, sign_form

from portal.domain.workflow import audit
from portal.models import AuditEvent, Notification


def filled_report(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", PLACEMENT_STAGE)
    post_stage(client, url, "adviser", {}, action="skip")
    return issuer, app_id, url


def as_user(client, auth, user):
    auth.logout()
    auth.login(user.email)


def test_a_report_from_sending_to_the_archive(db, app, client, auth, tmp_path):
    allow_signing(app, tmp_path)
    issuer, app_id, url = filled_report(db, client, auth)
    exchange = exchange_org(db)
    office = make_staff(db, exchange, roles=("office",))
    authorised = make_staff(db, exchange, roles=("authorised",))
    assert client.post(f"{url}/transitions/send_for_approval").status_code == 302
    as_user(client, auth, issuer.head)
    assert client.post(f"{url}/transitions/approve").status_code == 302
    summary = client.get(f"{url}?stage=summary").data.decode()
    assert "Sign with EDS" in summary and "Send file" not in summary
    assert client.post(f"{url}/transitions/send_file").status_code == 422  # not signed yet
    r = client.post(f"{url}/transitions/sign", data=sign_form(), content_type="multipart/form-data")
    assert r.status_code == 302 and application(db, app_id).status == "signed"
    assert client.post(f"{url}/transitions/send_file").status_code == 302
    assert application(db, app_id).status == "submitted"

    as_user(client, auth, office)
    assert db.query(Notification).filter_by(user_id=office.id).count() == 1
    page = client.get(f"{url}/transitions/register")
    assert page.status_code == 200 and 'name="registered_on"' in page.data.decode()
    r = client.post(f"{url}/transitions/register", data={"registered_on": "99.99.2026",
                                                         "confirmed": "1"})
    assert r.status_code == 422 and "registered_on" in r.data.decode()
    assert application(db, app_id).status == "submitted"
    r = client.post(f"{url}/transitions/register", data={"registered_on": "", "confirmed": "1"})
    assert r.status_code == 302  # the date defaults to today
    assert application(db, app_id).status == "in_review"

    as_user(client, auth, authorised)
    page = client.get(f"{url}?stage=summary").data.decode()
    assert "8 working days" in page and "days left" in page
    r = client.post(f"{url}/transitions/request_documents",
                    data={"documents": "The placement report signed by the chief accountant.",
                          "confirmed": "1"})
    assert r.status_code == 302
    as_user(client, auth, issuer.author)
    page = client.get(f"{url}?stage=summary").data.decode()
    assert "Documents requested by the exchange" in page
    assert "The placement report signed by the chief accountant." in page
    assert "stopped while the application is with the applicant" in page
    r = client.post(f"{url}/transitions/answer", data={"reply": "Attached.", "confirmed": "1"})
    assert r.status_code == 302
    as_user(client, auth, authorised)
    assert client.post(f"{url}/transitions/accept").status_code == 302
    assert application(db, app_id).status == "accepted"
    assert client.post(f"{url}/transitions/archive").status_code == 302
    assert application(db, app_id).status == "archived"
    assert "Archive" in client.get(f"{url}?stage=summary").data.decode()
    trail = [e.action for e in db.query(AuditEvent).filter_by(application_id=app_id)
             .order_by(AuditEvent.id)]
    assert trail[-8:] == ["approve", "sign", "send_file", "register", "request_documents", "answer",
                          "accept", "archive"]
    assert audit.verify(db).ok
    as_user(client, auth, issuer.author)
    archive = client.get("/archive").data.decode()
    assert application(db, app_id).number in archive


def test_a_stale_page_gets_409_and_changes_nothing(db, client, auth):
    issuer, app_id, url = filled_report(db, client, auth)
    version = application(db, app_id).row_version
    post_stage(client, url, "issuer", ISSUER_STAGE, action="save")  # the page is now stale
    r = client.post(f"{url}/transitions/send_for_approval", data={"row_version": str(version)})
    assert r.status_code == 409
    assert application(db, app_id).status == "draft"


def test_delete_asks_first_and_says_what_will_be_lost(db, client, auth):
    _issuer, app_id, url = filled_report(db, client, auth)
    page = client.post(f"{url}/transitions/delete")
    assert page.status_code == 200 and "This cannot be undone." in page.data.decode()
    assert application(db, app_id).status == "draft"
    r = client.post(f"{url}/transitions/delete", data={"confirmed": "1"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/under-review")
    assert application(db, app_id).phase == "deleted"
    assert client.get(url).status_code == 404


def test_a_refused_transition_says_why_with_422(db, client, auth):
    _issuer, app_id, url = filled_report(db, client, auth)
    r = client.post(f"{url}/transitions/approve")  # the author is not the first head
    assert r.status_code == 422
    assert "This action is not possible at the application" in r.data.decode()
    assert client.post(f"{url}/transitions/nonsense").status_code == 404
    fragment = client.post(f"{url}/transitions/approve", headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and b"<html" not in fragment.data


def test_the_category_in_the_url_must_be_the_applications(db, client, auth):
    _issuer, app_id, url = filled_report(db, client, auth)
    assert client.get(url).status_code == 200
    assert client.get(f"/listing/applications/{app_id}").status_code == 404
    assert client.post(f"/listing/applications/{app_id}/transitions/send_for_approval"
                       ).status_code == 404
    assert application(db, app_id).status == "draft"


def test_the_buttons_are_the_transitions_the_user_may_fire(db, client, auth):
    issuer, _app_id, url = filled_report(db, client, auth)
    page = client.get(f"{url}?stage=summary").data.decode()
    assert "transitions/send_for_approval" in page and "transitions/delete" in page
    assert "transitions/approve" not in page
    client.post(f"{url}/transitions/send_for_approval")
    as_user(client, auth, issuer.head)
    page = client.get(f"{url}?stage=summary").data.decode()
    assert "transitions/approve" in page and "transitions/return_for_revision" in page
    assert "transitions/delete" not in page and "transitions/send_for_approval" not in page
