"""An application keeps the procedure version it was created under."""
import shutil
from pathlib import Path

from engine_support import create_application, make_issuer

from portal.models import Application, ProcedureVersion

DATA = Path(__file__).with_name("data") / "catalogue"


def test_a_changed_definition_is_a_new_version_and_old_applications_keep_theirs(db, make_app, tmp_path):
    catalogue = tmp_path / "catalogue"
    shutil.copytree(DATA, catalogue)
    issuer = make_issuer(db)

    first = make_app(CATALOGUE_DIR=str(catalogue)).test_client()
    from conftest import Auth
    old_id, old_url = create_application(first, Auth(first), issuer)

    report = catalogue / "disclosure" / "test-report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("en: \"Issuer's name\"", "en: Issuer name (new wording)"),
                      encoding="utf-8")
    second = make_app(CATALOGUE_DIR=str(catalogue)).test_client()
    new_id, new_url = create_application(second, Auth(second), issuer)

    versions = {a.id: a.procedure_version.version for a in db.query(Application).all()}
    assert versions == {old_id: 1, new_id: 2}
    assert db.query(ProcedureVersion).filter_by(code="test-report").count() == 2
    old_page = second.get(f"{old_url}?stage=issuer").data.decode()
    new_page = second.get(f"{new_url}?stage=issuer").data.decode()
    assert "Issuer name (new wording)" not in old_page and "Issuer&#39;s name" in old_page
    assert "Issuer name (new wording)" in new_page

    third = make_app(CATALOGUE_DIR=str(catalogue)).test_client()  # the same file: no new version
    create_application(third, Auth(third), issuer)
    assert db.query(ProcedureVersion).filter_by(code="test-report").count() == 2
