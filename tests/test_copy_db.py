"""Moving from SQLite to PostgreSQL (issue 14 item 6): `flask copy-db --to … --files …`."""
from pathlib import Path

import pytest
import services_support
from conftest import TEST_CONFIG, login_as
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import create_app
from portal.domain.workflow import audit
from portal.infra.backup import file_hashes
from portal.infra.database import db as portal_db
from portal.infra.migrate import upgrade
from portal.models import Base, User


def _rows(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(
            select(t).order_by(*(t.primary_key.columns or t.columns)))]
            for t in Base.metadata.sorted_tables}


@pytest.fixture
def sqlite_portal(tmp_path):
    """A SQLite portal with the demo data, its files, sessions and an audit trail."""
    url = f"sqlite:///{tmp_path / 'portal.sqlite'}"
    upgrade(url)
    app = create_app(dict(TEST_CONFIG, DATABASE_URL=url, UPLOAD_DIR=str(tmp_path / "files"),
                          DEMO_SIGNING_DIR=str(tmp_path / "signing")))
    result = app.test_cli_runner().invoke(args=["demo-data", "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = portal_db.session.scalar(select(User).where(User.staff_roles == [])
                                        .order_by(User.id).limit(1))
        for n in range(5):
            audit.record(portal_db.session, "before_the_move", user, n=n)
        portal_db.session.commit()
        portal_db.session.expunge(user)
    login_as(app.test_client(), user)
    yield app, user
    portal_db.of(app).engine.dispose()


def test_every_row_file_and_the_audit_chain_survive_and_the_copy_serves(sqlite_portal, tmp_path):
    services_support.require()
    source, user = sqlite_portal
    before = _rows(portal_db.of(source).engine)
    assert before["organisation"] and before["user_session"] and before["audit_event"]
    files = file_hashes(Path(source.config["UPLOAD_DIR"]))
    assert files  # the normative base's PDFs
    with services_support.own_database("copy") as url:
        result = source.test_cli_runner().invoke(args=[
            "copy-db", "--to", url, "--files", str(tmp_path / "moved")])
        assert result.exit_code == 0, result.output
        copy = create_app(dict(TEST_CONFIG, DATABASE_URL=url, UPLOAD_DIR=str(tmp_path / "moved")))
        engine = portal_db.of(copy).engine
        try:
            assert _rows(engine) == before
            assert file_hashes(tmp_path / "moved") == files
            # the portal runs on the copy: a sign-in adds rows past the copied ids
            client = copy.test_client()
            login_as(client, user)
            assert client.get("/").status_code == 200
            assert client.get("/readyz").status_code == 200
            with Session(engine) as s, s.begin():
                audit.record(s, "after_the_move", n=1)  # a new id past the copied ones
            with Session(engine) as s:
                verdict = audit.verify(s)
            assert verdict.ok and verdict.rows == len(before["audit_event"]) + 1
            # a second copy into the same, no longer empty, database is refused
            again = source.test_cli_runner().invoke(args=["copy-db", "--to", url])
            assert again.exit_code != 0 and "not empty" in again.output
        finally:
            engine.dispose()
