"""An application's documents: generated PDFs rendered once per version and language and kept
(a second download reads the kept one, and after sending nothing renders again), and "View
applications and documents sent to the exchange" (G-25): each document, signed file and
verification result with "Download document", and one zip of them with a sha256 manifest."""
from __future__ import annotations

import io
import zipfile

from flask import abort, request, send_file
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain.applications.filling import values_of
from portal.domain.documents import certificates, records
from portal.domain.documents.uploads import download_name
from portal.domain.procedures.definitions import Category
from portal.domain.workflow import audit
from portal.infra.database import db
from portal.infra.storage import content_disposition, read_stored, send_attachment, store_bytes
from portal.models import Application, Document, User
from portal.web.engine.page import SUMMARY, exchange_date, load_application, page_context
from portal.web.htmx import render
from portal.web.i18n import lang


def application_document(app: Application) -> Document:
    """The application PDF (every form) in the user's language, kept once rendered."""
    from portal.infra.pdf import application_pdf
    return kept_document(app, "application", lang(), f"{app.number}-{lang()}.pdf",
                         lambda: application_pdf(page_context(app, SUMMARY)))


def kept_document(app: Application, kind: str, language: str, name: str, render) -> Document:
    """The kept document of this version, kind and language, or render() now and keep it (in a
    short write transaction: a download's request is a read). Raises PdfFailed / PdfBusy when
    a render fails."""
    doc = records.kept(db.session, app, kind, language)
    if doc is not None:
        return doc
    pdf = render()
    with db.writing() as session:
        return records.add(session, session.get(Application, app.id),
                           session.get(User, current_user.id), kind, name, pdf, store_bytes,
                           language=language)


def certificate(category: Category, application_id: int, language: str):
    """The certificate the procedure's regulation gives a form for, in Kazakh or Russian."""
    from portal.infra.pdf import PdfFailed, render_pdf
    app = load_application(category, application_id)
    form = certificates.BY_PROCEDURE.get(app.procedure_version.code)
    if form is None or language not in certificates.LANGUAGES:
        abort(404)
    title = form.titles[language]

    def render() -> bytes:
        issued_on = exchange_date().isoformat()
        with force_locale(language):
            return render_pdf("certificate.html", application=app, title=title, issued_on=issued_on,
                              lines=certificates.filled_lines(form, values_of(app), language, issued_on),
                              letterhead=certificates.LETTERHEAD[language],
                              city=certificates.CITY[language],
                              signatory=certificates.SIGNATORY[language],
                              seal=certificates.SEAL[language])
    try:
        doc = kept_document(app, form.kind, language, f"{title}-{app.number}.pdf", render)
    except PdfFailed:
        abort(503)
    record_download(app, doc.name)
    return send_attachment(doc.storage_key, doc.name)


def application_pdf_to_sign(app: Application) -> bytes:
    """What the first head downloaded, when they did; else rendered now and not kept (a refused
    signature rolls the transition back, and a kept file would outlive its row)."""
    from portal.infra.pdf import application_pdf
    doc = records.kept(db.session, app, "application", lang())
    return read_stored(doc.storage_key) if doc else application_pdf(page_context(app, SUMMARY))


def record_download(app: Application, document: str) -> None:
    """Downloads of what was sent to the exchange go into the audit trail, in a short write
    transaction of their own (the request's own is a read)."""
    if app.submitted_at is None:
        return
    with db.writing() as session:
        audit.record(session, "download", session.get(User, current_user.id),
                     application=session.get(Application, app.id), address=request.remote_addr,
                     document=document)


def _sent_application(category: Category, application_id: int) -> Application:
    app = load_application(category, application_id)
    if app.submitted_at is None:
        abort(404)  # nothing was sent yet
    return app


def sent_documents(category: Category, application_id: int):
    app = _sent_application(category, application_id)
    return render("engine/documents.html", application=app, category=category.value,
                  documents=records.sent(db.session, app),
                  certificate=certificates.BY_PROCEDURE.get(app.procedure_version.code),
                  signatures=records.signatures(db.session, app))


def sent_document(category: Category, application_id: int, document_id: int):
    app = _sent_application(category, application_id)
    doc = next((d for d in records.sent(db.session, app) if d.id == document_id), None)
    if doc is None:
        abort(404)
    record_download(app, doc.name)
    return send_attachment(doc.storage_key, doc.name)


def archive(category: Category, application_id: int):
    """One zip: every document under a unique name, MANIFEST.sha256 (sha256sum's format) and
    the signatures' verification results."""
    app = _sent_application(category, application_id)
    docs = records.sent(db.session, app)
    names = {d.id: f"{n:02d}-{download_name(d.name)}" for n, d in enumerate(docs, 1)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for doc in docs:
            bundle.writestr(names[doc.id], read_stored(doc.storage_key))
        bundle.writestr("MANIFEST.sha256", "".join(f"{d.sha256}  {names[d.id]}\n" for d in docs))
        bundle.writestr("SIGNATURES.txt", "".join(_signature_lines(app)))
    record_download(app, "archive.zip")
    buffer.seek(0)
    response = send_file(buffer, mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(f"{app.number}-documents.zip")
    return response


def _signature_lines(app: Application):
    for signature, signer in records.signatures(db.session, app):
        yield (f"{_('Signed by')}: {signer.full_name}\n{_('Certificate')}: {signature.certificate_subject}\n"
               f"{_('Serial number')}: {signature.certificate_serial}\n"
               f"{_('Signed at (UTC)')}: {signature.signed_at:%Y-%m-%d %H:%M:%S}\n"
               f"{_('Verification')}: {verification_label(signature.verification)}\n"
               f"sha256: {signature.sha256}\n\n")


def verification_label(code: str) -> str:
    return _("valid") if code == "valid" else code


ROUTES = (
    ("/applications/<int:application_id>/sent", "sent_documents", sent_documents, ["GET"]),
    ("/applications/<int:application_id>/sent/<int:document_id>", "sent_document", sent_document, ["GET"]),
    ("/applications/<int:application_id>/sent.zip", "archive", archive, ["GET"]),
    ("/applications/<int:application_id>/certificates/<language>", "certificate", certificate, ["GET"]),
)
