"""Organisations, users and their sign-in sessions (SPEC §1)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.accounts.roles import ClientRole, StaffRole
from portal.models.base import Base, utcnow


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    legal_form: Mapped[str] = mapped_column(String(64))
    name_full_kk: Mapped[str] = mapped_column(String(500))
    name_full_ru: Mapped[str] = mapped_column(String(500))
    name_full_en: Mapped[str] = mapped_column(String(500))
    name_short_kk: Mapped[str] = mapped_column(String(200))
    name_short_ru: Mapped[str] = mapped_column(String(200))
    name_short_en: Mapped[str] = mapped_column(String(200))
    bin: Mapped[str] = mapped_column(String(12), unique=True)
    roles: Mapped[list] = mapped_column(JSON, default=list)  # ClientRole values
    is_exchange: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list["User"]] = relationship(back_populates="organisation")

    def short_name(self, lang: str) -> str:
        return getattr(self, f"name_short_{lang}", None) or self.name_short_en

    def full_name(self, lang: str) -> str:
        return getattr(self, f"name_full_{lang}", None) or self.name_full_en

    def has_role(self, role: ClientRole | str) -> bool:
        return ClientRole(role).value in (self.roles or [])


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    surname: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    phone: Mapped[str] = mapped_column(String(32))
    iin: Mapped[str] = mapped_column(String(12))
    language: Mapped[str] = mapped_column(String(2), default="kk")
    is_org_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_first_head: Mapped[bool] = mapped_column(Boolean, default=False)
    # the first-head right is granted by the exchange's account administrators (issue 11):
    # an organisation administrator only asks for it; a new first head sees what is sent
    # for approval from first_head_since on (None: before this rule, no limit)
    first_head_since: Mapped[datetime | None]
    first_head_granted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    first_head_requested_at: Mapped[datetime | None]
    first_head_requested_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    staff_roles: Mapped[list] = mapped_column(JSON, default=list)  # StaffRole values
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    # the second factor of exchange staff: a TOTP secret, and the last time step used (no replay)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    def has_staff_role(self, role: StaffRole | str) -> bool:
        return StaffRole(role).value in (self.staff_roles or [])

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_roles) and self.organisation.is_exchange


class PasswordHistory(Base):
    """Earlier password hashes, so the last few cannot be reused."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserSession(Base):
    """A signed-in browser; the cookie holds the token whose hash is stored here.

    Deleting the row ends the session even if someone kept a copy of the cookie.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # when the password was last typed in this session (sign-in or re-authentication)
    verified_at: Mapped[datetime | None]


class SetPasswordToken(Base):
    """A one-time link a new user follows to set a password; it expires."""

    __tablename__ = "set_password_token"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
