"""Twenty identical "Send for approval" requests at once make exactly one transition."""
import http.client
import threading

from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    application,
    create_application,
    make_issuer,
    post_stage,
)
from werkzeug.serving import make_server

from portal.models import AuditEvent, Notification


def test_concurrent_identical_submits_make_one_transition(app, db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", PLACEMENT_STAGE)
    post_stage(client, url, "adviser", {}, action="skip")
    cookie = client.get_cookie("is2in_session").value
    from importlib.metadata import version
    agent = f"Werkzeug/{version('werkzeug')}"  # Flask-Login's strong protection binds the agent

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    statuses, start = [], threading.Barrier(20)

    def submit():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        start.wait()
        conn.request("POST", f"{url}/transitions/send_for_approval", body="",
                     headers={"Cookie": f"is2in_session={cookie}", "User-Agent": agent,
                              "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        statuses.append((response.status, response.getheader("Location", "")))
        conn.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.shutdown()

    assert not any("/login" in location for _status, location in statuses), statuses
    assert sorted(status for status, _ in statuses) == [302] + [422] * 19, statuses
    assert application(db, app_id).status == "awaiting_approval"
    assert db.query(AuditEvent).filter_by(application_id=app_id, action="send_for_approval").count() == 1
    assert db.query(Notification).filter_by(user_id=issuer.head.id).count() == 1
