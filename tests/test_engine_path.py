"""The applicant's path from "Submit" to the first head's approval (G-13 … G-20)."""
from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    application,
    create_application,
    make_issuer,
    post_stage,
)

from portal.domain.workflow.audit import verify
from portal.models import Notification, OutboxMail


def test_create_fill_send_and_approve(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    page = client.get(url)
    assert page.status_code == 200
    assert "Issuer's name".encode() in page.data or b"Issuer&#39;s name" in page.data

    r = post_stage(client, url, "issuer", ISSUER_STAGE)
    assert r.status_code == 302
    r = post_stage(client, url, "placement", PLACEMENT_STAGE)
    assert r.status_code == 302, r.data.decode()[:2000]
    r = post_stage(client, url, "adviser", {}, action="skip")
    assert r.status_code == 302
    app = application(db, app_id)
    assert {s.stage_id: s.status for s in app.stages} == {
        "issuer": "filled", "placement": "filled", "adviser": "skipped"}
    values = {k: v for s in app.stages for k, v in s.data.items()}
    assert values["nominal"] == {"amount": "1000", "currency": "KZT"}
    assert values["holders"] == [{"holder": "Бірінші ұстаушы", "share": "100", "paid": None, "kinds": [],
                                  "isin": None, "maturity": None}]

    r = client.post(f"{url}/transitions/send_for_approval")
    assert r.status_code == 302
    assert application(db, app_id).status == "awaiting_approval"
    assert db.query(Notification).filter_by(user_id=issuer.head.id).count() == 1
    assert db.query(OutboxMail).filter_by(recipient=issuer.head.email).count() == 1

    auth.logout()
    auth.login(issuer.head.email)
    summary = client.get(f"{url}?stage=summary")
    assert b"Return for revision" in summary.data and b"Approved" in summary.data
    assert b'current-process"><div class="process-name">First head' in summary.data
    r = client.post(f"{url}/transitions/approve")
    assert r.status_code == 302
    assert application(db, app_id).status == "approved"
    assert verify(db).ok
    history = client.get(f"{url}?stage=summary").data.decode()
    assert "Send for approval" in history and "With the first head for approval → Approved, to be signed" in history


def test_the_history_chain_detects_tampering(db, client, auth):
    from portal.models import AuditEvent
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    assert verify(db).ok
    entry = db.query(AuditEvent).filter_by(application_id=app_id).order_by(AuditEvent.id).first()
    entry.actor_id = issuer.head.id
    db.commit()
    assert not verify(db).ok


def test_done_with_errors_keeps_what_was_typed(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    bad = dict(PLACEMENT_STAGE, **{"f.end": "2025-12-31", "f.number": "abc"})
    r = post_stage(client, url, "placement", bad)
    assert r.status_code == 422
    text = r.data.decode()
    assert "Enter a whole number." in text
    assert "Check the fields marked below: what you typed is kept." in text
    assert 'value="abc"' in text  # nothing typed is lost
    state = {s.stage_id: s for s in application(db, app_id).stages}["placement"]
    assert state.status == "draft"
    assert state.data["start"] == "2026-01-10"


def test_rule_error_names_the_clause(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    r = post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.end": "2025-12-31"}))
    assert r.status_code == 422
    assert "The end date may not be before the start date (p.1)" in r.data.decode()


def test_send_for_approval_refused_until_every_stage_is_filled(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    r = client.post(f"{url}/transitions/send_for_approval")
    assert r.status_code == 422
    assert b"Some stages are not filled yet." in r.data
    assert b"Placement" in r.data
    assert application(db, app_id).status == "draft"


def test_htmx_stage_returns_fragment_only(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    r = post_stage(client, url, "issuer", ISSUER_STAGE, action="save", headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert b"<html" not in r.data
    assert b"Saved." in r.data
    assert "HX-Request" in r.headers.get("Vary", "")
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert b"<html" in restore.data


def test_check_before_sending_lists_each_failure_with_its_field_and_clause(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    # a cross-stage inconsistency the stage's own Done could not see: volume ≠ number × nominal
    post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.volume.amount": "999"}), action="save")
    page = client.get(f"{url}?stage=summary&check=1", headers={"HX-Request": "true"})
    text = page.data.decode()
    assert b"<html" not in page.data
    assert "Check before sending: " in text and "problems" in text
    assert "Volume must equal number × nominal value (p.2)" in text
    assert f"{url}?stage=placement#field-volume" in text
    assert f"{url}?stage=adviser#field-conclusion" in text  # the unfinished adviser stage
    assert application(db, app_id).status == "draft"  # a dry run changes nothing
    r = client.post(f"{url}/transitions/send_for_approval")
    assert r.status_code == 422 and application(db, app_id).status == "draft"


def test_an_edit_from_a_stale_page_is_refused_not_merged(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    version = application(db, app_id).row_version
    post_stage(client, url, "issuer", dict(ISSUER_STAGE, row_version=str(version)), action="save")
    r = post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": "Stale", "row_version": str(version)}),
                   action="save")
    assert r.status_code == 409
    assert "Someone changed this application in the meantime" in r.data.decode()
    data = {s.stage_id: s for s in application(db, app_id).stages}["issuer"].data
    assert data["name"] == ISSUER_STAGE["f.name"]


def test_table_cells_of_every_type_round_trip(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    rows = dict(PLACEMENT_STAGE, **{"f.holders.rows": "3",
                                    "f.holders.0.paid.amount": "1 500,50", "f.holders.0.paid.currency": "USD",
                                    "f.holders.0.kinds": ["bank", "fund", "forged"],
                                    "f.holders.1.holder": "Removed", "f.holders.1.remove": "1",
                                    "f.holders.2.share": "abc", "f.holders.2.holder": "Bad"})
    r = post_stage(client, url, "placement", rows)
    assert r.status_code == 422 and b"Enter a percentage as a number." in r.data
    holders = {s.stage_id: s for s in application(db, app_id).stages}["placement"].data["holders"]
    assert holders[0]["paid"] == {"amount": "1500.50", "currency": "USD"}
    assert holders[0]["kinds"] == ["bank", "fund"]
    assert [h["holder"] for h in holders] == ["Бірінші ұстаушы", "Bad"]


def test_sending_needs_a_first_head_in_the_organisation(db, client, auth):
    issuer = make_issuer(db)
    issuer.head.active = False
    db.commit()
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", PLACEMENT_STAGE)
    post_stage(client, url, "adviser", {}, action="skip")
    r = client.post(f"{url}/transitions/send_for_approval")
    assert r.status_code == 422 and b"has no first head in the portal" in r.data
    assert application(db, app_id).status == "draft"
