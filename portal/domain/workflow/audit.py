"""The portal's one audit trail: every transition, comment, signature and staff action.

Rows are only ever added. Each carries the hash of the previous row and its own, and the
newest hash is kept in audit_head, so an edited row, a deleted middle row and a truncated
tail are all detected by `verify`. Writers lock the head row: the chain stays one line even
with several application servers.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.models import Application, AuditEvent, AuditHead, User, utcnow

GENESIS = "0" * 64


def digest(prev: str, row: dict) -> str:
    body = json.dumps([prev, row["id"], row["application_id"], row["actor_id"], row["role"],
                       row["organisation_id"], row["action"], row["from_state"],
                       row["to_state"], row["detail"], row["address"],
                       row["created_at"].isoformat()],
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _fields(event: AuditEvent) -> dict:
    return dict(id=event.id, application_id=event.application_id, actor_id=event.actor_id,
                role=event.role, organisation_id=event.organisation_id, action=event.action,
                from_state=event.from_state, to_state=event.to_state, detail=event.detail or {},
                address=event.address, created_at=event.created_at)


def _head(db: Session) -> AuditHead:
    head = db.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None:
        head = AuditHead(id=1, last_id=0, hash=GENESIS)
        db.add(head)
    return head


def record(db: Session, action: str, actor: User | None = None, *,
           application: Application | None = None, role: str | None = None,
           from_state: str | None = None, to_state: str | None = None,
           address: str | None = None, **detail) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    head = _head(db)
    event = AuditEvent(application_id=application.id if application else None,
                       actor_id=actor.id if actor else None, role=role,
                       organisation_id=actor.organisation_id if actor else None, action=action,
                       from_state=from_state, to_state=to_state, detail=detail, address=address,
                       created_at=utcnow().replace(microsecond=0), prev_hash=head.hash, hash="")
    db.add(event)
    db.flush()
    event.hash = digest(event.prev_hash, _fields(event))
    head.last_id, head.hash = event.id, event.hash
    db.flush()
    return event


def trail(db: Session, application: Application) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.application_id == application.id)
                           .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id)))


def last_event(db: Session, application: Application, to_state: str) -> AuditEvent | None:
    """The newest event that moved the application into this state."""
    return db.scalar(select(AuditEvent).where(AuditEvent.application_id == application.id,
                                              AuditEvent.to_state == to_state)
                     .options(joinedload(AuditEvent.actor))
                     .order_by(AuditEvent.id.desc()).limit(1))


def _in_order(db: Session, batch: int):
    """Every event by id, a batch at a time (keyset pages: no server-side cursor needed)."""
    after = 0
    while True:
        page = db.scalars(select(AuditEvent).where(AuditEvent.id > after)
                          .order_by(AuditEvent.id).limit(batch)).all()
        yield from page
        if len(page) < batch:
            return
        after = page[-1].id


@dataclass(frozen=True)
class Verdict:
    ok: bool
    rows: int
    first_bad: int | None = None  # the id of the first row that breaks the chain
    reason: str = ""


def verify(db: Session, batch: int = 1000) -> Verdict:
    """Walk the whole chain in id order; name the first row that does not fit."""
    prev, last_id, rows = GENESIS, 0, 0
    for event in _in_order(db, batch):
        rows += 1
        if event.prev_hash != prev:
            return Verdict(False, rows, event.id, "a row before it was removed or changed")
        if event.hash != digest(prev, _fields(event)):
            return Verdict(False, rows, event.id, "the row was changed")
        prev, last_id = event.hash, event.id
    head = db.get(AuditHead, 1) or AuditHead(last_id=0, hash=GENESIS)
    if head.last_id != last_id or head.hash != prev:
        return Verdict(False, rows, last_id or None, "rows after this one were removed")
    return Verdict(True, rows)
