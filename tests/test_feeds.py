"""The organisation's deadline feed: its administrator sees and renews a secret iCalendar URL;
the feed lists the running clocks of its open applications as all-day events; renewal stops
the old URL."""
from datetime import date

from conftest import make_user
from engine_support import application, create_application, make_issuer
from icalendar import Calendar

from portal.models import CalendarFeed, Clock


def feed_url(client) -> str:
    page = client.get("/deadline-feed").data.decode()
    start = page.index('value="', page.index('id="feed-url"')) + len('value="')
    return page[start:page.index('"', start)]


def path_of(url: str) -> str:
    return url[url.index("/feeds/"):]


def add_clock(db, app_id, deadline, **state):
    db.add(Clock(application_id=app_id, deadline=deadline, side="exchange",
                 started_on=date(2026, 1, 5), counted_from=date(2026, 1, 5), amount=8,
                 unit="working_days", **state))
    db.commit()


def test_the_feed_lists_running_clocks_as_all_day_events(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    number = application(db, app_id).number
    add_clock(db, app_id, "procedure:0", due_on=date(2026, 3, 13))
    running = db.query(Clock).filter_by(application_id=app_id).one()
    add_clock(db, app_id, "process:review", paused_on=date(2026, 1, 6))  # paused: left out
    second_id, _url = create_application(client, auth, issuer)
    add_clock(db, second_id, "procedure:0", due_on=date(2026, 1, 9), stopped_on=date(2026, 1, 8))
    auth.logout()
    other_id, _url = create_application(client, auth, make_issuer(db))
    add_clock(db, other_id, "process:review", due_on=date(2026, 2, 2))   # another organisation
    auth.logout()
    auth.login(issuer.admin.email)
    assert client.get("/users").data.decode().count("/deadline-feed") == 1
    assert client.post("/deadline-feed/renew").status_code == 302
    feed = client.get(path_of(feed_url(client)))
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == running.due_on and event.get("dtstart").params["VALUE"] == "DATE"
    assert (event.decoded("dtend") - event.decoded("dtstart")).days == 1
    assert str(event.get("summary")) == f"Application {number}: 10 working days after the end"
    assert str(event.get("url")).endswith(f"/disclosure/applications/{app_id}")
    assert event.get("uid") == f"clock-{running.id}@is2in"


def test_renewal_stops_the_old_url_and_only_the_hash_is_stored(db, client, auth):
    issuer = make_issuer(db)
    auth.login(issuer.admin.email)
    assert "has no address yet" in client.get("/deadline-feed").data.decode()
    client.post("/deadline-feed/renew")
    old = feed_url(client)
    assert feed_url(client) == old  # the administrator sees the same address again
    token = old.rsplit("/", 1)[1].removesuffix(".ics")
    row = db.query(CalendarFeed).filter_by(organisation_id=issuer.org.id).one()
    assert token not in (row.token_hash, row.nonce)
    auth.logout()
    assert client.get(path_of(old)).status_code == 200  # no sign-in needed: the URL is the key
    auth.login(issuer.admin.email)
    client.post("/deadline-feed/renew")
    new = feed_url(client)
    assert new != old
    auth.logout()
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200
    assert client.get("/feeds/made-up.ics").status_code == 404


def test_only_the_organisation_administrator_manages_the_feed(db, client, auth):
    issuer = make_issuer(db)
    auth.login(make_user(db, issuer.org).email)
    assert client.get("/deadline-feed").status_code == 403
    assert client.post("/deadline-feed/renew").status_code == 403
    assert db.query(CalendarFeed).count() == 0
