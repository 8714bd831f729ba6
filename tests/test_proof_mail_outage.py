"""Mail outage (issue 16.6): the SMTP server is down during a burst of notifications fired
through the web; they wait in the outbox and, once it is back, each arrives exactly once, in
its recipient's language."""
from __future__ import annotations

from collections import Counter

import pytest
from conftest import make_org, make_user
from engine_support import Issuer, application, sent_for_approval
from proof_support import results
from sqlalchemy import select
from test_i18n import _compile_if_stale
from test_outbox import Clock, _work, mail_app, smtp  # noqa: F401  (fixtures)

from portal.extensions import babel
from portal.models import OutboxMail

LANGUAGES = ("kk", "ru", "en")
# the flow file's notices, as the recipient reads them (portal/procedures/_flows/standard.yaml)
SENT = {"kk": "{} өтініші сізге келісуге жіберілді.",
        "ru": "Заявление {} направлено вам на согласование.",
        "en": "Application {} has been sent to you for approval."}
RETURNED = {"kk": "{} өтініші түсініктемелермен пысықтауға қайтарылды.",
            "ru": "Заявление {} возвращено на доработку с комментариями.",
            "en": "Application {} has been returned for revision with comments."}


@pytest.fixture
def catalogues(app):
    """test_i18n's compiled_catalogues, but clearing Babel's cache inside an app context: that
    fixture needs one pushed by an earlier test and errors when run alone."""
    _compile_if_stale()
    with app.app_context():
        babel.domain_instance.cache.clear()
    yield
    with app.app_context():
        babel.domain_instance.cache.clear()


def _issuer(db, author_language: str, head_language: str) -> Issuer:
    org = make_org(db, roles=["initiator"])
    return Issuer(org, make_user(db, org, language=author_language),
                  make_user(db, org, is_first_head=True, language=head_language),
                  make_user(db, org, is_org_admin=True))


def test_notifications_wait_out_an_smtp_outage_and_arrive_once_in_each_language(
        catalogues, db, client, auth, mail_app, smtp, record_property):  # noqa: F811
    expected: dict[str, str] = {}  # recipient → subject
    requests = errors = 0
    # the server is down (its port refuses) through the whole burst
    for n in range(6):
        issuer = _issuer(db, LANGUAGES[n % 3], LANGUAGES[(n + 1) % 3])
        app_id, url = sent_for_approval(client, auth, issuer)  # asserts each step's 302
        requests += 1
        number = application(db, app_id).number
        expected[issuer.head.email] = SENT[issuer.head.language].format(number)
        auth.logout()
        auth.login(issuer.head.email)
        r = client.post(f"{url}/transitions/return_for_revision", data={"confirmed": "1"})
        requests += 1
        errors += r.status_code >= 400
        expected[issuer.author.email] = RETURNED[issuer.author.language].format(number)
        auth.logout()
    clock = Clock()
    sent, failed = _work(mail_app, clock)
    assert (sent, failed) == (0, len(expected))
    clock.advance(minutes=5)
    assert _work(mail_app, clock) == (0, len(expected))  # still down: retried, kept waiting
    rows = db.scalars(select(OutboxMail)).all()
    assert len(rows) == len(expected) and all(r.status == "pending" and r.attempts == 2 for r in rows)
    assert smtp.messages == []

    smtp.start()
    clock.advance(minutes=5)
    assert _work(mail_app, clock) == (len(expected), 0)
    clock.advance(hours=3)
    assert _work(mail_app, clock) == (0, 0)  # nothing goes twice, however long the worker runs

    delivered = {m["To"]: m["Subject"] for m in smtp.messages}
    ids = Counter(m["Message-ID"] for m in smtp.messages)
    lost = len(set(expected) - set(delivered))
    results(record_property, "mail outage", requests=requests, errors=errors,
            acknowledged=len(expected), found=len(smtp.messages), lost=lost)
    assert errors == 0 and lost == 0
    assert len(smtp.messages) == len(expected) and set(ids.values()) == {1}
    assert delivered == expected  # each in its recipient's language
    db.expire_all()
    assert {r.status for r in db.scalars(select(OutboxMail))} == {"sent"}
