"""Mail: bodies from templates/email, in the recipient's language, queued in the outbox."""
from __future__ import annotations

import smtplib
import time
from collections import defaultdict
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mail import Connection, Message
from jinja2_fragments.flask import render_block

from portal.domain.outbox import deliver_due, enqueue
from portal.domain.text import one_line
from portal.models import utcnow


def queue_mail(db, user, template: str, **context):
    """Queue templates/email/<template>.txt for user; the caller's commit sends it on its way."""
    context.update(user=user, public_url=current_app.config["PUBLIC_URL"].rstrip("/"))
    name = f"email/{template}.txt"
    with force_locale(user.language):
        subject = render_block(name, "subject", **context).strip()
        body = render_block(name, "body", **context).strip() + "\n"
    return enqueue(db, user.email, subject, body)


class _TimedConnection(Connection):
    """Flask-Mail's connection, but with MAIL_TIMEOUT: its own opens sockets with no timeout,
    so one SMTP server that accepts and never answers would stall the worker for ever."""

    def configure_host(self):
        timeout = current_app.config.get("MAIL_TIMEOUT") or 10
        cls = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = cls(self.mail.server, self.mail.port, timeout=timeout)
        try:
            host.set_debuglevel(int(self.mail.debug))
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        # Once the server has accepted the message, a failing QUIT must not turn the send into
        # a failure: the worker would retry and the recipient get the mail twice.
        if self.host is None:
            return
        try:
            if exc_type is None:
                self.host.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            self.host.close()


def _send(outbox_mail) -> None:
    message = Message(subject=outbox_mail.subject, recipients=[outbox_mail.recipient],
                      body=outbox_mail.body)
    # the outbox's own id, so a retried mail keeps it (an extra header would add a second one)
    message.msgId = outbox_mail.message_id
    with _TimedConnection(current_app.extensions["mail"]) as connection:
        connection.send(message)


def run_worker(sessions, loop: bool = False, interval: float = 5.0, now=utcnow
               ) -> tuple[int, int]:
    """Deliver due mail once, or forever with loop (the run command starts it so)."""
    keep = current_app.config["MAIL_KEEP_INSIDE"]
    if not loop:
        return deliver_due(sessions, _send, keep_inside=keep, now=now)
    while True:
        try:
            deliver_due(sessions, _send, keep_inside=keep, now=now)
        except Exception:  # e.g. the database busy or briefly gone: the loop must outlive it
            current_app.logger.exception("outbox worker: delivery round failed; retrying")
        time.sleep(interval)


NOTICES = {
    "stage_assigned": _l("You have been assigned to fill a stage of application %(number)s."),
    "adviser_unassigned": _l("The financial adviser was removed from your partners: its employees no longer fill the stages of application %(number)s. Assign another adviser's employee or fill the stage yourself where the procedure allows."),
    "executor_assigned": _l("You have been made the executor of application %(number)s."),
}


ACCOUNT_NOTICES = {
    "first_head_granted": _l("The exchange has made «%(name)s» a first head of your organisation: they may now approve and sign its applications. If you did not expect this, contact the exchange."),
}
DUE = _l("Due date: %(date)s.")


def send_notice(user, application, notice) -> None:
    """A flow transition's notice (its text comes from the flow file, in three languages),
    with the step's form values and, where a clock runs, the due date."""
    from portal.domain.workflow.audit import last_event
    from portal.infra.database import db
    event = last_event(db.session, application, to_state=application.status)
    params = defaultdict(str, {k: _dotted(v) for k, v in (event.detail if event else {}).items()
                               if isinstance(v, str)})
    params.update(number=application.number, incoming_number=application.incoming_number or "")
    if application.next_due_on:
        with force_locale(user.language):
            params["due"] = str(DUE) % {"date": application.next_due_on.strftime("%d.%m.%Y")}
    _deliver(user, application, (notice.message.get(user.language) % params).strip())


def _dotted(value: str) -> str:
    """An ISO date as people here write it (DD.MM.YYYY); other text as it is."""
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y") if len(value) == 10 else value
    except ValueError:
        return value


def notify(user, application, kind: str) -> None:
    """A notification in the cabinet and an e-mail, both in the recipient's language."""
    with force_locale(user.language):
        message = str(NOTICES[kind]) % {"number": application.number}
    _deliver(user, application, message)


def notify_account(user, kind: str, subject) -> None:
    """A notice about an account (subject) of the user's organisation; the subject's name is
    user text, so it is kept on one line inside the portal's own sentence."""
    with force_locale(user.language):
        message = str(ACCOUNT_NOTICES[kind]) % {"name": one_line(subject.full_name)}
    _deliver(user, None, message, "account_notice")


def _deliver(user, application, message: str, template: str = "notice") -> None:
    from portal.domain.workflow.versions import runtime_for
    from portal.infra.database import db
    from portal.models import Notification
    procedure_name = None
    if application is not None:
        procedure_name = runtime_for(application.procedure_version).procedure.name.get(user.language)
    db.session.add(Notification(user_id=user.id, application_id=application.id if application else None,
                                procedure_name=procedure_name, executor_name=user.full_name,
                                message=message))
    queue_mail(db.session, user, template, message=message, application=application,
               procedure_name=procedure_name)
