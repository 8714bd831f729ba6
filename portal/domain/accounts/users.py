"""Signing in and out, lockout, sessions and passwords: the rules, with no web framework."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.domain.accounts.passwords import PasswordPolicy, hash_password, verify_password
from portal.models import Organisation, PasswordHistory, SetPasswordToken, User, UserSession, utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
SET_PASSWORD_HOURS = 72
SESSION_MAX_AGE = timedelta(hours=8)  # as config PERMANENT_SESSION_LIFETIME
# last_seen_at is written at most this often: not one database write per request
SEEN_EVERY = timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(db: Session, email: str, password: str, now: datetime | None = None
                 ) -> User | None:
    """The user if the password is right and the account usable; None otherwise, always after
    the same hashing work, so the answer never tells whether the e-mail exists."""
    now = now or utcnow()
    user = find_user(db, email)
    locked = bool(user and user.locked_until and user.locked_until > now)
    good = verify_password(user.password_hash if user else None, password)
    if user is None:
        return None
    if locked or not user.active or not user.organisation.active:
        return None
    if not good:
        count_failure(user, now)
        return None
    user.failed_logins = 0
    user.locked_until = None
    return user


def is_locked(user: User, now: datetime | None = None) -> bool:
    return bool(user.locked_until and user.locked_until > (now or utcnow()))


def count_failure(user: User, now: datetime) -> None:
    """One more wrong password or code; the fifth in a row locks the account for 15 minutes."""
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0


def confirm_password(db: Session, user: User, password: str, now: datetime | None = None
                     ) -> bool:
    """The signed-in user's password typed again ("Change password", re-authentication).
    A wrong one counts with the sign-in failures, so guessing it locks the account as
    guessing at sign-in does; while locked even the right one is refused."""
    now = now or utcnow()
    good = verify_password(user.password_hash, password)
    if is_locked(user, now):
        return False
    if not good:
        count_failure(user, now)
        return False
    user.failed_logins = 0
    return True


def start_session(db: Session, user: User, now: datetime | None = None) -> str:
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    db.add(UserSession(user_id=user.id, token_hash=token_digest(token), created_at=now,
                       verified_at=now))
    return token


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(UserSession).where(UserSession.token_hash == token_digest(token)))


def end_all_sessions(db: Session, user: User) -> None:
    db.execute(delete(UserSession).where(UserSession.user_id == user.id))


def set_active(db: Session, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions, so enabling it again later
    does not bring back a browser (or a copied cookie) signed in before."""
    user.active = active
    if not active:
        end_all_sessions(db, user)


def current_session(db: Session, token: str | None) -> UserSession | None:
    return db.scalar(select(UserSession).where(UserSession.token_hash == token_digest(token))) \
        if token else None


def reauthenticate(db: Session, user: User, token: str | None, password: str,
                   now: datetime | None = None) -> bool:
    """Type the password again in this session: True and the session is fresh again."""
    now = now or utcnow()
    row = current_session(db, token)
    if row is None or row.user_id != user.id or not confirm_password(db, user, password, now):
        return False
    row.verified_at = now
    return True


def signed_in_at(db: Session, token: str | None) -> datetime | None:
    """When the password was last typed in this browser's session (at sign-in, or again on the
    re-authentication page): decisions and signing want a recent one (the fresh_sign_in guard)."""
    row = current_session(db, token)
    return (row.verified_at or row.created_at) if row else None


def session_user(db: Session, user_id: int, token: str | None, now: datetime | None = None,
                 max_age: timedelta = SESSION_MAX_AGE, idle: timedelta | None = None
                 ) -> User | None:
    """The signed-in user, if this browser's session still exists, is younger than max_age,
    was used within idle and the account is usable. The cookie has no expiry of its own, so
    without the age check a copied cookie would work for as long as nobody logs out.
    Marks the session seen (at most once a SEEN_EVERY); the caller commits."""
    if not token:
        return None
    row = db.scalar(select(UserSession).where(UserSession.token_hash == token_digest(token),
                                              UserSession.user_id == user_id))
    if row is None:
        return None
    now = now or utcnow()
    if row.created_at < now - max_age:
        return None
    if idle is not None and (row.last_seen_at or row.created_at) < now - idle:
        return None
    user = db.get(User, user_id)
    if user is None or not user.active or not user.organisation.active:
        return None
    if (row.last_seen_at or row.created_at) < now - SEEN_EVERY:
        row.last_seen_at = now
    return user


def password_problems(db: Session, user: User, new: str, policy: PasswordPolicy) -> list[str]:
    problems = policy.problems(new)
    recent = db.scalars(select(PasswordHistory.password_hash)
                        .where(PasswordHistory.user_id == user.id)
                        .order_by(PasswordHistory.id.desc()).limit(policy.history)).all()
    if any(verify_password(h, new) for h in [user.password_hash, *recent] if h):
        problems.append("reused")
    return problems


def set_password(db: Session, user: User, new: str, keep_token: str | None = None,
                 now: datetime | None = None) -> None:
    """Store the new password and end every other session of the user."""
    if user.password_hash:
        db.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
    user.password_hash = hash_password(new)
    user.password_changed_at = now or utcnow()
    user.must_change_password = False
    keep = token_digest(keep_token) if keep_token else ""
    db.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                         UserSession.token_hash != keep))


def needs_password_change(user: User, policy: PasswordPolicy, now: datetime | None = None
                          ) -> bool:
    return user.must_change_password or policy.expired(user.password_changed_at, now or utcnow())


def issue_set_password_token(db: Session, user: User, now: datetime | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.add(SetPasswordToken(user_id=user.id, token_hash=token_digest(token),
                            expires_at=(now or utcnow()) + timedelta(hours=SET_PASSWORD_HOURS)))
    return token


def redeem_set_password_token(db: Session, token: str, now: datetime | None = None
                              ) -> SetPasswordToken | None:
    now = now or utcnow()
    row = db.scalar(select(SetPasswordToken).where(SetPasswordToken.token_hash == token_digest(token)))
    if row is None or row.used_at is not None or row.expires_at < now:
        return None
    return row


@dataclass
class NewUser:
    surname: str
    name: str
    patronymic: str | None
    position: str
    email: str
    phone: str
    iin: str
    language: str
    is_org_admin: bool = False  # the first-head right is granted apart (first_head.py)
    staff_roles: tuple[str, ...] = ()


class EmailTaken(Exception):
    pass


def create_user(db: Session, organisation: Organisation, data: NewUser) -> tuple[User, str]:
    """A new account with no password yet, and the one-time token of its set-password link."""
    email = normalise_email(data.email)
    if db.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise EmailTaken(email)
    user = User(organisation=organisation, surname=data.surname.strip(), name=data.name.strip(),
                patronymic=(data.patronymic or "").strip() or None, position=data.position.strip(),
                email=email, phone=data.phone.strip(), iin=data.iin, language=data.language,
                is_org_admin=data.is_org_admin,
                staff_roles=list(data.staff_roles) if organisation.is_exchange else [],
                must_change_password=True)
    db.add(user)
    db.flush()
    return user, issue_set_password_token(db, user)
