"""Documents as records (each upload and generated PDF: what, whose, its hash and where its
bytes are), their bytes when the database holds them, and each verified signature."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (Index("ix_document_lookup", "application_id", "kind", "language",
                            "content_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    # "upload" (a field's file), "application", "summary", "registration_certificate", …
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(5))  # generated ones; None for uploads
    content_version: Mapped[int] = mapped_column(Integer)  # the application's version it shows
    field_id: Mapped[str | None] = mapped_column(String(100))  # the form field of an upload
    name: Mapped[str] = mapped_column(String(200))  # the name shown and downloaded
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))


class DocumentBlob(Base):
    """A stored file's bytes under DOCUMENTS_STORAGE=database."""
    __tablename__ = "document_blob"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Signature(Base):
    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    content_version: Mapped[int] = mapped_column(Integer)  # the version the PDF shows
    storage_key: Mapped[str] = mapped_column(String(100))  # the signed PDF in file storage
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))  # the signed PDF
    sha256: Mapped[str] = mapped_column(String(64))
    signer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    certificate_subject: Mapped[str] = mapped_column(String(1000))
    certificate_serial: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column()  # the time the signature carries (UTC)
    verification: Mapped[str] = mapped_column(String(40))  # "valid": only verified ones are kept
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
