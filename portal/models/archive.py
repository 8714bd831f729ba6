"""What an archived application leaves to its organisation: questionnaires; and each
organisation's secret deadline feed."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import Organisation, User
from portal.models.base import Base, utcnow


class Questionnaire(Base):
    """One form of an archived application, kept to pre-fill the same form later (G-9.6)."""

    __tablename__ = "questionnaire"
    __table_args__ = (Index("ix_questionnaire_org_form", "organisation_id", "form_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    form_id: Mapped[str] = mapped_column(String(100))
    procedure_code: Mapped[str] = mapped_column(String(100))
    procedure_version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON)   # field id -> value, as the form held them
    types: Mapped[dict] = mapped_column(JSON)    # field id -> field type then (compatibility)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    dated_on: Mapped[date] = mapped_column(Date)  # when the answers were given (sent)
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    signer: Mapped[User | None] = relationship()
    application = relationship("Application")


class CalendarFeed(Base):
    """An organisation's deadline feed. The URL's token is an HMAC of `nonce` under the
    portal's secret key, so its administrator can see it again, while the database alone
    (which keeps only the token's hash) gives no working URL; renewing draws a new nonce."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
