"""Who sees which application (G-9.4): one rule, used by every list and page."""
from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from ..models import Application, StageState, User
from .workflow import Status

HIDDEN = (Status.deleted.value,)


def visible_to(user: User) -> Select:
    """Applications this user may see: their organisation's, their own as author, and those
    where they were assigned as an executor. Exchange staff see everything sent to it."""
    assigned = exists().where(StageState.application_id == Application.id,
                              StageState.executor_id == user.id)
    query = select(Application).where(Application.status.not_in(HIDDEN))
    if user.is_staff:
        return query.where(Application.submitted_at.is_not(None))
    return query.where(or_(Application.organisation_id == user.organisation_id,
                           Application.author_id == user.id, assigned))


def can_view(db, user: User, application_id: int, for_update: bool = False) -> Application | None:
    """The application if the user may see it; None otherwise (the view answers 404).
    for_update locks its row, so concurrent changes to one application run one after another."""
    query = visible_to(user).where(Application.id == application_id)
    if for_update:
        query = query.with_for_update(of=Application)
    return db.scalar(query)
