"""The portal's one audit trail: append-only, each row chained to the previous by its hash."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import User
from portal.models.base import Base, utcnow


class AuditEvent(Base):
    """Who (user, role, organisation) did what, when, from which state to which, from where."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    role: Mapped[str | None] = mapped_column(String(32))
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(50), index=True)
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


class AuditHead(Base):
    """The chain's anchor: the newest row's id and hash, so a truncated tail is detected."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
