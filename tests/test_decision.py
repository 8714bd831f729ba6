"""The meeting closes withdrawal (G-26) with its own reason; a refusal cites each ground's
clause; the re-submission shows the exchange, field by field, what changed since the version
it refused."""
from html import unescape

from desk_support import sent_applications, signed_in
from engine_support import application

from portal.models import Application, Snapshot, StageState


def _reason(client, url):
    return client.post(f"{url}/transitions/withdraw", data={"reason": "Not now.", "confirmed": "1"})


def test_withdrawal_is_open_until_the_meeting_is_scheduled(app, db, tmp_path):
    people, (before, after) = sent_applications(db, tmp_path, count=2, state="in_review")
    author, authorised = signed_in(app, people.author), signed_in(app, people.authorised)
    r = authorised.post(f"/listing/applications/{after}/transitions/schedule_meeting",
                        data={"meeting_on": "2031-03-05", "confirmed": "1"})
    assert r.status_code == 302 and application(db, after).status == "meeting"

    assert _reason(author, f"/listing/applications/{before}").status_code == 302
    assert application(db, before).status == "withdrawn"

    url = f"/listing/applications/{after}"
    said = ("The application can no longer be withdrawn: the meeting of the exchange's deciding "
            "body that considers it is scheduled for 05.03.2031.")
    page = author.get(f"{url}/transitions/withdraw")  # said before the reason is typed in
    assert page.status_code == 422 and said in unescape(page.data.decode())
    r = _reason(author, url)
    assert r.status_code == 422 and said in unescape(r.data.decode())
    assert "not possible at the application's current status" not in unescape(r.data.decode())
    assert application(db, after).status == "meeting"


def _version(db, app_id, note):
    """What the applicant's "Send for approval" leaves: the stage's value and its snapshot."""
    app = db.get(Application, app_id)
    stage = db.query(StageState).filter_by(application_id=app_id).one()
    stage.data = {"note": note}
    db.add(Snapshot(application_id=app_id, content_version=app.content_version,
                    values={"note": note}))
    db.commit()


def test_refusal_then_resubmission_shows_the_exchange_what_changed(app, db, tmp_path):
    people, (app_id,) = sent_applications(db, tmp_path)
    url = f"/listing/applications/{app_id}"
    _version(db, app_id, "The first text")
    office, authorised = signed_in(app, people.office), signed_in(app, people.authorised)
    author = signed_in(app, people.author)
    assert office.post(f"{url}/transitions/register", data={"confirmed": "1"}).status_code == 302
    form = authorised.get(f"{url}/transitions/refuse").data.decode()
    assert 'name="grounds" value="incomplete"' in form and "(003-R-3.1)" in form
    r = authorised.post(f"{url}/transitions/refuse", data={"grounds": "incomplete",
                                                           "reason": "The charter is missing.",
                                                           "confirmed": "1"})
    assert r.status_code == 302 and application(db, app_id).status == "refused"
    page = author.get(f"{url}?stage=summary").data.decode()
    assert "Incomplete (003-R-3.1)" in page and "The charter is missing." in page

    assert author.post(f"{url}/transitions/resubmit").status_code == 302
    assert application(db, app_id).content_version == 2
    _version(db, app_id, "A draft the first head returned")
    sent = db.get(Application, app_id)
    sent.content_version = 3  # the first head's "Return for revision"
    db.commit()
    _version(db, app_id, "The corrected text")
    sent.status, sent.phase = "submitted", "exchange"  # approved, signed and sent again
    db.commit()
    assert office.post(f"{url}/transitions/register", data={"confirmed": "1"}).status_code == 302
    review = authorised.get(f"{url}?stage=summary").data.decode()
    assert "Changes since the version the exchange last registered" in review
    assert "The first text" in review and "The corrected text" in review
    assert "A draft the first head returned" not in review  # the exchange never saw it
