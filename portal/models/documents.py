"""Signatures: each verified signed application PDF, what signed it and what the check found."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class Signature(Base):
    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    content_version: Mapped[int] = mapped_column(Integer)  # the version the PDF shows
    storage_key: Mapped[str] = mapped_column(String(100))  # the signed PDF in file storage
    sha256: Mapped[str] = mapped_column(String(64))
    signer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    certificate_subject: Mapped[str] = mapped_column(String(1000))
    certificate_serial: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column()  # the time the signature carries (UTC)
    verification: Mapped[str] = mapped_column(String(40))  # "valid": only verified ones are kept
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
