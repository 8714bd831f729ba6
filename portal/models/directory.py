"""Partnerships, the normative base and the exchange insiders list (G-9.3, G-9.7, G-9.8)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import Organisation
from portal.models.base import Base, utcnow


class Partnership(Base):
    """A client's financial adviser or audit organisation, added by the client (G-9.3)."""

    __tablename__ = "partnership"
    __table_args__ = (UniqueConstraint("client_id", "partner_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # adviser | auditor
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removal_requested_at: Mapped[datetime | None]
    removal_requested_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    removal_reason: Mapped[str | None] = mapped_column(String(1000))

    client: Mapped[Organisation] = relationship(foreign_keys=[client_id])
    partner: Mapped[Organisation] = relationship(foreign_keys=[partner_id])


class NormativeDocument(Base):
    """A law, regulation or exchange document in the normative base."""

    __tablename__ = "normative_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(64), unique=True)  # stable key for seeding
    title_kk: Mapped[str] = mapped_column(String(500))
    title_ru: Mapped[str] = mapped_column(String(500))
    title_en: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32))  # law | regulation | exchange
    status: Mapped[str] = mapped_column(String(16), default="in_force")  # in_force | repealed
    file_name: Mapped[str | None] = mapped_column(String(255))  # original name, for display
    stored_name: Mapped[str | None] = mapped_column(String(64))  # generated name under instance/
    content_type: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    def title(self, lang: str) -> str:
        return getattr(self, f"title_{lang}", None) or self.title_en


class ExchangeInsider(Base):
    """An exchange employee with access to insider information (G-9.8)."""

    __tablename__ = "exchange_insider"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300))
    position: Mapped[str] = mapped_column(String(300))
    included_on: Mapped[date]
    excluded_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
