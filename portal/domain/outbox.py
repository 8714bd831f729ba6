"""The mail outbox: rows written with their cause, delivered later with retries.

A row is claimed (status sending) and committed before the SMTP call, and marked sent right
after the server accepts it, so a mail accepted once is never picked up again. A worker that
dies mid-send leaves a stale claim; it is retried after CLAIM_TIMEOUT with the same Message-ID,
so a receiving server can drop the rare duplicate.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from portal.models import OutboxMail, utcnow

CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=72)

Transport = Callable[[OutboxMail], None]  # raises on failure


def enqueue(db: Session, recipient: str, subject: str, body: str, domain: str = "is2in.local"
            ) -> OutboxMail:
    mail = OutboxMail(recipient=recipient, subject=subject, body=body,
                      message_id=f"<{secrets.token_hex(16)}@{domain}>")
    db.add(mail)
    return mail


def stuck(db: Session, max_age: timedelta, now: datetime | None = None) -> bool:
    """True when a mail has waited longer than max_age: the outbox worker is not running."""
    oldest = db.scalar(select(func.min(OutboxMail.created_at))
                       .where(OutboxMail.status.in_(("pending", "sending"))))
    return oldest is not None and oldest < (now or utcnow()) - max_age


def backoff(attempts: int) -> timedelta:
    # the exponent is bounded: 30 s × 2**42 no longer fits a timedelta, and an OverflowError
    # here (after about 40 failed attempts) would stop the worker for every mail
    return min(timedelta(seconds=30 * 2 ** min(max(attempts - 1, 0), 20)), MAX_BACKOFF)


def _claim(sessions: sessionmaker, now: datetime) -> OutboxMail | None:
    """Take one due mail for this worker; returned detached, so no transaction stays open."""
    with sessions() as db, db.begin():
        row = db.scalar(
            select(OutboxMail).where(
                or_(OutboxMail.status == "pending",
                    (OutboxMail.status == "sending") & (OutboxMail.claimed_at < now - CLAIM_TIMEOUT)),
                OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.id).limit(1).with_for_update(skip_locked=True))
        if row is None:
            return None
        # the status guard makes the claim exclusive even where FOR UPDATE is a no-op (SQLite)
        claimed = db.execute(update(OutboxMail).where(OutboxMail.id == row.id,
                                                      OutboxMail.status == row.status)
                             .values(status="sending", claimed_at=now,
                                     attempts=OutboxMail.attempts + 1))
        if not claimed.rowcount:
            return None
        db.refresh(row)
        db.expunge(row)
        return row


def _finish(sessions: sessionmaker, mail_id: int, **values) -> None:
    with sessions() as db, db.begin():
        db.execute(update(OutboxMail).where(OutboxMail.id == mail_id).values(**values))


def deliver_due(sessions: sessionmaker, transport: Transport, keep_inside: bool = False,
                now: Callable[[], datetime] = utcnow, limit: int = 100) -> tuple[int, int]:
    """Send what is due; returns (sent, failed). With keep_inside nothing leaves the portal."""
    sent = failed = 0
    for _ in range(limit):
        mail = _claim(sessions, now())
        if mail is None:
            break
        try:
            if not keep_inside:
                transport(mail)
        except Exception as exc:  # any transport failure is retried later
            gave_up = now() - mail.created_at > GIVE_UP_AFTER
            _finish(sessions, mail.id, status="failed" if gave_up else "pending",
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    next_attempt_at=now() + backoff(mail.attempts))
            failed += 1
            continue
        _finish(sessions, mail.id, status="kept" if keep_inside else "sent", sent_at=now())
        sent += 1
    return sent, failed
