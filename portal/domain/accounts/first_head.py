"""The first-head right: the person who approves and signs for the organisation (G-20).

An organisation administrator who could grant it could read and decide every application of
the organisation (issue 11). So only the exchange's account administrators grant it, on an
organisation administrator's request or of their own accord; each grant is recorded, the
organisation's existing first heads are told (web/directory.py does both), and the new first
head sees only applications sent for approval from then on (visibility.py: first_head_since).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.accounts.roles import StaffRole
from portal.models import User, utcnow


class NotAllowed(Exception):
    pass


def _require_account_admin(actor: User) -> None:
    if not (actor.is_staff and actor.has_staff_role(StaffRole.account_admin)):
        raise NotAllowed()


def request_right(db: Session, user: User, by: User, now: datetime | None = None) -> None:
    """An organisation administrator asks the exchange to make a colleague a first head."""
    if not by.is_org_admin or by.organisation_id != user.organisation_id:
        raise NotAllowed()
    if user.is_first_head or user.first_head_requested_at:
        return
    user.first_head_requested_at = now or utcnow()
    user.first_head_requested_by = by.id


def grant(db: Session, user: User, by: User, now: datetime | None = None) -> list[User]:
    """Give the right; returns the organisation's other active first heads, to be told."""
    _require_account_admin(by)
    if user.is_first_head:
        return []
    others = [u for u in user.organisation.users if u.is_first_head and u.active and u.id != user.id]
    # whole seconds, as history times: see visibility._sent_to
    user.is_first_head = True
    user.first_head_since = (now or utcnow()).replace(microsecond=0)
    user.first_head_granted_by = by.id
    user.first_head_requested_at = user.first_head_requested_by = None
    return others


def refuse(db: Session, user: User, by: User) -> None:
    _require_account_admin(by)
    user.first_head_requested_at = user.first_head_requested_by = None


def revoke(db: Session, user: User, by: User) -> None:
    _require_account_admin(by)
    user.is_first_head = False
    user.first_head_since = user.first_head_granted_by = None


def pending(db: Session) -> list[User]:
    return list(db.scalars(select(User).where(User.first_head_requested_at.is_not(None),
                                              User.active.is_(True))
                           .order_by(User.first_head_requested_at)))
