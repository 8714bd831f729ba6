"""Questionnaires (G-9.6): an archived application's forms, kept for its organisation, that
pre-fill the same forms of a new application.

A form is the same when its id is; a value is carried over only into a field that still exists
with the same type (a table with the same columns, a choice that still offers the value).
Dynamic forms are not carried over: their criteria trees change between versions.
Where a value came from is written into the audit trail with the pre-fill, so the page can
say it and the history keeps it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.domain.applications.filling import state_of, values_of
from portal.domain.procedures.definitions import FieldItem, Form, SectionItem
from portal.domain.procedures.runtime import Runtime, is_filled
from portal.domain.refusal import require
from portal.domain.workflow import audit
from portal.models import Application, AuditEvent, Organisation, Questionnaire, User

PREFILL = "prefill"  # the audit action that records a pre-fill and its provenance


def form_fields(form: Form) -> dict[str, FieldItem]:
    """The form's own fields, inside sections too, not those of dynamic forms."""
    found, stack = {}, list(form.items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, FieldItem):
            found[item.id] = item
        elif isinstance(item, SectionItem):
            stack[0:0] = item.items
    return found


def type_of(field: FieldItem) -> str:
    """A field's type for compatibility: a table is its columns and their types."""
    if field.type == "table":
        return "table(" + ",".join(f"{c.id}:{c.type}" for c in field.columns or ()) + ")"
    return field.type


def _forms(runtime: Runtime) -> dict[str, tuple[str, Form]]:
    return {form.id: (place.stage.id, form) for place in runtime.stages
            for form in place.stage.forms}


def _signer(db: Session, app: Application) -> int | None:
    """The first head whose "Approved" sent this version on."""
    return db.scalar(select(AuditEvent.actor_id).where(AuditEvent.application_id == app.id,
                                                       AuditEvent.action == "approve")
                     .order_by(AuditEvent.id.desc()).limit(1))


def keep(db: Session, app: Application, runtime: Runtime, today: date) -> list[Questionnaire]:
    """Each form of the application with something in it becomes a questionnaire."""
    values = values_of(app)
    dated = app.submitted_at.date() if app.submitted_at else today
    signer, kept = _signer(db, app), []
    for form_id, (_stage, form) in _forms(runtime).items():
        fields = {fid: f for fid, f in form_fields(form).items() if is_filled(values.get(fid))}
        if not fields:
            continue
        row = Questionnaire(organisation_id=app.organisation_id, form_id=form_id,
                            procedure_code=runtime.procedure.code,
                            procedure_version=app.procedure_version.version,
                            values={fid: values[fid] for fid in fields},
                            types={fid: type_of(f) for fid, f in fields.items()},
                            application_id=app.id, dated_on=dated, signer_id=signer)
        db.add(row)
        kept.append(row)
    db.flush()
    return kept


def compatible(questionnaire: Questionnaire, form: Form) -> dict:
    """The questionnaire's values that fit the form as it is now."""
    fields, carried = form_fields(form), {}
    for fid, value in (questionnaire.values or {}).items():
        field = fields.get(fid)
        if field is None or questionnaire.types.get(fid) != type_of(field):
            continue
        if field.options is not None:
            allowed = {o.value for o in field.options}
            chosen = value if isinstance(value, list) else [value]
            if not set(chosen) <= allowed:
                continue
        carried[fid] = value
    return carried


def is_stale(questionnaire: Questionnaire, today: date, max_age_days: int) -> bool:
    return (today - questionnaire.dated_on).days > max_age_days


@dataclass(frozen=True)
class Offer:
    """A questionnaire that can pre-fill a form of the procedure being started."""

    questionnaire: Questionnaire
    form: Form
    stale: bool


def for_organisations(db: Session, organisations: list[Organisation],
                      limit: int = 200) -> list[Questionnaire]:
    """The organisations' questionnaires, newest first."""
    ids = [o.id for o in organisations]
    return list(db.scalars(select(Questionnaire).where(Questionnaire.organisation_id.in_(ids))
                           .options(joinedload(Questionnaire.signer),
                                    joinedload(Questionnaire.application),
                                    joinedload(Questionnaire.organisation))
                           .order_by(Questionnaire.dated_on.desc(), Questionnaire.id.desc())
                           .limit(limit)))


def offers(db: Session, organisations: list[Organisation], runtime: Runtime, today: date,
           max_age_days: int) -> list[Offer]:
    """What may pre-fill this procedure's forms: same form id, something still compatible."""
    forms = _forms(runtime)
    found = []
    for q in for_organisations(db, organisations):
        place = forms.get(q.form_id)
        if place is not None and compatible(q, place[1]):
            found.append(Offer(q, place[1], is_stale(q, today, max_age_days)))
    return found


def prefill(db: Session, app: Application, runtime: Runtime, user: User, chosen: list[int],
            today: date, max_age_days: int) -> list[dict]:
    """Fill the new application's forms from the chosen questionnaires of its organisation.
    The stages stay drafts: the user reads, changes and confirms them with "Done"."""
    if not chosen:
        return []
    offered = {o.questionnaire.id: o for o in offers(db, [app.organisation], runtime, today,
                                                     max_age_days)}
    picked = [offered.get(qid) for qid in dict.fromkeys(chosen)]
    require(all(picked), "no_questionnaire")
    require(len({o.form.id for o in picked}) == len(picked), "one_questionnaire_per_form")
    stage_of = {fid: stage for fid, (stage, _form) in _forms(runtime).items()}
    said = []
    for offer in picked:
        q, values = offer.questionnaire, compatible(offer.questionnaire, offer.form)
        state = state_of(app, stage_of[offer.form.id])
        state.data = dict(state.data or {}, **values)
        state.status = "draft"
        detail = dict(questionnaire=q.id, form=offer.form.id, source=q.application.number,
                      source_id=q.application_id, dated_on=q.dated_on.isoformat(),
                      signer=q.signer.full_name if q.signer else None,
                      fields=sorted(values), stale=offer.stale)
        audit.record(db, PREFILL, user, application=app, **detail)
        said.append(detail)
    return said


def provenance(db: Session, app: Application) -> dict[str, dict]:
    """Per form id: which questionnaire pre-filled it, from which application, of what date,
    signed by whom, which fields, and whether the answers were old enough to re-confirm."""
    rows = db.scalars(select(AuditEvent.detail).where(AuditEvent.application_id == app.id,
                                                      AuditEvent.action == PREFILL)
                      .order_by(AuditEvent.id))
    return {d["form"]: d for d in rows}
