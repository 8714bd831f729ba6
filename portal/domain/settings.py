"""Portal-wide switches kept in the database, so every application server sees the same one:
maintenance mode (G-27) with the exchange's message in three languages."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from portal.domain.text import clean
from portal.domain.workflow import audit
from portal.models import Setting, User, utcnow

MAINTENANCE = "maintenance"
LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class Maintenance:
    on: bool
    message: dict = field(default_factory=dict)  # by language; empty: the portal's own text
    forced: bool = False  # by the PORTAL_MAINTENANCE environment flag: the portal cannot end it


def maintenance(db: Session, forced: bool = False) -> Maintenance:
    row = db.get(Setting, MAINTENANCE)
    value = row.value if row is not None else {}
    return Maintenance(on=forced or bool(value.get("on")), message=value.get("message") or {},
                       forced=forced)


def switch_maintenance(db: Session, user: User, on: bool, message: dict) -> None:
    """Staff turn maintenance on or off, in the caller's transaction, with an audit event."""
    text = {lang: clean(str(message.get(lang) or "")).strip()[:500] for lang in LANGUAGES}
    row = db.get(Setting, MAINTENANCE)
    if row is None:
        row = Setting(key=MAINTENANCE)
        db.add(row)
    row.value = {"on": on, "message": {k: v for k, v in text.items() if v}}
    row.updated_at, row.updated_by_id = utcnow(), user.id
    audit.record(db, "maintenance_on" if on else "maintenance_off", user, **row.value)
