"""Evidence packages: an archived application as one zip of its documents, history and hashes,
verified offline without the portal's database, and refused after any byte of it changes."""
import io
import json
import subprocess
import sys
import zipfile

from archive_support import archived_report
from conftest import exchange_org, make_staff, make_user
from engine_support import application
from test_directory import pdf_bytes

from portal.domain.documents import evidence
from portal.models import AuditEvent


def download(client, app_id):
    return client.get(f"/archive/{app_id}/evidence.zip")


def test_the_author_downloads_a_package_that_verifies_offline(db, client, auth, tmp_path):
    prospectus = pdf_bytes()
    issuer, app_id = archived_report(db, client, auth, prospectus)
    assert "Evidence package" in client.get(f"/disclosure/applications/{app_id}").data.decode()
    r = download(client, app_id)
    assert r.status_code == 200 and r.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.data)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        trail = json.loads(zf.read("audit.json"))
        assert zf.read("documents/application.pdf").startswith(b"%PDF-")
        assert zf.read("documents/prospectus-Проспект.pdf") == prospectus
    assert names[:2] == ["manifest.json", "audit.json"]
    assert {d["kind"] for d in manifest["documents"]} == {"application", "upload"}
    assert manifest["application"]["number"] == application(db, app_id).number
    assert [e["action"] for e in trail][-2:] == ["approve", "archive"]
    assert all(len(e["hash"]) == 64 for e in trail)
    assert db.query(AuditEvent).filter_by(application_id=app_id, action="evidence_export").count() == 1
    assert evidence.verify(r.data).ok
    package = tmp_path / "package.zip"
    package.write_bytes(r.data)
    # offline: a fresh interpreter with no portal configuration or database
    done = subprocess.run([sys.executable, "-m", "portal.domain.documents.evidence", "verify",
                           str(package)], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert done.returncode == 0 and "package verified" in done.stdout, done.stdout + done.stderr
    assert "no signed files in the package" in done.stdout


def test_one_changed_byte_anywhere_is_refused(db, client, auth, tmp_path):
    issuer, app_id = archived_report(db, client, auth)
    data = download(client, app_id).data
    step = max(len(data) // 400, 1)
    for position in range(0, len(data), step):
        changed = bytearray(data)
        changed[position] ^= 0x01
        assert not evidence.verify(bytes(changed)).ok, position
    package = tmp_path / "changed.zip"
    changed = bytearray(data)
    start = data.index(b"%PDF-", data.index(b"documents/application.pdf"))
    changed[start + 20] ^= 0x01
    package.write_bytes(bytes(changed))
    done = subprocess.run([sys.executable, "-m", "portal.domain.documents.evidence", "verify",
                           str(package)], capture_output=True, text=True)
    assert done.returncode == 1 and "package refused" in done.stdout


def test_an_edited_audit_event_is_refused_even_with_its_file_hash_updated(db, client, auth):
    """Re-hashing the trail's file does not help: each event's own hash covers its content."""
    issuer, app_id = archived_report(db, client, auth)
    with zipfile.ZipFile(io.BytesIO(download(client, app_id).data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    trail = json.loads(members["audit.json"])
    trail[-1]["detail"] = {"note": "rewritten"}
    documents = [evidence.Document(d["path"], members[d["path"]], d["kind"], d["title"])
                 for d in json.loads(members["manifest.json"])["documents"]]
    forged = evidence.build(json.loads(members["manifest.json"])["application"], documents, trail)
    verdict = evidence.verify(forged)
    assert not verdict.ok and any("was changed" in p for p in verdict.problems)


def test_staff_may_download_other_clients_may_not_and_only_once_archived(db, client, auth):
    issuer, app_id = archived_report(db, client, auth)
    auth.logout()
    auth.login(make_staff(db, exchange_org(db), roles=("office",)).email)
    assert download(client, app_id).status_code == 200
    auth.logout()
    auth.login(make_user(db, issuer.org).email)  # a colleague who is not its author
    assert download(client, app_id).status_code == 404
    app = application(db, app_id)
    app.status = "accepted"
    db.commit()
    auth.logout()
    auth.login(issuer.author.email)
    assert download(client, app_id).status_code == 404


def test_the_cli_exports_a_package(db, client, auth, app, tmp_path):
    issuer, app_id = archived_report(db, client, auth)
    target = tmp_path / "cli.zip"
    number = application(db, app_id).number
    result = app.test_cli_runner().invoke(args=["evidence-export", number, str(target)])
    assert result.exit_code == 0, result.output
    assert evidence.verify(target.read_bytes()).ok
    result = app.test_cli_runner().invoke(args=["evidence-export", "none", str(target)])
    assert result.exit_code != 0 and "no archived application none" in result.output
