"""The named guards and effects a flow file may use: what a transition needs code for.

A guard refuses (raises Refused with a reason code) or lets the transition through; an effect
changes the application inside the transition's transaction. Flows name them; the loader
refuses a name that is not here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.applications import comments, questionnaires
from portal.domain.applications.filling import check, values_of
from portal.domain.applications.stages import first_heads, unfinished_stages
from portal.domain.documents import signing as eds
from portal.domain.procedures.runtime import Runtime
from portal.domain.refusal import require
from portal.domain.workflow.audit import last_event
from portal.domain.workflow.calendar import WorkingCalendar
from portal.domain.workflow.clocks import started_by
from portal.domain.workflow.flows import Flow
from portal.domain.workflow.numbering import incoming_number, next_number
from portal.models import Application, Signature, Snapshot, User


@dataclass
class Firing:
    """One transition being fired: the application, who fires it, and what the server knows."""

    db: Session
    application: Application
    runtime: Runtime
    flow: Flow
    user: User
    now: datetime                      # naive UTC, taken once for the whole transition
    today: date                        # the exchange's date (its time zone) at `now`
    calendar: WorkingCalendar
    signed_in_at: datetime | None = None
    fresh_minutes: int = 10
    address: str | None = None
    data: dict = field(default_factory=dict)  # the transition form's parsed values
    secrets: dict = field(default_factory=dict)  # its file and password values: effects only
    signing: eds.SigningContext | None = None  # prepared by the web layer for signing


# --- guards -----------------------------------------------------------------------------------

def has_first_head(f: Firing) -> None:
    require(bool(first_heads(f.application)), "no_first_head")


def stages_filled(f: Firing) -> None:
    missing = unfinished_stages(f.runtime, f.application)
    require(not missing, "unfinished", stages=missing)


def check_passes(f: Firing) -> None:
    require(not check(f.runtime, f.application), "check_failed")


def fresh_sign_in(f: Firing) -> None:
    """Decisions that bind the organisation or the exchange want a recent sign-in."""
    require(f.signed_in_at is not None
            and f.now - f.signed_in_at <= timedelta(minutes=f.fresh_minutes), "stale_sign_in")


def signature_verified(f: Firing) -> None:
    require(f.application.signed_content_version == f.application.content_version, "not_signed")


def resubmission_open(f: Firing) -> None:
    """A refused application may be revised while its re-submission term has not run out."""
    for clock in started_by(f.db, f.application, f.runtime, "refusal_received"):
        require(clock.due_on is None or f.today <= clock.due_on, "resubmission_closed")


def before_meeting(f: Firing) -> None:
    """G-26: once the deciding body's meeting is scheduled the application stays with it."""
    if f.application.status != "meeting":
        return
    meeting = last_event(f.db, f.application, to_state="meeting")
    on = (meeting.detail or {}).get("meeting_on") if meeting else None
    require(False, "meeting_scheduled",
            date=date.fromisoformat(on).strftime("%d.%m.%Y") if on else "—")


GUARDS: dict[str, Callable[[Firing], None]] = {
    "has_first_head": has_first_head, "stages_filled": stages_filled,
    "check_passes": check_passes, "fresh_sign_in": fresh_sign_in,
    "signature_verified": signature_verified, "resubmission_open": resubmission_open,
    "before_meeting": before_meeting,
}


# --- effects ----------------------------------------------------------------------------------

def snapshot(f: Firing) -> None:
    """Keep every value as this version is handed on, for field-by-field diffs later."""
    app, values = f.application, values_of(f.application)
    row = f.db.scalar(select(Snapshot).where(Snapshot.application_id == app.id,
                                             Snapshot.content_version == app.content_version))
    if row is None:
        f.db.add(Snapshot(application_id=app.id, content_version=app.content_version,
                          values=values))
    else:
        row.values = values


def save_comment_drafts(f: Firing) -> None:
    comments.save_drafts(f.db, f.application, f.user)


def new_version(f: Firing) -> None:
    """Back with the applicant: what it changes from now on is a new version."""
    f.application.content_version += 1


def mark_submitted(f: Firing) -> None:
    f.application.submitted_at = f.now


def sign_application(f: Firing) -> None:
    """Path b: sign the application PDF with the uploaded key store, verify it like any signed
    PDF, keep the signed file and its record. The key store and password are dropped first."""
    secrets, f.secrets = f.secrets, {}
    prepared = f.signing
    require(prepared is not None and prepared.key_store_allowed, "key_store_disabled")
    signed = eds.sign(prepared.pdf, secrets.get("key_store") or b"",
                          secrets.get("password") or "")
    del secrets
    result = eds.verify(signed, prepared.roots, f.user.iin, now=f.now)
    app = f.application
    f.db.add(Signature(application_id=app.id, content_version=app.content_version,
                       storage_key=prepared.store(signed), sha256=result.sha256,
                       signer_id=f.user.id, certificate_subject=result.subject[:1000],
                       certificate_serial=result.serial[:100], signed_at=result.signed_at,
                       verification="valid"))
    app.signed_content_version = app.content_version


def register_incoming(f: Firing) -> None:
    """The office's registration (G-23): the next incoming number of the registration's year.
    The audit event keeps the number and the version registered: the one the exchange saw."""
    app = f.application
    on = date.fromisoformat(f.data.get("registered_on") or f.today.isoformat())
    app.registered_on = on
    app.incoming_number = incoming_number(on.year, next_number(f.db, on.year))
    f.data.update(incoming_number=app.incoming_number, version=app.content_version)


def keep_questionnaires(f: Firing) -> None:
    """Archived: the application's forms become its organisation's questionnaires (G-9.6)."""
    questionnaires.keep(f.db, f.application, f.runtime, f.today)


EFFECTS: dict[str, Callable[[Firing], None]] = {
    "snapshot": snapshot, "save_comment_drafts": save_comment_drafts,
    "new_version": new_version, "mark_submitted": mark_submitted,
    "sign_application": sign_application,
    "register_incoming": register_incoming,
    "questionnaires": keep_questionnaires,
}
