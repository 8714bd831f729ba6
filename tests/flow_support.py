"""A tiny procedure under the shipped flows, and the people around one application, for tests
that drive the flow engine directly (no HTTP)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import signing_support
from conftest import exchange_org, make_org, make_staff, make_user
from werkzeug.datastructures import MultiDict

from portal.domain.applications import filling
from portal.domain.procedures.catalogue import load_catalogue
from portal.domain.workflow.calendar import WorkingCalendar
from portal.domain.workflow.registry import Firing
from portal.domain.workflow.versions import flow_of, flow_version, procedure_version, runtime_for
from portal.models import StageState

PROCEDURE = """
code: flow-test
category: listing
name: {kk: Сынақ, ru: Тест, en: Flow test}
legal_basis: {kk: Сынақ, ru: Тест, en: Test}
sample: true
filed_by: [initiator]
processes:
  - id: fill
    actor: applicant
    name: {kk: Толтыру, ru: Заполнение, en: Filling}
    subprocesses:
      - id: main
        name: {kk: Негізгі, ru: Основное, en: Main}
        stages:
          - id: only
            name: {kk: Жалғыз, ru: Единственный, en: Only}
            forms:
              - id: only
                title: {kk: Нысан, ru: Форма, en: Form}
                items:
                  - {id: note, type: text, label: {kk: Ескерту, ru: Примечание, en: Note}}
  - {id: approval, actor: first_head, name: {kk: Келісу, ru: Согласование, en: Approval}}
  - {id: registration, actor: office, name: {kk: Тіркеу, ru: Регистрация, en: Registration}}
  - id: review
    actor: exchange
    name: {kk: Қарау, ru: Рассмотрение, en: Review}
    deadline: {days: 10, unit: working_days, start: registered, label: {kk: 10 жұмыс күні, ru: 10 рабочих дней, en: 10 working days}}
  - {id: decision, actor: exchange, name: {kk: Шешім, ru: Решение, en: Decision}}
deadlines:
  - {days: 30, unit: working_days, start: refusal_received, label: {kk: 30 жұмыс күні, ru: 30 рабочих дней, en: 30 working days}}
refusal_grounds:
  - {id: incomplete, text: {kk: Толық емес, ru: Неполный комплект, en: Incomplete}}
"""

# the form values every transition form of the standard flow accepts
FORM = MultiDict([("reason", "Because."), ("registered_on", "28.12.2026"),
                  ("documents", "The charter."), ("reply", "Attached."),
                  ("meeting_on", "2027-01-20"), ("grounds", "incomplete"),
                  ("key_store", signing_support.key_store()),
                  ("password", signing_support.PASSWORD)])


def flow_catalogue(tmp_path: Path):
    folder = tmp_path / "catalogue" / "listing"
    folder.mkdir(parents=True)
    (folder / "flow-test.yaml").write_text(PROCEDURE, encoding="utf-8")
    return load_catalogue(tmp_path / "catalogue")["flow-test"]


@dataclass
class People:
    """Everyone who may stand in some relation to one application."""

    author: object
    first_head: object
    colleague: object      # another user of the applicant organisation
    office: object
    authorised: object
    staff_executor: object  # an exchange employee assigned to the application, no other role
    other_staff: object     # an exchange employee with no part in it


def make_people(db) -> People:
    org = make_org(db)
    exchange = exchange_org(db)
    return People(author=make_user(db, org), first_head=make_user(db, org, is_first_head=True),
                  colleague=make_user(db, org), office=make_staff(db, exchange, roles=("office",)),
                  authorised=make_staff(db, exchange, roles=("authorised",)),
                  staff_executor=make_staff(db, exchange, roles=("account_admin",)),
                  other_staff=make_staff(db, exchange, roles=("account_admin",)))


def new_application(db, entry, people: People, state: str | None = None):
    """An application with its only stage filled and signed, put straight into `state`."""
    app = filling.create(db, procedure_version(db, entry), flow_version(db, entry),
                         people.author.organisation, people.author)
    app.stages.append(StageState(stage_id="only", status="filled", data={}))
    app.staff_executor_id = people.staff_executor.id
    if state is not None:
        app.status, app.phase = state, flow_of(app).states[state].phase.value
    app.signed_content_version = app.content_version
    db.flush()
    return app


def firing(db, app, user, now: datetime, calendar: WorkingCalendar | None = None,
           today: date | None = None) -> Firing:
    return Firing(db=db, application=app, runtime=runtime_for(app.procedure_version),
                  flow=flow_of(app), user=user, now=now, today=today or now.date(),
                  calendar=calendar or WorkingCalendar(), signed_in_at=now,
                  signing=signing_support.context())
