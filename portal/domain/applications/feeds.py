"""Each organisation's deadlines as an iCalendar feed behind a secret URL (issue 10, item 9).

The token is HMAC-SHA256(secret key, nonce): the administrator's page can show it again, the
database keeps only its hash and the nonce, and renewing draws a new nonce, so the old URL
stops at once. The feed lists the running clocks of the organisation's open applications as
all-day events on their due dates.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from typing import Callable

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.domain.procedures.definitions import Deadline
from portal.domain.workflow.clocks import deadlines_of
from portal.domain.workflow.versions import runtime_for
from portal.models import Application, CalendarFeed, Clock, Organisation, utcnow


def token_of(secret: str, feed: CalendarFeed) -> str:
    return hmac.new(secret.encode(), feed.nonce.encode(), hashlib.sha256).hexdigest()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(db: Session, organisation: Organisation) -> CalendarFeed | None:
    return db.scalar(select(CalendarFeed).where(CalendarFeed.organisation_id == organisation.id))


def renew(db: Session, organisation: Organisation, secret: str) -> str:
    """A new URL token for the organisation; the previous one no longer opens the feed."""
    feed = feed_of(db, organisation)
    if feed is None:
        feed = CalendarFeed(organisation_id=organisation.id)
        db.add(feed)
    feed.nonce, feed.created_at = secrets.token_hex(32), utcnow()
    token = token_of(secret, feed)
    feed.token_hash = _hash(token)
    db.flush()
    return token


def organisation_for(db: Session, token: str) -> Organisation | None:
    """The organisation whose current token this is; None for an old or made-up one."""
    feed = db.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token or "")))
    return db.get(Organisation, feed.organisation_id) if feed else None


def running_clocks(db: Session, organisation: Organisation) -> list[tuple[Clock, Application]]:
    """Clocks with a due date that are neither paused nor stopped, of open applications."""
    rows = db.execute(select(Clock, Application).join(Application, Application.id == Clock.application_id)
                      .where(Application.organisation_id == organisation.id,
                             Application.phase.not_in(("closed", "deleted")),
                             Clock.due_on.is_not(None), Clock.paused_on.is_(None),
                             Clock.stopped_on.is_(None))
                      .options(joinedload(Application.procedure_version))
                      .order_by(Clock.due_on, Clock.id))
    return [(clock, app) for clock, app in rows]


def calendar_text(db: Session, organisation: Organisation, name: str,
                  summary: Callable[[Application, Deadline], str], now: datetime | None = None,
                  url: Callable[[Application], str] | None = None) -> bytes:
    """The feed's iCalendar text (RFC 5545): one all-day event per running clock."""
    cal = Calendar()
    cal.add("prodid", "-//is2in portal//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = (now or utcnow()).replace(tzinfo=timezone.utc)
    for clock, app in running_clocks(db, organisation):
        deadline = dict((k, d) for k, _side, d in deadlines_of(runtime_for(app.procedure_version)))
        found = deadline.get(clock.deadline)
        if found is None:
            continue
        event = Event()
        event.add("uid", f"clock-{clock.id}@is2in")
        event.add("dtstamp", stamp)
        event.add("dtstart", clock.due_on)
        event.add("dtend", clock.due_on + timedelta(days=1))
        event.add("summary", summary(app, found))
        if url is not None:
            event.add("url", url(app))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


