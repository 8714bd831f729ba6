"""The exchange staff's queue: where the office and authorised persons land, filtered, sorted
and paged in SQL with a fixed number of queries over thousands of applications; overdue rows
stand out with the days left; the authorised person assigns the executor (audited, notified)."""
from datetime import timedelta

from conftest import PASSWORD
from desk_support import sent_applications, signed_in
from sqlalchemy import insert, select
from test_engine_scale import counted

from portal.domain.workflow.calendar import exchange_today
from portal.infra.database import db as portal_db
from portal.models import Application, AuditEvent, Clock, Notification, utcnow


def _today():
    return exchange_today(utcnow(), "Asia/Almaty")  # the exchange's date, as the queue counts


def _many(db, tmp_path, n):
    """n applications in review, copied in bulk from one made the ordinary way."""
    people, (first,) = sent_applications(db, tmp_path, state="in_review")
    row = db.execute(select(Application.__table__).where(Application.id == first)).mappings().one()
    base = {k: v for k, v in row.items() if k not in ("id", "number", "incoming_number")}
    today = _today()
    db.execute(insert(Application.__table__), [
        dict(base, number=f"Q-{i:06d}", incoming_number=f"2031/{i:05d}",
             next_due_on=today + timedelta(days=i % 40 - 10)) for i in range(n)])
    db.commit()
    return people


def test_staff_land_on_the_queue_and_see_their_menu(app, db, tmp_path):
    people, _ids = sent_applications(db, tmp_path)
    client = app.test_client()
    app.config["STAFF_TOTP"] = False  # the landing after the password (TOTP is tested apart)
    r = client.post("/login", data={"email": people.office.email, "password": PASSWORD,
                                    "agreement": "y"})
    assert r.headers["Location"].endswith("/queue/")
    page = client.get("/queue/").data.decode()
    assert ">Queue<" in page and ">Dashboard<" in page and ">Under review<" not in page
    author = app.test_client()
    r = author.post("/login", data={"email": people.author.email, "password": PASSWORD,
                                    "agreement": "y"})
    assert not r.headers["Location"].endswith("/queue/")


def test_thousands_of_applications_are_filtered_sorted_and_paged_in_sql(app, db, tmp_path):
    people = _many(db, tmp_path, 3000)
    client = signed_in(app, people.authorised)
    with counted(portal_db.of(app).engine) as few:
        small = client.get("/queue/?sort=number&dir=asc")
    with counted(portal_db.of(app).engine) as statements:
        r = client.get("/queue/?sort=number&dir=desc&page=7")
    assert r.status_code == 200 and len(statements) == len(few)
    page = r.data.decode()
    # 3001 rows by number descending: page 7 starts after 150 of them
    assert "Q-002849" in page and "Q-002850" not in page and "Q-002825" in page
    assert "Q-002824" not in page and "3001 applications" in page
    paging = [s for s in statements if "LIMIT" in s.upper()]
    assert paging and "ORDER BY" in paging[-1].upper()
    assert small.status_code == 200 and "Q-000000" in small.data.decode()

    overdue = client.get("/queue/?due=overdue&sort=due").data.decode()
    assert overdue.count('class="overdue-row"') == 25 and "— overdue" in overdue
    soon = client.get("/queue/?due=soon").data.decode()
    assert "Q-000010" in soon and 'class="overdue-row"' not in soon
    fragment = client.get("/queue/?sort=due", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.data and b"queue-list" in fragment.data
    none = client.get(f"/queue/?executor={people.office.id}").data.decode()
    assert "0 applications" in none and "3001 applications" in client.get(
        f"/queue/?executor={people.staff_executor.id}").data.decode()
    by_process = client.get("/queue/?process=registration").data.decode()
    assert "0 applications" in by_process  # all are in review


def test_days_left_come_from_the_clock_that_falls_due_first(app, db, tmp_path):
    people, (app_id,) = sent_applications(db, tmp_path, state="in_review")
    due = _today() + timedelta(days=30)
    db.add(Clock(application_id=app_id, deadline="process:review", side="exchange",
                 started_on=_today(), counted_from=_today(), amount=30,
                 unit="calendar_days", due_on=due))
    db.get(Application, app_id).next_due_on = due
    db.commit()
    page = signed_in(app, people.office).get("/queue/").data.decode()
    assert f"{due.strftime('%d.%m.%Y')} — 30 days left" in page


def test_the_authorised_person_assigns_the_executor(app, db, tmp_path):
    people, (app_id,) = sent_applications(db, tmp_path, state="in_review")
    office, authorised = signed_in(app, people.office), signed_in(app, people.authorised)
    r = office.post(f"/queue/{app_id}/executor", data={"executor_id": people.other_staff.id})
    assert r.status_code == 403
    r = authorised.post(f"/queue/{app_id}/executor", data={"executor_id": people.author.id})
    assert "Choose an employee of the exchange." in authorised.get("/queue/").data.decode()
    r = authorised.post(f"/queue/{app_id}/executor", data={"executor_id": people.other_staff.id})
    assert r.status_code == 302
    db.expire_all()
    assert db.get(Application, app_id).staff_executor_id == people.other_staff.id
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "staff_executor_assigned"))
    assert event.detail == {"executor": people.other_staff.id,
                            "previous": people.staff_executor.id} and event.role == "authorised"
    notice = db.query(Notification).filter_by(user_id=people.other_staff.id).one()
    assert "You have been made the executor of application" in notice.message
