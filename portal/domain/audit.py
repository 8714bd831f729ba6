"""Portal-wide events that belong to no application (account rights), for the audit trail.

The application's history is per application; the portal-wide audit trail comes with the flow
engine. Until then `recorded` hands each event to SINKS: by default the "portal.audit" log.
Point it at the new trail by adding a sink (or replacing the list); callers stay as they are.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy.orm import Session

from portal.models import User, utcnow

log = logging.getLogger("portal.audit")


@dataclass(frozen=True)
class Event:
    action: str
    actor_id: int | None
    subject_id: int | None
    organisation_id: int | None
    at: datetime
    detail: dict = field(default_factory=dict)


def _to_log(_db: Session, event: Event) -> None:
    log.info(json.dumps(asdict(event), default=str, ensure_ascii=False, sort_keys=True))


SINKS: list[Callable[[Session, Event], None]] = [_to_log]


def recorded(db: Session, actor: User | None, action: str, subject: User, **detail) -> Event:
    """Record that actor did action to subject (a user account), in the caller's transaction."""
    event = Event(action=action, actor_id=actor.id if actor else None, subject_id=subject.id,
                  organisation_id=subject.organisation_id, at=utcnow(), detail=detail)
    for sink in SINKS:
        sink(db, event)
    return event
