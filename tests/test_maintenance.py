"""Maintenance mode (G-27): a switch in the database that every server reads; the banner in the
user's language; clients' writes refused with a polite 503 (htmx-aware) that changes nothing;
staff still work and switch it off; the environment flag forces it on."""
from desk_support import sent_applications, signed_in
from engine_support import application

from portal.models import AuditEvent, Setting


def _turn(client, on, **messages):
    data = {"on": "1" if on else "0"}
    data.update({f"message_{k}": v for k, v in messages.items()})
    return client.post("/maintenance/", data=data)


def test_maintenance_refuses_clients_writes_and_keeps_what_was_saved(app, db, tmp_path, make_app):
    people, (app_id,) = sent_applications(db, tmp_path, state="in_review")
    people.author.language = "ru"
    db.commit()
    staff, author = signed_in(app, people.authorised), signed_in(app, people.author)
    url = f"/listing/applications/{app_id}"
    assert _turn(staff, True, ru="Работы до 18:00.", en="Works until 18:00.").status_code == 302
    assert db.get(Setting, "maintenance").value["on"] is True
    assert db.query(AuditEvent).filter_by(action="maintenance_on").count() == 1

    other_server = make_app().test_client()  # another application server, same database
    assert "Works until 18:00." in other_server.get("/login").data.decode()
    assert "Работы до 18:00." in author.get(url).data.decode()  # in the user's language

    r = author.post(f"{url}/transitions/withdraw", data={"reason": "x", "confirmed": "1"})
    assert r.status_code == 503
    hx = author.post(f"{url}/transitions/withdraw", data={"reason": "x", "confirmed": "1"},
                     headers={"HX-Request": "true"})
    assert hx.status_code == 503 and b"<html" not in hx.data
    assert hx.headers["HX-Retarget"] == "#notice-slot"
    assert application(db, app_id).status == "in_review"  # nothing changed

    # staff keep working while it is on, and switch it off
    r = staff.post(f"{url}/transitions/schedule_meeting", data={"meeting_on": "2031-03-05",
                                                                "confirmed": "1"})
    assert r.status_code == 302 and application(db, app_id).status == "meeting"
    assert _turn(staff, False).status_code == 302
    assert "Works until 18:00." not in author.get(url).data.decode()
    r = author.post("/profile", data={"email": people.author.email, "phone": "+7 700 111 22 33"})
    assert r.status_code != 503


def test_the_environment_flag_forces_it_on(app, db, tmp_path):
    people, _ids = sent_applications(db, tmp_path)
    app.config["MAINTENANCE"] = True
    try:
        author = signed_in(app, people.author)  # signing in stays open
        page = author.get("/").data.decode()
        assert "Maintenance: the portal may be unavailable for a while." in page
        assert author.post("/profile", data={}).status_code == 503
        staff = signed_in(app, people.authorised)
        _turn(staff, False)
        assert "PORTAL_MAINTENANCE" in staff.get("/maintenance/").data.decode()
        assert author.post("/profile", data={}).status_code == 503
    finally:
        app.config["MAINTENANCE"] = False
