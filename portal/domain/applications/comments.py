"""Comments on fields (G-20): made by the first head on a version, answered, resolved."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.domain.applications.stages import is_first_head_of
from portal.domain.refusal import require
from portal.domain.text import clean
from portal.domain.workflow import audit
from portal.models import Application, AuditEvent, Comment, Snapshot, User, utcnow

MAX_LENGTH = 4000


def as_text(value: Any) -> str:
    """A stable text form of a value, for comparing and showing what changed."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def add(db: Session, app: Application, user: User, field_id: str, text: str, values: dict,
        parent_id: int | None = None) -> Comment:
    """The first head comments while approving; the author answers; both see saved comments."""
    text = clean(text or "").strip()[:MAX_LENGTH]
    require(bool(text), "empty")
    if parent_id is None:
        require(app.phase == "first_head" and is_first_head_of(user, app), "not_first_head")
    else:
        parent = db.get(Comment, parent_id)
        require(parent is not None and parent.application_id == app.id, "no_comment")
        field_id = parent.field_id
        require(user.id == app.author_id or is_first_head_of(user, app), "not_yours")
    comment = Comment(application_id=app.id, field_id=field_id, content_version=app.content_version,
                      author_id=user.id, parent_id=parent_id, text=text,
                      value_then=as_text(values.get(field_id)),
                      saved_at=None if parent_id is None else utcnow())
    db.add(comment)
    audit.record(db, "comment" if parent_id is None else "comment_answer", user, application=app,
                 field=field_id)
    return comment


def save_drafts(db: Session, app: Application, user: User) -> int:
    """The first head's "Save": their draft comments become visible, with date and time."""
    drafts = db.scalars(select(Comment).where(Comment.application_id == app.id,
                                              Comment.author_id == user.id,
                                              Comment.saved_at.is_(None))).all()
    for comment in drafts:
        comment.saved_at = utcnow()
    return len(drafts)


def resolve(db: Session, app: Application, user: User, comment_id: int) -> None:
    comment = db.get(Comment, comment_id)
    require(comment is not None and comment.application_id == app.id, "no_comment")
    require(is_first_head_of(user, app) or user.id == app.author_id, "not_yours")
    comment.resolved_at = utcnow()


def for_application(db: Session, app: Application, user: User) -> dict[str, list[Comment]]:
    """Comments by field: everyone's saved ones and this user's own drafts (one query)."""
    rows = db.scalars(select(Comment).where(Comment.application_id == app.id,
                                            or_(Comment.saved_at.is_not(None),
                                                Comment.author_id == user.id))
                      .order_by(Comment.id)).all()
    by_field: dict[str, list[Comment]] = {}
    for row in rows:
        by_field.setdefault(row.field_id, []).append(row)
    return by_field


def changes_since(db: Session, app: Application, values: dict, versions: list[int] | None = None
                  ) -> dict[str, tuple[str, str]]:
    """Field by field, what changed since the version the first head last saw (or the last of
    `versions` before this one)."""
    query = select(Snapshot).where(Snapshot.application_id == app.id,
                                   Snapshot.content_version < app.content_version)
    if versions is not None:
        query = query.where(Snapshot.content_version.in_(versions))
    seen = db.scalar(query.order_by(Snapshot.content_version.desc()).limit(1))
    if seen is None:
        return {}
    before = seen.values or {}
    return {key: (as_text(before.get(key)), as_text(values.get(key)))
            for key in sorted(set(before) | set(values))
            if as_text(before.get(key)) != as_text(values.get(key))}


def exchange_changes(db: Session, app: Application, values: dict) -> dict[str, tuple[str, str]]:
    """What changed since the last version the exchange registered (e.g. the refused one):
    each registration keeps its version in the audit trail."""
    registered = db.scalars(select(AuditEvent.detail).where(AuditEvent.application_id == app.id,
                                                            AuditEvent.action == "register"))
    return changes_since(db, app, values,
                         [d["version"] for d in registered if d and "version" in d])
