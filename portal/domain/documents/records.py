"""Documents as records: each stored file has a row with its hash, size and owner; a replaced
one is marked superseded and its bytes go; an application's files stay within a quota."""
from __future__ import annotations

import hashlib
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Application, Document, Signature, User


def bytes_in_use(db: Session, app: Application, replacing: str | None = None) -> int:
    """What the application's current uploads take, but for the field's own (`replacing`),
    which a new upload replaces."""
    return db.scalar(select(func.coalesce(func.sum(Document.size), 0)).where(
        Document.application_id == app.id, Document.kind == "upload",
        Document.superseded_by_id.is_(None),
        Document.field_id.is_distinct_from(replacing))) or 0


def add(db: Session, app: Application, user: User | None, kind: str, name: str, data: bytes,
        put: Callable[[bytes, str], str], *, field_id: str | None = None,
        language: str | None = None) -> Document:
    """Store the bytes (put returns the storage key) and record them."""
    doc = Document(application_id=app.id, kind=kind, language=language, field_id=field_id,
                   content_version=app.content_version, name=name[:200],
                   sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                   storage_key=put(data, ".pdf"), created_by_id=user.id if user else None)
    db.add(doc)
    db.flush()
    return doc


def supersede(db: Session, app: Application, gone_keys: set[str]) -> list[str]:
    """Mark the uploads no stage refers to any more as replaced (by the field's newest upload)
    and return their storage keys, whose bytes the caller deletes."""
    if not gone_keys:
        return []
    gone = db.scalars(select(Document).where(Document.application_id == app.id,
                                             Document.storage_key.in_(gone_keys))).all()
    for doc in gone:
        doc.superseded_by_id = db.scalar(
            select(Document.id).where(Document.application_id == app.id,
                                      Document.field_id == doc.field_id,
                                      Document.storage_key.not_in(gone_keys),
                                      Document.superseded_by_id.is_(None))
            .order_by(Document.id.desc()).limit(1)) or doc.id  # itself: withdrawn, not replaced
    return sorted(gone_keys)


def of_application(db: Session, app: Application) -> list[Document]:
    return list(db.scalars(select(Document).where(Document.application_id == app.id,
                                                  Document.superseded_by_id.is_(None))
                           .order_by(Document.id)))


def kept(db: Session, app: Application, kind: str, language: str) -> Document | None:
    """The generated document of the application's current version in that language, if it was
    rendered already: it is rendered once and kept, so what was sent never changes."""
    return db.scalar(select(Document).where(
        Document.application_id == app.id, Document.kind == kind, Document.language == language,
        Document.content_version == app.content_version).order_by(Document.id).limit(1))


def sent(db: Session, app: Application) -> list[Document]:
    """What went to the exchange: the current uploads and the documents of the sent version."""
    return [d for d in of_application(db, app)
            if d.kind == "upload" or d.content_version == app.content_version]


def signatures(db: Session, app: Application) -> list[tuple[Signature, User]]:
    return list(db.execute(select(Signature, User).join(User, User.id == Signature.signer_id)
                           .where(Signature.application_id == app.id).order_by(Signature.id)))
