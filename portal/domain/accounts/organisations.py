"""Partnerships and organisation membership (G-9.2, G-9.3): who may see and change what."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Organisation, Partnership, User, utcnow

PARTNER_ROLES = ("adviser", "auditor")


class PartnershipRefused(Exception):
    """Carries a reason code the view turns into a message."""


def organisation_users(db: Session, organisation_id: int) -> list[User]:
    return list(db.scalars(select(User).where(User.organisation_id == organisation_id,
                                              User.active.is_(True))
                           .order_by(User.surname, User.name)))


def partnerships(db: Session, client_id: int) -> list[Partnership]:
    return list(db.scalars(select(Partnership).where(Partnership.client_id == client_id)
                           .order_by(Partnership.role, Partnership.id)))


def candidate_partners(db: Session, client_id: int, role: str) -> list[Organisation]:
    """Active companies in the role that the client has not added yet (the "Add" drop-down)."""
    taken = select(Partnership.partner_id).where(Partnership.client_id == client_id,
                                                 Partnership.role == role)
    rows = db.scalars(select(Organisation).where(Organisation.active.is_(True),
                                                 Organisation.id != client_id,
                                                 Organisation.id.not_in(taken))
                      .order_by(Organisation.code))
    return [org for org in rows if org.has_role(role)]


def add_partner(db: Session, client_id: int, partner_id: int, role: str) -> Partnership:
    if role not in PARTNER_ROLES:
        raise PartnershipRefused("role")
    if partner_id not in {o.id for o in candidate_partners(db, client_id, role)}:
        raise PartnershipRefused("partner")
    row = Partnership(client_id=client_id, partner_id=partner_id, role=role)
    db.add(row)
    return row


def own_partnership(db: Session, client_id: int, partnership_id: int) -> Partnership | None:
    """The partnership if it belongs to this client; None for another organisation's."""
    row = db.get(Partnership, partnership_id)
    return row if row is not None and row.client_id == client_id else None


def request_removal(row: Partnership, user: User, reason: str) -> None:
    row.removal_requested_at = utcnow()
    row.removal_requested_by = user.id
    row.removal_reason = reason.strip()[:1000]


def pending_removals(db: Session) -> list[Partnership]:
    return list(db.scalars(select(Partnership).where(Partnership.removal_requested_at.is_not(None))
                           .order_by(Partnership.removal_requested_at)))


def issuers_of_adviser(db: Session, adviser_id: int) -> list[Organisation]:
    """Issuers that added this adviser under "Partnership": the companies it may file for."""
    return list(db.scalars(select(Organisation).join(Partnership, Partnership.client_id == Organisation.id)
                           .where(Partnership.partner_id == adviser_id,
                                  Partnership.role == "adviser", Organisation.active.is_(True))
                           .order_by(Organisation.code)))
