"""The one way an application moves: `fire` a transition of its flow; `available` lists the
transitions a user may fire now (every button that moves an application comes from it).

`fire` checks the state, who fires and the guards, then writes the new state, the effects,
the clock changes, the audit event and the notices in the caller's transaction: either all of
it is committed or none.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.applications.stages import (
    DONE_STAGE,
    first_heads,
    is_first_head_of,
    open_stage_ids,
    stage_states,
)
from portal.domain.refusal import FormRefused, require
from portal.domain.workflow import audit, clocks
from portal.domain.workflow.flows import Actor, Flow, Notice, Transition
from portal.domain.workflow.forms import parse_form, split_secrets
from portal.domain.workflow.registry import EFFECTS, GUARDS, Firing
from portal.models import Application, Organisation, User

# the web layer's way of sending a notice (a notification and a mail, in the reader's language)
Notify = Callable[[User, Application, Notice], None]


def actors_of(user: User, app: Application) -> set[Actor]:
    """What the user is for this application."""
    found = set()
    if user.id == app.author_id:
        found.add(Actor.author)
    if is_first_head_of(user, app):
        found.add(Actor.first_head)
    if getattr(user, "is_staff", False):
        if user.has_staff_role("office"):
            found.add(Actor.office)
        if user.has_staff_role("authorised"):
            found.add(Actor.authorised)
        if app.staff_executor_id == user.id:
            found.add(Actor.staff_executor)
    return found


def available(flow: Flow, user: User, app: Application) -> list[Transition]:
    """The transitions this user may fire from the application's state (guards are checked
    when firing, so a button can say why it did not work)."""
    mine = actors_of(user, app)
    return [t for t in flow.transitions if app.status in t.source and mine & set(t.by)]


def fire(f: Firing, transition_id: str, form_data: dict, notify: Notify) -> Transition:
    app, flow = f.application, f.flow
    transition = flow.transition(transition_id)
    require(transition is not None, "no_transition")
    require(app.status in transition.source, "state")
    acting = actors_of(f.user, app) & set(transition.by)
    require(bool(acting), "not_allowed")
    if transition.form:
        values, errors = parse_form(flow.forms[transition.form], form_data,
                                    f.runtime.procedure, f.today)
        if errors:
            raise FormRefused(errors)
        f.data, f.secrets = split_secrets(flow.forms[transition.form], values)
    for name in transition.guards:
        GUARDS[name](f)
    source = app.status
    app.status = transition.to
    app.phase = flow.states[transition.to].phase.value
    app.updated_at = f.now
    for name in transition.effects:
        EFFECTS[name](f)
    clocks.on_transition(f.db, app, f.runtime, flow, transition.emits, f.today, f.calendar)
    role = next(a.value for a in transition.by if a in acting)
    audit.record(f.db, transition.id, f.user, application=app, role=role, from_state=source,
                 to_state=transition.to, address=f.address, **f.data)
    for notice in transition.notify:
        for recipient in recipients(f.db, app, notice.to):
            if recipient.id != f.user.id:
                notify(recipient, app, notice)
    return transition


def precheck(f: Firing, transition: Transition) -> None:
    """The transition's guards before its form is filled in (refuses as `fire` would)."""
    for name in transition.guards:
        GUARDS[name](f)


def recipients(db: Session, app: Application, actor: Actor) -> list[User]:
    if actor == Actor.author:
        return [app.author]
    if actor == Actor.first_head:
        return first_heads(app)
    if actor == Actor.staff_executor:
        return [app.staff_executor] if app.staff_executor else staff_with(db, "authorised")
    return staff_with(db, actor.value)


def staff_with(db: Session, role: str) -> list[User]:
    """Active exchange employees holding a staff role."""
    staff = db.scalars(select(User).join(Organisation, User.organisation_id == Organisation.id)
                       .where(User.active.is_(True), Organisation.is_exchange.is_(True))).all()
    return [u for u in staff if u.has_staff_role(role)]


def current_process(runtime, flow: Flow, app: Application):
    """The procedure process the application is in now: the first its state names."""
    state = flow.states.get(app.status)
    if state is None or state.ended:
        return None
    processes = {p.id: p for p in runtime.procedure.processes}
    return next((processes[p] for p in state.process if p in processes), None)


def current_executors(db: Session, runtime, flow: Flow, app: Application) -> list[User]:
    """Who is expected to act now (G-9.4 "current executor")."""
    state = flow.states.get(app.status)
    holder = state.holder if state else None
    if holder == Actor.author:
        opened = open_stage_ids(runtime, app)
        stage = stage_states(app).get(opened[-1]) if opened else None
        if stage is not None and stage.executor is not None and stage.status not in DONE_STAGE:
            return [stage.executor]
        return [app.author]
    if holder is None:
        return []
    return recipients(db, app, holder)
