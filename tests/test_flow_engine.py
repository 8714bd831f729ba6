"""The flow engine: every transition tried from every state by every kind of actor, clocks that
stop and resume across holidays, the exchange's time zone, one transaction per step."""
from datetime import date, datetime

import pytest
from flow_support import FORM, firing, flow_catalogue, make_people, new_application
from sqlalchemy import select

from portal.domain.refusal import Refused
from portal.domain.workflow import audit
from portal.domain.workflow.calendar import exchange_today
from portal.domain.workflow.clocks import due_dates
from portal.domain.workflow.engine import available, fire
from portal.domain.workflow.flows import Actor
from portal.models import AuditEvent, Clock

NOW = datetime(2026, 12, 28, 6, 0)  # a Monday morning in Almaty (11:00)
# what each kind of person is to the application, by the flow's words
ROLE = {"author": {Actor.author}, "first_head": {Actor.first_head}, "colleague": set(),
        "office": {Actor.office}, "authorised": {Actor.authorised},
        "staff_executor": {Actor.staff_executor}, "other_staff": set()}
# steps a guard refuses in a state of their source, whoever fires them, with its reason
GUARDED = {("withdraw", "meeting"): "meeting_scheduled"}


@pytest.fixture
def entry(app, tmp_path):
    return flow_catalogue(tmp_path)


@pytest.fixture
def people(db):
    return make_people(db)


def test_available_lists_exactly_what_the_flow_allows(db, entry, people):
    flow = entry.flow.flow
    for state in flow.states:
        app = new_application(db, entry, people, state)
        for kind, roles in ROLE.items():
            expected = [t.id for t in flow.transitions if state in t.source and roles & set(t.by)]
            assert [t.id for t in available(flow, getattr(people, kind), app)] == expected, \
                (state, kind)


def test_every_transition_from_every_state_by_every_actor(db, entry, people):
    """Only a transition from one of its states, fired by one of its actors, goes through;
    everything else is refused and changes nothing."""
    flow = entry.flow.flow
    fired = refused = 0
    for transition in flow.transitions:
        for state in flow.states:
            for kind, roles in ROLE.items():
                if state not in transition.source and kind != "author":
                    continue  # the state alone refuses it: one actor is enough to show that
                app = new_application(db, entry, people, state)
                events = db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
                allowed = state in transition.source and bool(roles & set(transition.by))
                guarded = GUARDED.get((transition.id, state)) if allowed else None
                allowed = allowed and guarded is None
                try:
                    fire(firing(db, app, getattr(people, kind), NOW), transition.id, FORM,
                         lambda *_: None)
                except Refused as exc:
                    assert not allowed, (transition.id, state, kind, exc.reason)
                    assert exc.reason == guarded or exc.reason == (
                        "state" if state not in transition.source else "not_allowed")
                    assert app.status == state
                    assert db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc())
                                     .limit(1)) == events
                    refused += 1
                else:
                    assert allowed, (transition.id, state, kind)
                    assert app.status == transition.to
                    assert audit.last_event(db, app, transition.to).action == transition.id
                    fired += 1
    assert fired >= len(flow.transitions) and refused > fired
    assert audit.verify(db).ok


def test_a_transition_sends_its_notices_to_its_recipients(db, entry, people):
    app = new_application(db, entry, people, "submitted")
    sent = []
    fire(firing(db, app, people.office, NOW), "register", FORM,
         lambda user, application, notice: sent.append((user.id, notice.message.en)))
    assert sent == [(people.author.id, "Application %(number)s has been registered by the "
                     "exchange office on %(registered_on)s under incoming number "
                     "%(incoming_number)s and goes to review; nothing is needed from you now. "
                     "%(due)s")]


def test_a_form_with_errors_is_refused_with_its_fields(db, entry, people):
    from werkzeug.datastructures import MultiDict

    from portal.domain.refusal import FormRefused
    app = new_application(db, entry, people, "in_review")
    with pytest.raises(FormRefused) as caught:
        fire(firing(db, app, people.authorised, NOW), "schedule_meeting",
             MultiDict({"meeting_on": "31.02.2027"}), lambda *_: None)
    assert caught.value.errors == [("meeting_on", ("date", {}))]
    assert app.status == "in_review"


