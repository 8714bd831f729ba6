"""Working days in Kazakhstan and the due dates of an application's deadlines."""
from datetime import date

from portal.domain.workflow.calendar import WorkingCalendar


def test_ten_working_days_skip_weekends_and_independence_day():
    # RECIPES.md §8: 10 working days after 2026-12-10 end on 2026-12-25 (16 December is a holiday)
    assert WorkingCalendar().add(date(2026, 12, 10), 10, "working_days") == date(2026, 12, 25)


def test_nauryz_and_its_observed_days_are_not_working():
    calendar = WorkingCalendar()
    assert not any(calendar.is_working(date(2026, 3, d)) for d in (23, 24, 25))
    assert calendar.is_working(date(2026, 3, 26))


def test_the_exchange_moves_days():
    calendar = WorkingCalendar(days_off={date(2026, 12, 18)}, working_days={date(2026, 12, 19)})
    assert not calendar.is_working(date(2026, 12, 18))  # a Friday made a day off
    assert calendar.is_working(date(2026, 12, 19))  # a Saturday made a working day
    assert calendar.add(date(2026, 12, 17), 1, "working_days") == date(2026, 12, 19)


def test_calendar_days_and_months():
    calendar = WorkingCalendar()
    assert calendar.add(date(2026, 1, 31), 45, "calendar_days") == date(2026, 3, 17)
    assert calendar.add(date(2026, 1, 31), 1, "months") == date(2026, 2, 28)


def test_due_dates_on_the_application_follow_the_exchanges_calendar(db, client, auth):
    from conftest import exchange_org, make_staff
    from engine_support import (
        ISSUER_STAGE,
        PLACEMENT_STAGE,
        create_application,
        make_issuer,
        post_stage,
    )

    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.start": "2020-01-01", "f.end": "2020-01-10"}))
    page = client.get(url).data.decode()
    # who must do what, and the date as people here write it
    assert ("The applicant: 10 working days after the end. Due date: <strong>24.01.2020</strong>"
            " — overdue") in page

    auth.logout()
    staff = make_staff(db, exchange_org(db), roles=("office",))
    auth.login(staff.email)
    r = client.post("/admin/calendar", data={"day": "15.01.2020", "kind": "day_off", "note": "moved"})
    assert r.status_code == 302
    assert "15.01.2020" in client.get("/admin/calendar").data.decode()
    auth.logout()
    auth.login(issuer.author.email)
    assert "<strong>27.01.2020</strong>" in client.get(url).data.decode()
    assert client.get("/admin/calendar").status_code == 403  # clients do not edit it
