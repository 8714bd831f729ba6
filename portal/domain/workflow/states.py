"""The application's state machine: states, who may do what in which state, and the audit trail.

Every transition is checked here, written to the history with who, when, from and to, and
chained by hash so a changed or deleted row is detected.
"""
from __future__ import annotations

import enum
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.domain.procedures.runtime import Runtime
from portal.models import Application, HistoryEntry, Snapshot, StageState, User, utcnow


class Status(str, enum.Enum):
    draft = "draft"                          # the applicant fills the stages
    awaiting_approval = "awaiting_approval"  # with the first head
    approved = "approved"                    # approved by the first head, to be signed
    submitted = "submitted"                  # sent to the exchange
    withdrawn = "withdrawn"
    archived = "archived"
    deleted = "deleted"


DELETABLE = {Status.draft, Status.awaiting_approval, Status.approved}
OPEN_STATUSES = {s.value for s in (Status.draft, Status.awaiting_approval, Status.approved,
                                   Status.submitted)}
DONE_STAGE = {"filled", "skipped"}


class Refused(Exception):
    """The action is not allowed now; .reason is a code the web layer translates."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


GENESIS = "0" * 64


def _digest(prev: str, entry: HistoryEntry) -> str:
    body = json.dumps([prev, entry.application_id, entry.actor_id, entry.action, entry.from_status,
                       entry.to_status, entry.detail, entry.created_at.isoformat()],
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def record(db: Session, app: Application, actor: User | None, action: str,
           from_status: str | None = None, to_status: str | None = None, **detail) -> HistoryEntry:
    last = db.scalar(select(HistoryEntry.hash).where(HistoryEntry.application_id == app.id)
                     .order_by(HistoryEntry.id.desc()).limit(1))
    entry = HistoryEntry(application_id=app.id, actor_id=actor.id if actor else None,
                         action=action, from_status=from_status, to_status=to_status,
                         detail=detail, created_at=utcnow().replace(microsecond=0),
                         prev_hash=last or GENESIS)
    entry.hash = _digest(entry.prev_hash, entry)
    db.add(entry)
    db.flush()
    return entry


def history(db: Session, app: Application) -> list[HistoryEntry]:
    return list(db.scalars(select(HistoryEntry).where(HistoryEntry.application_id == app.id)
                           .options(joinedload(HistoryEntry.actor)).order_by(HistoryEntry.id)))


def verify_chain(db: Session, application_id: int) -> bool:
    prev = GENESIS
    for entry in db.scalars(select(HistoryEntry).where(HistoryEntry.application_id == application_id)
                            .order_by(HistoryEntry.id)):
        if entry.prev_hash != prev or entry.hash != _digest(prev, entry):
            return False
        prev = entry.hash
    return True


def move(db: Session, app: Application, actor: User, action: str, target: Status, **detail):
    source = app.status
    app.status = target.value
    record(db, app, actor, action, source, target.value, **detail)


def stage_states(app: Application) -> dict[str, StageState]:
    return {s.stage_id: s for s in app.stages}


def open_stage_ids(runtime: Runtime, app: Application) -> list[str]:
    """Stages the applicant may open: every stage up to and including the first unfinished one."""
    states, opened = stage_states(app), []
    for place in runtime.stages:
        opened.append(place.stage.id)
        state = states.get(place.stage.id)
        if state is None or state.status not in DONE_STAGE:
            break
    return opened


def unfinished_stages(runtime: Runtime, app: Application) -> list[str]:
    states = stage_states(app)
    return [p.stage.id for p in runtime.stages
            if states.get(p.stage.id) is None or states[p.stage.id].status not in DONE_STAGE]


def can_fill(user: User, app: Application, runtime: Runtime, stage_id: str) -> bool:
    place = runtime.stage(stage_id)
    if place is None or app.status != Status.draft.value:
        return False
    if stage_id not in open_stage_ids(runtime, app):
        return False
    if place.stage.filled_by == "adviser":
        state = stage_states(app).get(stage_id)
        return state is not None and state.executor_id == user.id
    return user.id == app.author_id


def require(condition: bool, reason: str, **params) -> None:
    if not condition:
        raise Refused(reason, **params)


def first_heads(app: Application) -> list[User]:
    """The applicant organisation's active first heads: who approves and signs."""
    return [u for u in app.organisation.users if u.is_first_head and u.active]


def is_first_head_of(user: User, app: Application) -> bool:
    return bool(user.is_first_head) and user.organisation_id == app.organisation_id


def send_for_approval(db: Session, app: Application, runtime: Runtime, user: User,
                      values: dict) -> None:
    require(app.status == Status.draft.value, "state")
    require(user.id == app.author_id, "not_author")
    require(bool(first_heads(app)), "no_first_head")
    missing = unfinished_stages(runtime, app)
    require(not missing, "unfinished", stages=missing)
    from portal.domain.applications.filling import (
        check,  # the user's own dry run; imported here: it imports us
    )
    require(not check(runtime, app), "check_failed")
    snapshot = _snapshot(db, app)
    if snapshot is None:
        db.add(Snapshot(application_id=app.id, content_version=app.content_version, values=values))
    else:
        snapshot.values = values
    move(db, app, user, "send_for_approval", Status.awaiting_approval)


def _snapshot(db: Session, app: Application) -> Snapshot | None:
    return db.scalar(select(Snapshot).where(Snapshot.application_id == app.id,
                                            Snapshot.content_version == app.content_version))


def return_for_revision(db: Session, app: Application, user: User) -> None:
    require(app.status == Status.awaiting_approval.value, "state")
    require(is_first_head_of(user, app), "not_first_head")
    app.content_version += 1
    move(db, app, user, "return_for_revision", Status.draft, version=app.content_version)


def approve(db: Session, app: Application, user: User) -> None:
    require(app.status == Status.awaiting_approval.value, "state")
    require(is_first_head_of(user, app), "not_first_head")
    move(db, app, user, "approve", Status.approved)


def delete(db: Session, app: Application, user: User) -> None:
    require(Status(app.status) in DELETABLE, "already_sent")
    require(user.id == app.author_id, "not_author")
    move(db, app, user, "delete", Status.deleted)



ACTOR_BY_STATUS = {
    Status.draft.value: "applicant",
    Status.awaiting_approval.value: "first_head",
    Status.approved.value: "first_head",
    Status.submitted.value: "office",
}


def current_process(runtime: Runtime, app: Application):
    """The process the application is in now, by who acts on it."""
    actor = ACTOR_BY_STATUS.get(app.status)
    return next((p for p in runtime.procedure.processes if p.actor == actor), None)


def current_executors(runtime: Runtime, app: Application) -> list[User]:
    """Who is expected to act now (G-9.4 "current executor")."""
    if app.status == Status.draft.value:
        opened = open_stage_ids(runtime, app)
        state = stage_states(app).get(opened[-1]) if opened else None
        if state is not None and state.executor is not None and state.status not in DONE_STAGE:
            return [state.executor]
        return [app.author]
    if app.status in (Status.awaiting_approval.value, Status.approved.value):
        return first_heads(app)
    return []