# Hand-made: 10 working days of review from Monday 28.12.2026, stopped on 06.01.2027 by a
# request for documents and resumed on Friday 19.03.2027 by the answer.
#   registered 28.12: 29, 30, 31 Dec (1-3); 1 Jan holiday, 2-3 weekend, 4 Jan New Year observed;
#   5, 6 (4-5), 7 Jan Christmas, 8 (6), 11, 12, 13, 14 Jan (7-10)  -> due 14.01.2027
#   stopped 06.01: left are 8, 11, 12, 13, 14 Jan                   -> 5 working days
#   resumed 19.03: 20-21 weekend, 22-23 Nauryz, 24 Nauryz observed;
#   25, 26, 29, 30, 31 Mar                                           -> due 31.03.2027
CLOCK_TABLE = [
    ("register", "office", date(2026, 12, 28), date(2027, 1, 14), None),
    ("request_documents", "authorised", date(2027, 1, 6), None, 5),
    ("answer", "author", date(2027, 3, 19), date(2027, 3, 31), None),
]


def test_the_review_clock_stops_for_the_applicant_and_resumes_on_the_answer(db, entry, people):
    app = new_application(db, entry, people, "submitted")
    for transition, who, on, due, left in CLOCK_TABLE:
        now = datetime(on.year, on.month, on.day, 6, 0)
        fire(firing(db, app, getattr(people, who), now), transition, FORM, lambda *_: None)
        clock = db.scalar(select(Clock).where(Clock.application_id == app.id,
                                              Clock.deadline == "process:review"))
        assert (clock.due_on, clock.amount if left else None) == (due, left), transition
        assert app.next_due_on == due


def test_days_left_are_shown_while_paused(db, entry, people):
    from portal.domain.workflow.calendar import WorkingCalendar
    from portal.domain.workflow.versions import runtime_for
    app = new_application(db, entry, people, "submitted")
    for transition, who, on, _due, _left in CLOCK_TABLE[:2]:
        fire(firing(db, app, getattr(people, who), datetime(on.year, on.month, on.day, 6)),
             transition, FORM, lambda *_: None)
    review = [d for d in due_dates(db, app, runtime_for(app.procedure_version), date(2027, 2, 1),
                                   WorkingCalendar()) if d.side == "exchange"][0]
    assert (review.paused, review.days_left, review.overdue) == (True, 5, False)


def test_the_decision_ends_the_exchange_clock_and_starts_the_resubmission_term(db, entry, people):
    app = new_application(db, entry, people, "submitted")
    fire(firing(db, app, people.office, NOW), "register", FORM, lambda *_: None)
    fire(firing(db, app, people.authorised, datetime(2027, 1, 11, 6)), "refuse", FORM,
         lambda *_: None)
    clocks = {c.deadline: c for c in db.scalars(select(Clock).where(Clock.application_id == app.id))}
    assert clocks["process:review"].stopped_on == date(2027, 1, 11)
    # 30 working days from Monday 11.01.2027: no holiday until 8 March -> Monday 22.02.2027
    assert clocks["procedure:0"].due_on == date(2027, 2, 22)
    assert app.next_due_on == date(2027, 2, 22)
    late = datetime(2027, 2, 23, 6)
    with pytest.raises(Refused) as caught:
        fire(firing(db, app, people.author, late), "resubmit", FORM, lambda *_: None)
    assert caught.value.reason == "resubmission_closed"
    fire(firing(db, app, people.author, datetime(2027, 2, 22, 6)), "resubmit", FORM,
         lambda *_: None)
    assert app.status == "draft" and app.content_version == 2


def test_a_due_date_at_two_in_the_morning_in_almaty_counts_from_the_local_day(db, entry, people):
    """21:00 UTC on 10.12.2026 is 02:00 on 11.12 in Almaty: the clock starts on the 11th."""
    now = datetime(2026, 12, 10, 21, 0)
    today = exchange_today(now, "Asia/Almaty")
    assert today == date(2026, 12, 11)
    app = new_application(db, entry, people, "submitted")
    fire(firing(db, app, people.office, now, today=today), "register", FORM, lambda *_: None)
    # from Friday 11.12: 14-15 (1-2), 16 Dec Independence Day, 17, 18, 21-25 (3-9), 28 (10)
    assert app.next_due_on == date(2026, 12, 28)


def test_a_stale_sign_in_is_refused_for_a_decision(db, entry, people):
    app = new_application(db, entry, people, "in_review")
    f = firing(db, app, people.authorised, NOW)
    f.signed_in_at = datetime(2026, 12, 28, 5, 0)  # an hour before
    with pytest.raises(Refused) as caught:
        fire(f, "accept", FORM, lambda *_: None)
    assert caught.value.reason == "stale_sign_in"
