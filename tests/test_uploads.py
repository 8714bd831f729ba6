"""Uploads (issue 9 item 2, issue 11 item 4): the right to fill is checked before a byte is
stored; PDF only by content, no active content, not empty, within the size and the quota; the
stored name is the portal's; a replaced or refused upload leaves no file; downloads carry the
original name (RFC 5987) with only a .pdf extension."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    create_application,
    make_issuer,
    post_stage,
    sent_for_approval,
)
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.domain.documents.uploads import download_name, refusal_of
from portal.infra.storage import DirectoryStorage
from portal.models import Document, DocumentBlob

SAMPLE = (Path(__file__).parent / "data" / "sample.pdf").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _pdf(change) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(SAMPLE))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})


WITH_JS = _pdf(lambda w: w.add_js("app.alert('hello');"))
WITH_FILE = _pdf(lambda w: w.add_attachment("payload.exe", b"MZ..."))
WITH_LAUNCH = _pdf(_launch)


def _files(app) -> list[str]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _upload(client, url, data: bytes, name="prospectus.pdf"):
    fields = MultiDict(dict(PLACEMENT_STAGE, action="save"))
    # encoded here, so the test client keeps no temporary file for a big one
    fields.add("f.prospectus", FileStorage(io.BytesIO(data), name))
    boundary, body = encode_multipart(fields)
    return client.post(f"{url}/stages/placement", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def draft(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    assert post_stage(client, url, "issuer", ISSUER_STAGE).status_code == 302
    return issuer, app_id, url


def test_a_clean_pdf_is_stored_under_the_portals_name_and_recorded(app, db, client, draft):
    _issuer, app_id, url = draft
    r = _upload(client, url, SAMPLE, name="../../etc/Проспект.PNG")
    assert r.status_code == 302, r.data
    [stored] = _files(app)
    assert stored.endswith(".pdf") and "etc" not in stored and "Проспект" not in stored
    doc = db.scalars(select(Document).where(Document.application_id == app_id)).one()
    assert (doc.storage_key, doc.size, doc.kind, doc.field_id) == (stored, len(SAMPLE), "upload", "prospectus")
    assert doc.name == ".._.._etc_Проспект.PNG"
    import hashlib
    assert doc.sha256 == hashlib.sha256(SAMPLE).hexdigest()
    got = client.get(f"{url}/files/prospectus")
    assert got.data == SAMPLE
    disposition = got.headers["Content-Disposition"]
    assert "filename*=UTF-8''_.._etc_%D0%9F%D1%80%D0%BE%D1%81%D0%BF%D0%B5%D0%BA%D1%82.pdf" in disposition
    assert 'filename="_.._etc_________.pdf"' in disposition


@pytest.mark.parametrize("data,message", [
    (PNG, "The file is not a PDF document."),
    (b"", "The file is empty."),
    (WITH_JS, "The PDF carries scripts"),
    (WITH_FILE, "The PDF carries scripts"),
    (WITH_LAUNCH, "The PDF carries scripts"),
], ids=["png-renamed-pdf", "empty", "javascript", "embedded-file", "launch-action"])
def test_a_refused_upload_says_why_and_leaves_no_file(data, message, app, db, client, draft):
    _issuer, app_id, url = draft
    r = _upload(client, url, data, name="scan.pdf")
    assert r.status_code == 422
    assert message in r.data.decode()
    assert _files(app) == []
    assert db.scalars(select(Document)).all() == []


def test_an_oversized_upload_is_refused_with_the_limit(app, db, client, draft):
    _issuer, _app_id, url = draft
    app.config["DOCUMENTS_MAX_FILE_MB"] = 1
    r = _upload(client, url, SAMPLE + b"%" * (1024 * 1024))
    assert r.status_code == 422
    assert "The file is too large: at most 1024 KB." in r.data.decode()
    assert _files(app) == []


def test_the_quota_counts_the_applications_other_files(app, db, client, draft):
    _issuer, app_id, url = draft
    app.config["DOCUMENTS_QUOTA_MB"] = 1
    db.add(Document(application_id=app_id, kind="upload", field_id="other", content_version=1,
                    name="x.pdf", sha256="0" * 64, size=1024 * 1024 - 10, storage_key="k" * 32))
    db.commit()
    r = _upload(client, url, SAMPLE)
    assert r.status_code == 422
    assert "would exceed the limit of 1 MB" in r.data.decode()
    assert _files(app) == []


def test_a_read_only_first_heads_upload_leaves_no_file(app, db, client, auth):
    issuer = make_issuer(db)
    _app_id, url = sent_for_approval(client, auth, issuer)
    auth.logout()
    auth.login(issuer.head.email)
    r = _upload(client, url, SAMPLE)
    assert r.status_code == 422
    assert "This stage is not open to you." in r.data.decode()
    assert _files(app) == []
    assert db.scalars(select(Document)).all() == []


def test_a_replaced_upload_leaves_no_file_and_is_superseded(app, db, client, draft):
    _issuer, app_id, url = draft
    assert _upload(client, url, SAMPLE).status_code == 302
    [first] = _files(app)
    assert _upload(client, url, SAMPLE + b"\n%second").status_code == 302
    [second] = _files(app)
    assert second != first
    db.expire_all()
    old, new = db.scalars(select(Document).order_by(Document.id)).all()
    assert (old.storage_key, old.superseded_by_id) == (first, new.id)
    assert new.superseded_by_id is None


def test_a_failed_save_deletes_what_it_stored(app, db, client, draft, monkeypatch):
    _issuer, _app_id, url = draft
    from portal.domain.applications import filling

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")
    monkeypatch.setattr(filling, "save_stage", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert _upload(client, url, SAMPLE).status_code == 500
    assert _files(app) == []


def test_the_database_storage_keeps_bytes_in_a_blob_row(app, db, client, draft):
    _issuer, _app_id, url = draft
    app.config["DOCUMENTS_STORAGE"] = "database"
    assert _upload(client, url, SAMPLE).status_code == 302
    assert _files(app) == []
    doc = db.scalars(select(Document)).one()
    assert db.get(DocumentBlob, doc.storage_key).content == SAMPLE
    assert client.get(f"{url}/files/prospectus").data == SAMPLE
    assert _upload(client, url, SAMPLE + b"\n%second").status_code == 302
    db.expire_all()
    assert db.get(DocumentBlob, doc.storage_key) is None  # the replaced one's bytes went


def test_a_directory_write_is_fsynced_and_renamed_into_place(tmp_path, monkeypatch):
    import os
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    store = DirectoryStorage(tmp_path)
    key = store.put(b"%PDF-1.4 x", ".pdf")
    assert len(synced) == 2  # the file, then the directory holding its new name
    assert [p.name for p in tmp_path.iterdir()] == [key]

    def fail(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        store.put(b"%PDF-1.4 y", ".pdf")
    assert [p.name for p in tmp_path.iterdir()] == [key]  # no half-written temporary file


def test_a_stored_key_never_reaches_outside_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        DirectoryStorage(tmp_path / "files").get("../secret.pdf")


@pytest.mark.parametrize("name,expected", [("Отчёт.docx.exe", "Отчёт.docx.pdf"),
                                           ("report", "report.pdf"), (".pdf", "pdf.pdf"),
                                           ("a.PDF", "a.pdf")])
def test_a_download_name_has_only_a_pdf_extension(name, expected):
    assert download_name(name) == expected


def test_a_clean_pdf_passes():
    assert refusal_of(SAMPLE, 10 * 1024 * 1024) is None
