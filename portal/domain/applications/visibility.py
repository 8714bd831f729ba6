"""Who sees which application (G-9.4): one rule, used by every list and page."""
from __future__ import annotations

from sqlalchemy import Select, and_, exists, or_, select

from portal.models import Application, AuditEvent, StageState, User


def visible_to(user: User) -> Select:
    """Applications this user may see (G-9.4): their own as author, and those where they were
    made an executor: an adviser's employee assigned to a stage, or the first head once the
    application was sent for approval. Other users of the organisation or a partner see nothing
    else. Exchange staff see everything sent to the exchange. Deleted ones nobody sees."""
    query = select(Application).where(Application.phase != "deleted")
    if user.is_staff:
        return query.where(Application.submitted_at.is_not(None))
    assigned = exists().where(StageState.application_id == Application.id,
                              StageState.executor_id == user.id)
    seen = [Application.author_id == user.id, assigned]
    if user.is_first_head:
        seen.append(and_(Application.organisation_id == user.organisation_id, _sent_to(user)))
    return query.where(or_(*seen))


def _sent_to(user: User):
    """Sent for approval while the user was a first head: a new first head does not see what
    was sent before the right was granted (issue 11); first_head_since is whole seconds and
    so are audit times, hence ">": a send in the grant's own second counts as before it."""
    sent = exists().where(AuditEvent.application_id == Application.id,
                          AuditEvent.action == "send_for_approval")
    if user.first_head_since is not None:
        sent = sent.where(AuditEvent.created_at > user.first_head_since)
    return sent


def can_view(db, user: User, application_id: int, for_update: bool = False) -> Application | None:
    """The application if the user may see it; None otherwise (the view answers 404).
    for_update locks its row, so concurrent changes to one application run one after another."""
    query = visible_to(user).where(Application.id == application_id)
    if for_update:
        query = query.with_for_update(of=Application)
    return db.scalar(query)
