"""One audit trail for the whole portal, hash-chained with an anchored head."""
from conftest import exchange_org, make_org, make_staff, make_user
from sqlalchemy import text

from portal.domain.workflow import audit
from portal.models import AuditEvent, AuditHead


def _chain(db, n=5):
    user = make_user(db, make_org(db))
    ids = [audit.record(db, "test", user, role="user", address="127.0.0.1", n=i).id
           for i in range(n)]
    db.commit()
    assert audit.verify(db).ok
    return ids


def test_an_edited_row_is_named(db, app):
    ids = _chain(db)
    db.get(AuditEvent, ids[2]).detail = {"n": 99}
    db.commit()
    verdict = audit.verify(db)
    assert (verdict.ok, verdict.first_bad, verdict.reason) == (False, ids[2], "the row was changed")


def test_a_deleted_middle_row_is_named(db, app):
    ids = _chain(db)
    db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[2]})
    db.commit()
    verdict = audit.verify(db)
    assert (verdict.ok, verdict.first_bad) == (False, ids[3])


def test_a_truncated_tail_is_detected_by_the_anchor(db, app):
    ids = _chain(db)
    db.execute(text("DELETE FROM audit_event WHERE id >= :id"), {"id": ids[3]})
    db.commit()
    verdict = audit.verify(db)
    assert (verdict.ok, verdict.first_bad) == (False, ids[2])
    assert db.get(AuditHead, 1).last_id == ids[-1]


def test_the_cli_verifies_the_chain_and_names_the_bad_row(db, app):
    ids = _chain(db, 3)
    runner = app.test_cli_runner()
    result = runner.invoke(app.cli, ["audit-verify"])
    assert result.exit_code == 0 and "audit trail intact: 3 rows" in result.output
    db.get(AuditEvent, ids[1]).action = "forged"
    db.commit()
    result = runner.invoke(app.cli, ["audit-verify"])
    assert result.exit_code != 0 and f"broken at row {ids[1]}" in result.output


def test_staff_actions_are_in_the_trail(db, client, auth):
    org = make_org(db)
    user = make_user(db, org)
    staff = make_staff(db, exchange_org(db), roles=("account_admin", "office"))
    auth.login(staff.email)
    assert client.post(f"/admin/users/{user.id}/toggle").status_code == 302
    assert client.post("/admin/calendar", data={"day": "2027-01-05", "kind": "day_off",
                                                "note": "moved"}).status_code == 302
    actions = [(e.action, e.actor_id, e.role, e.address) for e in db.query(AuditEvent)]
    assert ("user_disabled", staff.id, "staff", "127.0.0.1") in actions
    assert ("calendar_day_added", staff.id, "staff", "127.0.0.1") in actions
    assert audit.verify(db).ok
