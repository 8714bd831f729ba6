"""The training sandbox's reset: every row removed, then the demo data loaded again."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain.workflow import audit
from portal.models import (
    Application, AuditEvent, Base, NormativeDocument, Organisation, OutboxMail, User)

# what the confirmation page names, in its order
COUNTED = (("organisations", Organisation), ("users", User), ("applications", Application),
           ("documents", NormativeDocument), ("mails", OutboxMail), ("audit_events", AuditEvent))


def what_reset_removes(db: Session) -> dict[str, int]:
    return {name: db.scalar(select(func.count()).select_from(model)) for name, model in COUNTED}


def reset(db: Session, load_demo: Callable[[Session], object], by: str) -> dict[str, int]:
    """Empty every table (children first), load the demo data, and open the new audit trail
    with the reset itself: who did it and what it removed. The caller commits."""
    removed = what_reset_removes(db)
    for table in reversed(Base.metadata.sorted_tables):
        db.execute(table.delete())
    db.flush()
    db.expunge_all()  # the removed rows' objects (the signed-in user too) must not come back
    load_demo(db)
    audit.record(db, "sandbox_reset", role="staff", by=by, removed=removed)
    return removed
