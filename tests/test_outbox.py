"""The mail outbox against a real SMTP server (aiosmtpd on 127.0.0.1): delivery, retry with
back-off while the server is down, exactly once after it returns, Kazakh subjects, keep-inside."""
from __future__ import annotations

import email
import email.policy
import smtplib
import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from conftest import make_org, make_user
from test_i18n import compiled_catalogues  # noqa: F401  (fixture: builds the .mo files)

from portal.domain.outbox import backoff, enqueue
from portal.infra.database import db as portal_db
from portal.infra.mail import queue_mail, run_worker
from portal.models import OutboxMail, utcnow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content)
        self.messages.append(email.message_from_bytes(envelope.original_content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A local SMTP server on a fixed port that can be stopped and started again."""

    def __init__(self):
        self.port = free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.handler.messages


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    """The portal with real sending to the local server (Flask-Mail suppresses sending under
    TESTING unless told otherwise)."""
    return make_app(MAIL_KEEP_INSIDE=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                    MAIL_SUPPRESS_SEND=False, MAIL_TIMEOUT=2,
                    MAIL_DEFAULT_SENDER="is2in@exchange.test")


class Clock:
    """A `now` callable the test moves forward."""

    def __init__(self):
        self.at = utcnow()

    def __call__(self):
        return self.at

    def advance(self, **kwargs):
        self.at += timedelta(**kwargs)


def _queue(db, *mails):
    rows = [enqueue(db, to, subject, body) for to, subject, body in mails]
    db.commit()
    return [row.id for row in rows]


def _work(app, now=utcnow):
    with app.app_context():
        return run_worker(portal_db.sessionmaker, now=now)


def _row(db, mail_id) -> OutboxMail:
    db.expire_all()
    return db.get(OutboxMail, mail_id)


def test_two_queued_mails_are_delivered_once(db, mail_app, smtp):
    smtp.start()
    ids = _queue(db, ("one@client.kz", "First", "Body one\n"), ("two@client.kz", "Second", "Body two\n"))
    assert _work(mail_app) == (2, 0)
    assert sorted(m["To"] for m in smtp.messages) == ["one@client.kz", "two@client.kz"]
    assert sorted(m["Subject"] for m in smtp.messages) == ["First", "Second"]
    for mail_id in ids:
        row = _row(db, mail_id)
        assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
        delivered = [m for m in smtp.messages if m["To"] == row.recipient]
        assert len(delivered) == 1
        # the outbox's own Message-ID, exactly once (a retry keeps it, so duplicates can be dropped)
        assert delivered[0].get_all("Message-ID") == [row.message_id]
        assert delivered[0]["From"] == "is2in@exchange.test"
    assert _work(mail_app) == (0, 0)
    assert len(smtp.messages) == 2


def test_a_refused_connection_is_retried_with_back_off_and_delivered_exactly_once(db, mail_app, smtp):
    [mail_id] = _queue(db, ("client@issuer.kz", "Application returned", "Please revise.\n"))
    clock = Clock()
    # the server is down: the port refuses connections
    assert _work(mail_app, clock) == (0, 1)
    row = _row(db, mail_id)
    assert row.status == "pending" and row.attempts == 1
    assert row.next_attempt_at > clock() and row.next_attempt_at == clock() + backoff(1)
    assert "Connection" in row.last_error and row.sent_at is None
    # not due yet: nothing is tried
    clock.advance(seconds=10)
    assert _work(mail_app, clock) == (0, 0)
    assert _row(db, mail_id).attempts == 1

    smtp.start()
    clock.advance(seconds=10)
    assert _work(mail_app, clock) == (0, 0)  # still inside the back-off
    assert smtp.messages == []
    clock.advance(seconds=30)
    assert _work(mail_app, clock) == (1, 0)
    row = _row(db, mail_id)
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp.messages) == 1
    assert smtp.messages[0].get_all("Message-ID") == [row.message_id]
    # later runs send nothing more, however much time passes
    clock.advance(hours=5)
    assert _work(mail_app, clock) == (0, 0)
    assert len(smtp.messages) == 1


def test_back_off_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(8) == timedelta(hours=1)
    # 72 hours of hourly retries: the count must never overflow the arithmetic
    assert all(backoff(n) == timedelta(hours=1) for n in range(8, 500))


def test_a_mail_that_keeps_failing_is_never_lost(db, mail_app, smtp):
    [mail_id] = _queue(db, ("client@issuer.kz", "Subject", "Body\n"))
    clock = Clock()
    for _ in range(6):
        assert _work(mail_app, clock) == (0, 1)
        clock.at = _row(db, mail_id).next_attempt_at
    row = _row(db, mail_id)
    assert row.status == "pending" and row.attempts == 6
    smtp.start()
    assert _work(mail_app, clock) == (1, 0)
    assert len(smtp.messages) == 1


def test_a_server_that_never_answers_times_out(db, make_app):
    """Flask-Mail opens its socket with no timeout; MAIL_TIMEOUT must bound each attempt."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)  # completes TCP handshakes, never says a word
        app = make_app(MAIL_KEEP_INSIDE=False, MAIL_SERVER="127.0.0.1",
                       MAIL_PORT=silent.getsockname()[1], MAIL_SUPPRESS_SEND=False,
                       MAIL_TIMEOUT=1)
        [mail_id] = _queue(db, ("client@issuer.kz", "Subject", "Body\n"))
        started = time.monotonic()
        assert _work(app) == (0, 1)
        assert time.monotonic() - started < 10
    row = _row(db, mail_id)
    assert row.status == "pending" and "timed out" in row.last_error


def test_a_failing_quit_after_acceptance_does_not_send_twice(db, mail_app, smtp, monkeypatch):
    smtp.start()
    [mail_id] = _queue(db, ("client@issuer.kz", "Subject", "Body\n"))

    def broken_quit(self):
        self.close()
        raise smtplib.SMTPServerDisconnected("connection dropped after the message")

    monkeypatch.setattr(smtplib.SMTP, "quit", broken_quit)
    assert _work(mail_app) == (1, 0)
    assert _row(db, mail_id).status == "sent"
    assert _work(mail_app, lambda: utcnow() + timedelta(hours=2)) == (0, 0)
    assert len(smtp.messages) == 1


def test_kazakh_subjects_and_bodies_arrive_correctly_encoded(db, mail_app, smtp):
    smtp.start()
    subject = "Өтінім қайтарылды: ҚҰЖАТ № 12 — «Әділет» АҚ"
    body = "Құрметті Гүлнар Әбдірахманова!\nӨтініміңіз пысықтауға қайтарылды.\n"
    _queue(db, ("gulnar@issuer.kz", subject, body))
    assert _work(mail_app) == (1, 0)
    [raw] = smtp.handler.raw
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert all(byte < 128 for byte in headers)  # RFC 2047: no raw 8-bit bytes in headers
    [message] = smtp.messages
    assert message["Subject"] == subject
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == body


def test_queued_mail_is_written_in_the_recipients_language(compiled_catalogues, db, mail_app, smtp):
    smtp.start()
    org = make_org(db)
    kk = make_user(db, org, language="kk", email="kk@issuer.kz")
    ru = make_user(db, org, language="ru", email="ru@issuer.kz")
    with mail_app.app_context():
        for user in (kk, ru):
            queue_mail(db, user, "new_user", token="TOKEN123")
    db.commit()
    assert _work(mail_app) == (2, 0)
    by_to = {m["To"]: m for m in smtp.messages}
    assert by_to["kk@issuer.kz"]["Subject"] == "is2in порталындағы есептік жазбаңыз"
    assert by_to["ru@issuer.kz"]["Subject"] == "Ваша учётная запись на портале is2in"
    assert "/set-password/TOKEN123" in by_to["kk@issuer.kz"].get_content()


def test_keep_inside_marks_mail_kept_and_sends_nothing(db, make_app, smtp):
    smtp.start()
    app = make_app(MAIL_KEEP_INSIDE=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                   MAIL_SUPPRESS_SEND=False)
    ids = _queue(db, ("one@client.kz", "First", "Body\n"), ("two@client.kz", "Second", "Body\n"))
    assert _work(app) == (2, 0)
    assert [_row(db, i).status for i in ids] == ["kept", "kept"]
    assert all(_row(db, i).sent_at is not None for i in ids)
    assert _work(app) == (0, 0)
    assert smtp.messages == []


def test_outbox_cli_command_sends_due_mail(db, mail_app, smtp):
    smtp.start()
    _queue(db, ("one@client.kz", "First", "Body\n"))
    with mail_app.app_context():
        result = mail_app.test_cli_runner().invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert len(smtp.messages) == 1


def test_a_claim_left_by_a_dead_worker_is_taken_over_only_after_it_goes_stale(db, mail_app, smtp):
    smtp.start()
    [mail_id] = _queue(db, ("client@issuer.kz", "Subject", "Body\n"))
    row = _row(db, mail_id)
    row.status, row.claimed_at, row.attempts = "sending", utcnow() - timedelta(minutes=1), 1
    db.commit()
    assert _work(mail_app) == (0, 0)  # another worker may be sending it right now
    assert _work(mail_app, lambda: utcnow() + timedelta(minutes=11)) == (1, 0)
    assert _row(db, mail_id).status == "sent"
    assert len(smtp.messages) == 1


def test_the_worker_loop_survives_a_failing_round(app, monkeypatch):
    from portal.infra import mail as mail_module

    class Stop(BaseException):
        pass

    rounds = []

    def deliver(*_args, **_kwargs):
        rounds.append(1)
        if len(rounds) == 1:
            raise RuntimeError("database is locked")
        if len(rounds) == 3:
            raise Stop()
        return (0, 0)

    monkeypatch.setattr(mail_module, "deliver_due", deliver)
    monkeypatch.setattr(mail_module.time, "sleep", lambda _s: None)
    with app.app_context(), pytest.raises(Stop):
        run_worker(portal_db.sessionmaker, loop=True)
    assert len(rounds) == 3  # the failure did not end the loop
