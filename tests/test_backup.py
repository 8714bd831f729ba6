"""Backups that restore (issue 14 item 5): `flask backup DIR`, `flask restore DIR`."""
import threading
import time
from pathlib import Path

import pytest
from conftest import TEST_CONFIG, _recreate_postgres, make_org, make_user
from sqlalchemy import create_engine, func, make_url, select
from sqlalchemy.orm import Session

from portal import create_app
from portal.domain.workflow import audit
from portal.infra import backup as backups
from portal.infra.database import db as portal_db
from portal.models import AuditEvent, Base


@pytest.fixture
def empty_instance(database_url, tmp_path):
    """A new instance: an empty database of the same engine and an empty UPLOAD_DIR."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    else:
        name = f"{make_url(database_url).database}_restore"
        _recreate_postgres(database_url, name)
        url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    app = create_app(dict(TEST_CONFIG, DATABASE_URL=url, UPLOAD_DIR=str(tmp_path / "restored")))
    yield app
    portal_db.of(app).engine.dispose()
    if not database_url.startswith("sqlite"):
        _recreate_postgres(database_url, name, create=False)


def _counts(engine) -> dict:
    with Session(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}


def _burst(sessions, stop: threading.Event, user_id: int) -> None:
    while not stop.is_set():
        with sessions() as s, s.begin():
            audit.record(s, "burst", detail_n=time.time())


def test_backup_during_writes_restores_to_a_consistent_copy(app, db, empty_instance, tmp_path):
    user = make_user(db, make_org(db))
    uploads = Path(app.config["UPLOAD_DIR"])
    (uploads / "ab").mkdir(parents=True)
    (uploads / "ab" / "doc.pdf").write_bytes(b"%PDF-1.4 one")
    (uploads / "signed.pdf").write_bytes(b"%PDF-1.4 two")
    sessions = portal_db.of(app).sessionmaker
    for _ in range(20):
        with sessions() as s, s.begin():
            audit.record(s, "before", detail_n=1)
    stop = threading.Event()
    writer = threading.Thread(target=_burst, args=(sessions, stop, user.id), daemon=True)
    writer.start()
    try:
        time.sleep(0.2)
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "bk")])
    finally:
        stop.set()
        writer.join(timeout=10)
    assert result.exit_code == 0, result.output
    manifest = backups.check(tmp_path / "bk")
    assert set(manifest["files"]) == {"ab/doc.pdf", "signed.pdf"}

    result = empty_instance.test_cli_runner().invoke(args=["restore", str(tmp_path / "bk")])
    assert result.exit_code == 0, result.output
    restored = portal_db.of(empty_instance).engine
    with Session(restored) as s:
        verdict = audit.verify(s)
        assert verdict.ok and verdict.rows >= 21
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == verdict.rows
    counts, now = _counts(restored), _counts(portal_db.of(app).engine)
    assert counts["audit_event"] <= now["audit_event"]
    assert {k: v for k, v in counts.items() if k not in ("audit_event", "audit_head")} == \
        {k: v for k, v in now.items() if k not in ("audit_event", "audit_head")}
    assert backups.file_hashes(Path(empty_instance.config["UPLOAD_DIR"])) == manifest["files"]
    assert empty_instance.test_client().get("/readyz").status_code == 200


def test_restore_refuses_a_non_empty_instance_and_a_changed_backup(app, db, tmp_path):
    make_user(db, make_org(db))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "bk")]).exit_code == 0
    result = runner.invoke(args=["restore", str(tmp_path / "bk")])
    assert result.exit_code != 0 and "not empty" in result.output
    copy = next((tmp_path / "bk").glob("database.*"))
    copy.write_bytes(copy.read_bytes() + b"x")
    with pytest.raises(backups.BackupError, match="does not match"):
        backups.check(tmp_path / "bk")
    assert runner.invoke(args=["backup", str(tmp_path / "bk")]).exit_code != 0  # not empty
