"""Creating and filling applications: stages saved, finished, skipped, assigned; dynamic entries."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.accounts.organisations import issuers_of_adviser
from portal.domain.applications.stages import being_filled, can_fill, stage_states
from portal.domain.procedures.catalogue import walk_items
from portal.domain.procedures.definitions import DynamicItem, Rule
from portal.domain.procedures.rules import passes
from portal.domain.procedures.runtime import Runtime, is_filled, node_at
from portal.domain.procedures.values import Error, check_required, parse_scalar
from portal.domain.refusal import Refused, require
from portal.domain.workflow import audit, clocks
from portal.domain.workflow.calendar import WorkingCalendar
from portal.models import (
    Application,
    FlowVersion,
    Organisation,
    Partnership,
    ProcedureVersion,
    StageState,
    User,
    utcnow,
)


def create(db: Session, version: ProcedureVersion, flow: FlowVersion, organisation: Organisation,
           author: User, address: str | None = None) -> Application:
    """A new application in its flow's first state, under today's procedure and flow versions."""
    initial = flow.definition["initial"]
    app = Application(procedure_version_id=version.id, flow_version=flow,
                      organisation_id=organisation.id, author_id=author.id, status=initial,
                      phase=flow.definition["states"][initial]["phase"])
    db.add(app)
    db.flush()
    app.number = f"{utcnow():%Y}-{app.id:06d}"
    audit.record(db, "create", author, application=app, role="author", to_state=initial,
                 address=address, version=version.version, flow_version=flow.version)
    return app


def companies_for(db: Session, user: User) -> list[Organisation]:
    """The companies a user may file for: their own, and for an adviser the issuers that added
    it under "Partnership" (G-13)."""
    org = user.organisation
    own = [org] if org.has_role("initiator") or not org.has_role("adviser") else []
    return own + (issuers_of_adviser(db, org.id) if org.has_role("adviser") else [])


def values_of(app: Application) -> dict:
    """All field values of the application, every stage merged (ids are unique per procedure)."""
    merged: dict = {}
    for state in app.stages:
        merged.update(state.data or {})
    return merged


def state_of(app: Application, stage_id: str) -> StageState:
    state = stage_states(app).get(stage_id)
    if state is None:
        state = StageState(stage_id=stage_id, status="empty", data={})
        app.stages.append(state)
    return state


def stage_errors(runtime: Runtime, app: Application, stage_id: str, data: dict
                 ) -> list[tuple[str, Error]]:
    """Missing required content and failed rules whose field is on this stage."""
    values = dict(values_of(app), **data)
    errors = []
    for form in runtime.stage(stage_id).stage.forms:
        errors += check_required(form.items, values, data)
    for rule, key in rule_failures(runtime, values):
        if runtime.field_stage.get(rule.field) == stage_id:
            errors.append((key, ("rule", {"rule": rule.id})))
    return errors


def rule_failures(runtime: Runtime, values: dict) -> list[tuple[Rule, str]]:
    """Failed rules with the key of the field they are shown beside; a rule on a field of a
    dynamic form is checked once per entry, over the application's values and the entry's."""
    found = []
    for rule in runtime.procedure.rules:
        owner = runtime.dynamic_of.get(rule.field)
        if owner is None:
            if not passes(rule, values):
                found.append((rule, rule.field))
            continue
        for n, entry in enumerate(values.get(owner.id) or []):
            if not passes(rule, dict(values, **entry.get("values", {}))):
                found.append((rule, f"{owner.id}.{n}.{rule.field}"))
    return found


def save_stage(db: Session, app: Application, runtime: Runtime, user: User, stage_id: str,
               data: dict, read_errors: list, done: bool, calendar: WorkingCalendar
               ) -> list[tuple[str, Error]]:
    """Keep what was typed whatever its errors; finish the stage only when it has none.
    Clocks that run from a date field follow what was typed."""
    require(can_fill(user, app, runtime, stage_id), "not_yours")
    state = state_of(app, stage_id)
    state.data = dict(state.data or {}, **data)
    state.updated_at = app.updated_at = utcnow()
    errors = list(read_errors)
    if done:
        errors += stage_errors(runtime, app, stage_id, state.data)
    state.status = "filled" if done and not errors else "draft"
    if done and not errors:
        audit.record(db, "stage_done", user, application=app, stage=stage_id)
    clocks.on_values(db, app, runtime, values_of(app), calendar)
    return errors


def skip_stage(db: Session, app: Application, runtime: Runtime, user: User, stage_id: str) -> None:
    place = runtime.stage(stage_id)
    require(place is not None and place.stage.skippable, "not_skippable")
    require(being_filled(app) and user.id == app.author_id, "not_yours")
    state = state_of(app, stage_id)
    state.status = "skipped"
    state.executor_id = None
    audit.record(db, "stage_skipped", user, application=app, stage=stage_id)


def adviser_employees(db: Session, app: Application) -> list[User]:
    """Employees of the financial advisers the applicant added under "Partnership"."""
    partner_ids = select(Partnership.partner_id).where(Partnership.client_id == app.organisation_id,
                                                       Partnership.role == "adviser")
    return list(db.scalars(select(User).where(User.organisation_id.in_(partner_ids),
                                              User.active.is_(True))
                           .order_by(User.surname, User.name)))


def assign_executor(db: Session, app: Application, runtime: Runtime, user: User, stage_id: str,
                    executor_id: int) -> User:
    place = runtime.stage(stage_id)
    require(place is not None and place.stage.filled_by == "adviser", "not_adviser_stage")
    require(being_filled(app) and user.id == app.author_id, "not_yours")
    executor = next((u for u in adviser_employees(db, app) if u.id == executor_id), None)
    require(executor is not None, "not_partner")
    state = state_of(app, stage_id)
    state.executor_id = executor.id
    if state.status == "skipped":
        state.status = "empty"
    audit.record(db, "executor_assigned", user, application=app, stage=stage_id,
                 executor=executor.id)
    return executor


def dynamic_item(runtime: Runtime, stage_id: str, item_id: str) -> DynamicItem:
    for form in runtime.stage(stage_id).stage.forms:
        for item in walk_items(form.items):
            if isinstance(item, DynamicItem) and item.id == item_id:
                return item
    raise Refused("no_item")


def add_entry(db: Session, app: Application, runtime: Runtime, user: User, stage_id: str,
              item_id: str, path: list[str], key: str | None) -> list[tuple[str, Error]]:
    """Add a dynamic entry for exactly this combination; refused unless path ends on a leaf.
    Returns the key field's errors (nothing is added then)."""
    require(can_fill(user, app, runtime, stage_id), "not_yours")
    item = dynamic_item(runtime, stage_id, item_id)
    try:
        options, node = node_at(item.tree, path)
    except KeyError:
        raise Refused("bad_path") from None
    require(node is not None and not options and node.items is not None, "incomplete_path")
    state = state_of(app, stage_id)
    entries = list((state.data or {}).get(item_id) or [])
    if len(entries) >= item.max_entries:
        return [(item_id, ("max_entries", {"max": item.max_entries}))]
    if item.key is not None:
        key, error = parse_scalar(item.key.type, key, item.key.options, item.key.length_limit)
        if error or (item.key.required and not is_filled(key)):
            return [(f"{item_id}.key", error or ("required", {}))]
    entries.append({"path": list(path), "key": key, "values": {}})
    state.data = dict(state.data or {}, **{item_id: entries})
    state.status = "draft"
    return []


