"""Documents kept and sent (issue 9 items 1, 3, 5, 6, 8): the application PDF is rendered once
per version and language and kept; after sending it never changes; the signed PDF is a document
linked from its signature; the receipt of "Send file"; "View applications and documents sent to
the exchange" with each document and one zip with a sha256 manifest."""
from __future__ import annotations

import hashlib
import io
import zipfile

import signing_support
from engine_support import application
from sqlalchemy import select
from test_signing import approved_application, sign_web

from portal.infra import pdf as pdf_module
from portal.models import Document, Notification, Signature


def _count_renders(monkeypatch) -> list:
    calls = []
    real = pdf_module.application_pdf

    def counting(context):
        calls.append(context["application"].id)
        return real(context)
    monkeypatch.setattr(pdf_module, "application_pdf", counting)
    return calls


def _sent(db, app, client, auth, tmp_path):
    signing_support.allow_signing(app, tmp_path)
    issuer, app_id, url = approved_application(db, client, auth)
    assert sign_web(client, url).status_code == 302
    assert client.post(f"{url}/transitions/send_file").status_code == 302
    return issuer, app_id, url


def test_the_application_pdf_is_rendered_once_and_kept(app, db, client, auth, monkeypatch, tmp_path):
    issuer, app_id, url = approved_application(db, client, auth)
    calls = _count_renders(monkeypatch)
    first = client.get(f"{url}/document.pdf")
    second = client.get(f"{url}/document.pdf")
    assert first.status_code == second.status_code == 200
    assert calls == [app_id]  # the second download read the kept one
    assert first.data == second.data
    doc = db.scalars(select(Document).where(Document.kind == "application")).one()
    assert (doc.language, doc.content_version) == ("en", 1)
    assert doc.sha256 == hashlib.sha256(first.data).hexdigest()
    assert "filename*=UTF-8''" in first.headers["Content-Disposition"]


def test_each_language_is_its_own_document(app, db, client, auth, monkeypatch):
    issuer, app_id, url = approved_application(db, client, auth)
    calls = _count_renders(monkeypatch)
    client.get(f"{url}/document.pdf")
    issuer.head.language = "ru"
    db.add(issuer.head)
    db.commit()
    client.get(f"{url}/document.pdf")
    assert len(calls) == 2
    assert sorted(d.language for d in db.scalars(select(Document))) == ["en", "ru"]


def test_a_sent_applications_pdf_never_changes(app, db, client, auth, monkeypatch, tmp_path):
    issuer, app_id, url = _sent(db, app, client, auth, tmp_path)
    before = client.get(f"{url}/document.pdf").data
    # whatever would render now (a new template, a renamed company), the sent one stays
    monkeypatch.setattr(pdf_module, "application_pdf", lambda context: b"%PDF-1.4 changed")
    issuer.org.name_short_en = "Renamed"
    db.add(issuer.org)
    db.commit()
    assert client.get(f"{url}/document.pdf").data == before
    auth.logout()
    auth.login(issuer.author.email)
    assert client.get(f"{url}/document.pdf").data == before


def test_the_signed_pdf_is_a_document_of_its_signature(app, db, client, auth, tmp_path):
    _issuer, app_id, _url = _sent(db, app, client, auth, tmp_path)
    signature = db.scalars(select(Signature)).one()
    doc = db.get(Document, signature.document_id)
    assert doc.kind == "signed_application" and doc.storage_key == signature.storage_key
    assert doc.sha256 == signature.sha256 and doc.application_id == app_id


def test_send_file_gives_a_receipt_on_the_application_and_in_the_notification(app, db, client, auth, tmp_path):
    issuer, app_id, url = _sent(db, app, client, auth, tmp_path)
    sent = application(db, app_id)
    stamp = sent.submitted_at.strftime("%Y-%m-%d %H:%M:%S")
    auth.logout()
    auth.login(issuer.author.email)
    page = client.get(url).data.decode()
    assert f"Received by the exchange on {stamp} (server time, UTC) under incoming number {sent.number}." in page
    note = db.scalars(select(Notification).where(Notification.user_id == issuer.author.id)
                      .order_by(Notification.id.desc())).first()
    assert sent.number in note.message and stamp in note.message


def test_the_exchange_and_the_applicant_see_the_signature(app, db, client, auth, tmp_path):
    issuer, app_id, url = _sent(db, app, client, auth, tmp_path)
    signature = db.scalars(select(Signature)).one()
    for user in (issuer.author, issuer.head):
        auth.logout()
        auth.login(user.email)
        page = client.get(url).data.decode()
        assert "TESTOV HEAD" in page and signature.certificate_serial in page
        assert signature.signed_at.strftime("%Y-%m-%d %H:%M:%S") in page and ">valid<" in page
        assert issuer.head.full_name in page


def test_the_documents_sent_to_the_exchange_and_their_archive(app, db, client, auth, tmp_path):
    issuer, app_id, url = _sent(db, app, client, auth, tmp_path)
    client.get(f"{url}/document.pdf")
    page = client.get(f"{url}/sent")
    assert page.status_code == 200
    body = page.data.decode()
    assert "View applications and documents sent to the exchange" in body
    docs = db.scalars(select(Document).order_by(Document.id)).all()
    assert {d.kind for d in docs} == {"signed_application", "application"}
    for doc in docs:
        assert doc.sha256 in body
        got = client.get(f"{url}/sent/{doc.id}")
        assert got.status_code == 200 and hashlib.sha256(got.data).hexdigest() == doc.sha256
    bundle = zipfile.ZipFile(io.BytesIO(client.get(f"{url}/sent.zip").data))
    manifest = bundle.read("MANIFEST.sha256").decode().splitlines()
    assert len(manifest) == len(docs)
    for line in manifest:
        digest, name = line.split("  ")
        assert hashlib.sha256(bundle.read(name)).hexdigest() == digest
        assert name.endswith(".pdf")
    assert "TESTOV HEAD" in bundle.read("SIGNATURES.txt").decode()


def test_nothing_is_sent_before_send_file(app, db, client, auth):
    _issuer, _app_id, url = approved_application(db, client, auth)
    assert client.get(f"{url}/sent").status_code == 404
    assert client.get(f"{url}/sent.zip").status_code == 404


def test_another_organisation_sees_none_of_it(app, db, client, auth, tmp_path):
    from engine_support import make_issuer
    _issuer, _app_id, url = _sent(db, app, client, auth, tmp_path)
    stranger = make_issuer(db)
    auth.logout()
    auth.login(stranger.author.email)
    doc = db.scalars(select(Document)).first()
    for path in ("/sent", "/sent.zip", f"/sent/{doc.id}"):
        assert client.get(url + path).status_code == 404


def test_the_application_pdf_reads_back_in_kazakh_and_russian(app, db, client, auth):
    import subprocess
    issuer, app_id, url = approved_application(db, client, auth)
    expected = {"kk": ("Облигациялар орналастыру қорытындылары туралы ЕСЕП", "Эмитенттің атауы"),
                "ru": ("Отчет об итогах размещения облигаций", "Наименование эмитента")}
    for language, phrases in expected.items():
        issuer.head.language = language
        db.add(issuer.head)
        db.commit()
        pdf = client.get(f"{url}/document.pdf").data
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode()
        for phrase in phrases:
            assert phrase in text, (language, phrase)
        assert application(db, app_id).number in text  # in the footer of every page
