"""Migration 0004 on a database with applications: the history becomes the audit trail, chained
anew, and every application gets the phase of its state."""
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from portal.domain.workflow.audit import verify
from portal.infra.migrate import upgrade

ROWS = [
    "INSERT INTO organisation (id, code, legal_form, bin, roles, name_full_kk, name_full_ru, "
    "name_full_en, name_short_kk, name_short_ru, name_short_en, is_exchange, active, created_at) "
    "VALUES (1, 'O', 'JSC', '1', '[]', 'a', 'a', 'a', 'a', 'a', 'a', false, true, '2026-11-01 10:00:00')",
    "INSERT INTO user_account (id, organisation_id, surname, name, position, email, phone, iin, "
    "language, is_org_admin, is_first_head, staff_roles, active, must_change_password, created_at, "
    "failed_logins) VALUES (1, 1, 'S', 'N', 'P', 'e@x', '1', '1', 'en', false, false, '[]', true, "
    "false, '2026-11-01 10:00:00', 0)",
    "INSERT INTO procedure_version (id, code, version, digest, definition, created_at) "
    "VALUES (1, 'x', 1, 'd', '{}', '2026-11-01 10:00:00')",
    "INSERT INTO application (id, number, procedure_version_id, organisation_id, author_id, status, "
    "content_version, created_at, updated_at, row_version) VALUES (1, '2026-000001', 1, 1, 1, "
    "'awaiting_approval', 1, '2026-11-01 10:00:00', '2026-11-01 10:00:00', 1)",
]


def test_history_becomes_the_audit_trail(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    upgrade(url, "0003")
    engine = create_engine(url)
    with engine.begin() as conn:
        for row in ROWS:
            conn.execute(text(row))
        for minute, action in enumerate(["create", "send_for_approval"]):
            conn.execute(text("INSERT INTO application_history (application_id, actor_id, action, "
                              "from_status, to_status, detail, created_at, prev_hash, hash) VALUES "
                              "(1, 1, :a, NULL, 'draft', '{}', :t, 'x', 'y')"),
                         {"a": action, "t": f"2026-11-01 10:0{minute}:00"})
    upgrade(url)
    with Session(engine) as session:
        verdict = verify(session)
        assert (verdict.ok, verdict.rows) == (True, 2)
        assert session.execute(text("SELECT phase FROM application")).scalar() == "first_head"
        assert session.execute(text("SELECT action FROM audit_event ORDER BY id")).scalars().all() \
            == ["create", "send_for_approval"]
    engine.dispose()
