"""Applications already sent to the exchange, for the staff side's tests (queue, registration,
decision, maintenance, dashboard), and a signed-in client per user."""
from __future__ import annotations

import http.client
import threading
from importlib.metadata import version

from conftest import login_as
from flow_support import PROCEDURE, make_people, new_application
from werkzeug.serving import make_server

from portal.domain.procedures.catalogue import load_catalogue
from portal.models import utcnow

# the flow test's procedure with a refusal ground citing its clause
CITED = PROCEDURE.replace("{id: incomplete, text:", "{id: incomplete, ref: 003-R-3.1, text:")


def desk_catalogue(tmp_path):
    folder = tmp_path / "desk" / "listing"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "flow-test.yaml").write_text(CITED, encoding="utf-8")
    return load_catalogue(tmp_path / "desk")["flow-test"]


def sent_applications(db, tmp_path, count: int = 1, state: str = "submitted", people=None):
    """(people, [application ids]) of `count` applications of the flow-test procedure in
    `state`, sent to the exchange."""
    people = people or make_people(db)
    entry = desk_catalogue(tmp_path)
    ids = []
    for _ in range(count):
        app = new_application(db, entry, people, state=state)
        app.submitted_at = utcnow()
        db.flush()
        ids.append(app.id)
    db.commit()
    return people, ids


def signed_in(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def concurrently(app, client, requests: list[tuple[str, str, str]]) -> list[int]:
    """Send (method, url, body) requests at once from threads over real HTTP, with the
    client's session cookie; returns their statuses."""
    cookie = client.get_cookie("is2in_session").value
    agent = f"Werkzeug/{version('werkzeug')}"  # Flask-Login's strong protection binds the agent
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    statuses, start = [], threading.Barrier(len(requests))

    def send(method, url, body):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        start.wait()
        conn.request(method, url, body=body,
                     headers={"Cookie": f"is2in_session={cookie}", "User-Agent": agent,
                              "Content-Type": "application/x-www-form-urlencoded"})
        statuses.append(conn.getresponse().status)
        conn.close()

    threads = [threading.Thread(target=send, args=r) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.shutdown()
    return statuses
