"""Collecting an archived application's evidence package: its documents as the portal has
them, its audit trail; the packing and the offline check are in portal/domain/documents."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import inspect, text

from portal.domain.applications.filling import values_of
from portal.domain.documents import evidence
from portal.domain.workflow import audit
from portal.domain.workflow.versions import flow_of, runtime_for
from portal.infra.database import db
from portal.infra.pdf import application_pdf
from portal.infra.storage import display_name, read_stored
from portal.models import Application
from portal.web.engine.display import t
from portal.web.engine.page import leaf, path_labels

ARCHIVED = "archived"


def may_export(user, app: Application) -> bool:
    """Exchange staff and the application's author, once it is archived."""
    return app.status == ARCHIVED and (user.is_staff or user.id == app.author_id)


def _uploads(value, where: str):
    """Every stored file in a value: fields, table cells and dynamic entries alike."""
    if isinstance(value, dict):
        if "stored" in value:
            yield where, value
            return
        for key, inner in value.items():
            yield from _uploads(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _uploads(inner, f"{where}.{n}")


def _signed(app: Application) -> list[evidence.Document]:
    """Signed PDFs, where the signing work's `signature` table exists: just more documents."""
    if not inspect(db.session.connection()).has_table("signature"):
        return []
    rows = db.session.execute(text("SELECT id, storage_key FROM signature WHERE application_id = :a"
                                   " ORDER BY id"), {"a": app.id})
    return [evidence.Document(f"documents/signed-{row.id}.pdf", read_stored(row.storage_key),
                              "signed", "signed application") for row in rows]


def package(app: Application) -> bytes:
    runtime, values = runtime_for(app.procedure_version), values_of(app)
    context = dict(application=app, runtime=runtime, procedure=runtime.procedure, values=values,
                   ctx=SimpleNamespace(path_labels=path_labels, leaf=leaf,
                                       merged=lambda a, b: dict(a, **b)))
    documents = [evidence.Document("documents/application.pdf", application_pdf(context),
                                   "application", t(runtime.procedure.name))]
    for field_id, value in values.items():
        for where, upload in _uploads(value, field_id):
            name = display_name(upload.get("name") or "document.pdf")
            documents.append(evidence.Document(f"documents/{where}-{name}",
                                               read_stored(upload["stored"]), "upload", name))
    documents += _signed(app)
    meta = dict(number=app.number, organisation=app.organisation.code,
                procedure=runtime.procedure.code, procedure_version=app.procedure_version.version,
                flow=flow_of(app).code, status=app.status,
                submitted_at=app.submitted_at.isoformat() if app.submitted_at else None)
    events = [evidence.audit_row(e) for e in audit.trail(db.session, app)]
    return evidence.build(meta, documents, events)
