"""Office registration (G-23): incoming numbers from the year's sequence, consecutive under
concurrency, shown on the application; the applicant told what to do and by when."""
from desk_support import concurrently, sent_applications, signed_in
from engine_support import application

from portal.domain.workflow.numbering import next_number
from portal.models import AuditEvent, Notification, RegistrationCounter


def test_twenty_concurrent_registrations_get_twenty_consecutive_numbers(app, db, tmp_path):
    people, ids = sent_applications(db, tmp_path, count=20)
    office = signed_in(app, people.office)
    statuses = concurrently(app, office, [
        ("POST", f"/listing/applications/{i}/transitions/register",
         "registered_on=15.06.2031&confirmed=1") for i in ids])
    assert statuses == [302] * 20
    numbers = sorted(application(db, i).incoming_number for i in ids)
    assert numbers == [f"2031/{n:05d}" for n in range(1, 21)]
    assert db.get(RegistrationCounter, 2031).last == 20
    assert {application(db, i).status for i in ids} == {"in_review"}


def test_a_rolled_back_registration_gives_its_number_back(app, db):
    from portal.infra.database import db as portal_db
    with app.app_context():
        session = portal_db.session
        assert next_number(session, 2032) == 1
        session.rollback()
        assert next_number(session, 2032) == 1
        session.commit()
        assert next_number(session, 2032) == 2
        session.commit()


def test_registration_shows_the_number_and_tells_the_applicant_by_when(app, db, tmp_path):
    people, (app_id,) = sent_applications(db, tmp_path)
    people.author.language = "ru"
    db.commit()
    office = signed_in(app, people.office)
    url = f"/listing/applications/{app_id}"
    r = office.post(f"{url}/transitions/register", data={"registered_on": "03.02.2031",
                                                          "confirmed": "1"})
    assert r.status_code == 302
    registered = application(db, app_id)
    assert registered.incoming_number == "2031/00001"
    page = office.get(f"{url}?stage=summary").data.decode()
    assert "2031/00001" in page and "03.02.2031" in page
    event = db.query(AuditEvent).filter_by(application_id=app_id, action="register").one()
    assert event.detail["incoming_number"] == "2031/00001" and event.detail["version"] == 1
    notice = db.query(Notification).filter_by(user_id=people.author.id).one().message
    due = registered.next_due_on.strftime("%d.%m.%Y")  # the review's 10 working days
    assert "под входящим номером 2031/00001" in notice and "от вас пока ничего не требуется" in notice
    assert notice.endswith(f"Срок: {due}.")
