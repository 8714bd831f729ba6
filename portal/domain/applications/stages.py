"""Stages of an application: which are open, which are finished, who may fill one now."""
from __future__ import annotations

from portal.domain.procedures.runtime import Runtime
from portal.models import Application, StageState, User

DONE_STAGE = {"filled", "skipped"}


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


def being_filled(app: Application) -> bool:
    """Stages change only while the application is with the applicant, in its flow's first
    state; after that what the first head and the exchange saw stays as it was."""
    return app.phase == "applicant" and app.status == (app.flow_version.definition["initial"]
                                                        if app.flow_version else "draft")


def can_fill(user: User, app: Application, runtime: Runtime, stage_id: str) -> bool:
    place = runtime.stage(stage_id)
    if place is None or not being_filled(app):
        return False
    if stage_id not in open_stage_ids(runtime, app):
        return False
    if place.stage.filled_by == "adviser":
        state = stage_states(app).get(stage_id)
        return state is not None and state.executor_id == user.id
    return user.id == app.author_id


def first_heads(app: Application) -> list[User]:
    """The applicant organisation's active first heads: who approves and signs."""
    return [u for u in app.organisation.users if u.is_first_head and u.active]


def is_first_head_of(user: User, app: Application) -> bool:
    return bool(user.is_first_head) and user.organisation_id == app.organisation_id