def remove_entry(db: Session, app: Application, runtime: Runtime, user: User, stage_id: str,
                 item_id: str, index: int) -> None:
    require(can_fill(user, app, runtime, stage_id), "not_yours")
    dynamic_item(runtime, stage_id, item_id)
    state = state_of(app, stage_id)
    entries = list((state.data or {}).get(item_id) or [])
    require(0 <= index < len(entries), "no_entry")
    del entries[index]
    state.data = dict(state.data or {}, **{item_id: entries})
    state.status = "draft"


def check(runtime: Runtime, app: Application) -> list[tuple[str, str, Error]]:
    """"Check before sending": every stage's required content and every rule, as a dry run.
    Returns (stage id, field key, error) for each failure, in the stages' order."""
    values = values_of(app)
    states = stage_states(app)
    findings = []
    for place in runtime.stages:
        state = states.get(place.stage.id)
        if state is not None and state.status == "skipped":
            continue
        data = state.data if state else {}
        for form in place.stage.forms:
            findings += [(place.stage.id, key, err)
                         for key, err in check_required(form.items, values, data or {})]
    for rule, key in rule_failures(runtime, values):
        findings.append((runtime.field_stage.get(rule.field, ""), key, ("rule", {"rule": rule.id})))
    return findings


def end_partner_assignments(db: Session, client_id: int, partner_id: int, actor: User
                            ) -> list[Application]:
    """A partner removed from a client: its employees' stage assignments in the client's open
    applications end (what they filled stays), each recorded; returns the applications."""
    rows = db.execute(select(StageState, Application)
                      .join(Application, Application.id == StageState.application_id)
                      .join(User, User.id == StageState.executor_id)
                      .where(Application.organisation_id == client_id,
                             Application.phase.not_in(["closed", "deleted"]),
                             User.organisation_id == partner_id)).all()
    touched: dict[int, Application] = {}
    for stage, app in rows:
        audit.record(db, "executor_unassigned", actor, application=app, role="staff",
                     stage=stage.stage_id, executor=stage.executor_id)
        stage.executor_id = None
        touched[app.id] = app
    return list(touched.values())
