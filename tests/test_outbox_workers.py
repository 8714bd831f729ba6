"""Outbox workers on several servers (issue 14 item 4): each mail is sent once. On PostgreSQL
the claim takes its row with FOR UPDATE SKIP LOCKED; on SQLite the status guard decides."""
import threading
import time
from collections import Counter

from sqlalchemy.orm import sessionmaker

from portal.domain.outbox import deliver_due, enqueue
from portal.infra.engine import make_engine
from portal.models import OutboxMail

MAILS, WORKERS = 30, 4


def test_four_workers_with_their_own_engines_send_each_mail_once(app, db, database_url):
    for n in range(MAILS):
        enqueue(db, f"u{n}@test.kz", "s", "b")
    db.commit()
    sent, lock = Counter(), threading.Lock()

    def transport(mail):
        time.sleep(0.005)  # an SMTP round trip, so the workers overlap
        with lock:
            sent[mail.message_id] += 1

    engines = [make_engine(database_url) for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)
    errors = []

    def worker(engine):
        start.wait()
        try:
            deliver_due(sessionmaker(bind=engine, expire_on_commit=False), transport)
        except Exception as exc:  # a failed worker must fail the test, not vanish
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert not errors
    assert len(sent) == MAILS and set(sent.values()) == {1}
    db.expire_all()
    assert {m.status for m in db.query(OutboxMail)} == {"sent"}


def test_on_postgresql_a_worker_skips_a_row_another_holds(app, db, database_url):
    import pytest
    from sqlalchemy import select

    from portal.domain.outbox import _claim
    from portal.models import utcnow
    if not database_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises writers (the test above)")
    first, second = enqueue(db, "a@test.kz", "s", "b"), enqueue(db, "b@test.kz", "s", "b")
    db.commit()
    holder = make_engine(database_url)
    # without SKIP LOCKED the second worker would wait for the lock: 2 s, then an error
    other = make_engine(database_url, connect_args={"options": "-c lock_timeout=2000"})
    try:
        with holder.connect() as conn, conn.begin():
            conn.execute(select(OutboxMail.id).where(OutboxMail.id == first.id).with_for_update())
            claimed = _claim(sessionmaker(bind=other, expire_on_commit=False), utcnow())
        assert claimed is not None and claimed.id == second.id
    finally:
        holder.dispose()
        other.dispose()
