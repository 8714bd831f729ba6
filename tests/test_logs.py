"""Health checks and structured logs (issue 14 item 3)."""
import io
import json
import logging
from datetime import timedelta

import signing_support
from conftest import PASSWORD, exchange_org, login_as, make_staff
from test_signing import approved_application, sign_web

from portal.domain.outbox import enqueue
from portal.infra.logging import JsonFormatter
from portal.models import utcnow


def test_healthz_answers_ok_without_signing_in(client):
    r = client.get("/healthz")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "ok")


def test_readyz_checks_database_migrations_and_outbox(app, client, db):
    assert (client.get("/readyz").status_code, client.get("/readyz").data) == (200, b"ready")
    mail = enqueue(db, "a@test.kz", "s", "b")
    mail.created_at = utcnow() - timedelta(minutes=app.config["READY_OUTBOX_MAX_AGE_MINUTES"] + 1)
    db.commit()
    r = client.get("/readyz")
    assert (r.status_code, r.get_data(as_text=True)) == (503, "outbox stuck")


def test_readyz_refuses_an_old_schema(app, client, monkeypatch):
    from portal.infra import migrate
    monkeypatch.setattr(migrate, "heads", lambda: {"9999"})
    r = client.get("/readyz")
    assert (r.status_code, r.get_data(as_text=True)) == (503, "migrations not current")


def test_readyz_says_when_the_database_is_gone(make_app, tmp_path):
    gone = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/x.sqlite")
    r = gone.test_client().get("/readyz")
    assert (r.status_code, r.get_data(as_text=True)) == (503, "database unreachable")


def _json_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_one_json_line_per_request_and_the_request_id_in_the_header(client, caplog):
    with caplog.at_level(logging.INFO, logger="portal"):
        r = client.get("/healthz")
    line = [e for e in _json_lines(caplog) if e["logger"] == "portal.request"][-1]
    assert line["request_id"] == r.headers["X-Request-Id"] and len(line["request_id"]) == 16
    assert line["endpoint"] == "health.healthz" and line["status"] == 200
    assert line["user_id"] is None and line["duration_ms"] >= 0


def test_no_secret_or_document_reaches_the_log(app, db, client, auth, tmp_path, caplog):
    signing_support.allow_signing(app, tmp_path)
    pdf = signing_support.SAMPLE.read_bytes()
    with caplog.at_level(logging.DEBUG):
        issuer, _app_id, url = approved_application(db, client, auth)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
        assert sign_web(client, url).status_code == 302
        auth.logout()
        staff = make_staff(db, exchange_org(db))
        login_as(client, staff)
        r = client.post("/admin/normative-base/new", content_type="multipart/form-data", data={
            "title_kk": "Ереже", "title_ru": "Правила", "title_en": "Rules",
            "kind": "exchange", "status": "in_force", "file": (io.BytesIO(pdf), "rules.pdf")})
        assert r.status_code == 302
    lines = _json_lines(caplog)
    requests = [e for e in lines if e["logger"] == "portal.request"]
    assert any(e["user_id"] == issuer.head.id and e["organisation_id"] == issuer.head.organisation_id
               and e["endpoint"] for e in requests)
    log = "\n".join(json.dumps(e, ensure_ascii=False) for e in lines) + caplog.text
    for secret in (PASSWORD, cookie, signing_support.PASSWORD, pdf[200:260].decode("latin-1"),
                   signing_support.key_store()[100:160].hex()):
        assert secret not in log
