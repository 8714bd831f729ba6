"""Flows as data: the states an application passes through and the transitions between them.

A flow file (portal/procedures/_flows/<code>.yaml, format docs/flow-format.md) declares states,
transitions (from, to, who may fire, form, guards, event, notices, effects) and how clocks run.
A flow may extend another and override states and transitions by id or remove them. These
models are the contract; `check_flow` adds what a model alone cannot see (unknown or
unreachable states, unknown guards and effects).
"""
from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field, model_validator

from portal.domain.procedures.definitions import ID_PATTERN, Strict, Text


class Phase(str, enum.Enum):
    """Who has the application in a state: lists, visibility and indexes go by phase."""

    applicant = "applicant"
    first_head = "first_head"
    exchange = "exchange"
    closed = "closed"
    deleted = "deleted"  # in no list and on no page


class Actor(str, enum.Enum):
    """Who may fire a transition, relative to the application."""

    author = "author"                  # who created the application
    first_head = "first_head"          # a first head of the applicant organisation
    office = "office"                  # the exchange office
    authorised = "authorised"          # an exchange authorised person
    staff_executor = "staff_executor"  # the exchange employee assigned to the application


class State(Strict):
    phase: Phase
    label: Text
    holder: Actor | None = None  # who holds it (the "current executor"); none once closed
    # the procedure process the application is in: the first of these the procedure has
    process: list[str] = Field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.phase in (Phase.closed, Phase.deleted)

    @model_validator(mode="after")
    def _open_states_are_held(self):
        if not self.ended and (self.holder is None or not self.process):
            raise ValueError("a state that is not closed needs a holder and a process")
        return self


class FormField(Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["text", "textarea", "date", "grounds", "file", "password"]
    label: Text
    required: bool = False
    default: Literal["today"] | None = None


class TransitionForm(Strict):
    fields: list[FormField] = Field(min_length=1)


class Notice(Strict):
    to: Actor
    message: Text  # %(number)s, %(due)s, %(incoming_number)s and the step's form values


class Transition(Strict):
    id: str = Field(pattern=ID_PATTERN)
    source: list[str] = Field(alias="from", min_length=1)
    to: str
    by: list[Actor] = Field(min_length=1)
    label: Text
    done: Text  # said to the actor once it has happened
    form: str | None = None
    guards: list[str] = Field(default_factory=list)
    effects: list[str] = Field(default_factory=list)
    emits: str | None = None
    notify: list[Notice] = Field(default_factory=list)
    style: Literal["primary", "danger"] | None = None
    confirm: Text | None = None  # asked before firing: what will be lost


class ClockRule(Strict):
    pauses_in: list[str] = Field(default_factory=list)  # states in which the clock stands still
    stops_on: list[str] = Field(default_factory=list)   # events after which it no longer runs


class Clocks(Strict):
    applicant: ClockRule = ClockRule()  # the procedure's own deadlines
    exchange: ClockRule = ClockRule()   # deadlines of the exchange's processes


class Flow(Strict):
    code: str = Field(pattern=ID_PATTERN)
    initial: str
    states: dict[str, State] = Field(min_length=1)
    transitions: list[Transition] = Field(min_length=1)
    forms: dict[str, TransitionForm] = Field(default_factory=dict)
    clocks: Clocks = Clocks()

    def transition(self, transition_id: str) -> Transition | None:
        return next((t for t in self.transitions if t.id == transition_id), None)

    def events(self) -> set[str]:
        return {"created"} | {t.emits for t in self.transitions if t.emits}


def merge(base: dict, child: dict) -> dict:
    """A flow file that extends another: states and forms override by key, transitions by id,
    `remove` drops states and transitions (and transitions into or out of removed states)."""
    removed = set(child.get("remove") or [])
    states = {k: v for k, v in {**base.get("states", {}), **child.get("states", {})}.items()
              if k not in removed}
    own = {t.get("id"): t for t in child.get("transitions") or []}
    transitions = []
    for t in list(base.get("transitions") or []) + [t for t in own.values()
                                                      if t.get("id") not in _ids(base)]:
        t = own.get(t.get("id"), t)
        if t.get("id") in removed or t.get("to") in removed:
            continue
        sources = [s for s in t.get("from") or [] if s not in removed]
        if sources:
            transitions.append(dict(t, **{"from": sources}))
    merged = {**base, **{k: v for k, v in child.items() if k not in ("extends", "remove")}}
    merged.update(states=states, transitions=transitions,
                  forms={**base.get("forms", {}), **child.get("forms", {})})
    return merged


def _ids(document: dict) -> set[str]:
    return {t.get("id") for t in document.get("transitions") or []}


def check_flow(flow: Flow, guards: set[str], effects: set[str]) -> list[str]:
    """What the models cannot see: every reference resolves and every state can be reached."""
    problems = []
    known = set(flow.states)
    if flow.initial not in known:
        problems.append(f"initial: unknown state '{flow.initial}'")
    for n, t in enumerate(flow.transitions):
        where = f"transitions[{n}] ({t.id})"
        for state in t.source + [t.to]:
            if state not in known:
                problems.append(f"{where}: unknown state '{state}'")
        if t.form is not None and t.form not in flow.forms:
            problems.append(f"{where}.form: unknown form '{t.form}'")
        problems += [f"{where}.guards: unknown guard '{g}'" for g in t.guards if g not in guards]
        problems += [f"{where}.effects: unknown effect '{e}'" for e in t.effects
                     if e not in effects]
    ids = [t.id for t in flow.transitions]
    problems += [f"transition id '{i}' is used twice" for i in sorted(set(ids)) if ids.count(i) > 1]
    for side in ("applicant", "exchange"):
        rule: ClockRule = getattr(flow.clocks, side)
        problems += [f"clocks.{side}.pauses_in: unknown state '{s}'" for s in rule.pauses_in
                     if s not in known]
        problems += [f"clocks.{side}.stops_on: no transition emits '{e}'" for e in rule.stops_on
                     if e not in flow.events()]
    reached, frontier = {flow.initial}, [flow.initial]
    while frontier:
        state = frontier.pop()
        for t in flow.transitions:
            if state in t.source and t.to not in reached:
                reached.add(t.to)
                frontier.append(t.to)
    problems += [f"states.{s}: unreachable from '{flow.initial}'" for s in flow.states
                 if s not in reached]
    return problems
