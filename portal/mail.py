"""Mail: bodies from templates/email, in the recipient's language, queued in the outbox."""
from __future__ import annotations

import time

from flask import current_app
from flask_babel import force_locale
from flask_mail import Message
from jinja2_fragments.flask import render_block

from .domain.outbox import deliver_due, enqueue
from .extensions import mail as flask_mail


def queue_mail(db, user, template: str, **context):
    """Queue templates/email/<template>.txt for user; the caller's commit sends it on its way."""
    context.update(user=user, public_url=current_app.config["PUBLIC_URL"].rstrip("/"))
    name = f"email/{template}.txt"
    with force_locale(user.language):
        subject = render_block(name, "subject", **context).strip()
        body = render_block(name, "body", **context).strip() + "\n"
    return enqueue(db, user.email, subject, body)


def _send(outbox_mail) -> None:
    message = Message(subject=outbox_mail.subject, recipients=[outbox_mail.recipient],
                      body=outbox_mail.body, extra_headers={"Message-ID": outbox_mail.message_id})
    flask_mail.send(message)


def run_worker(sessions, loop: bool = False, interval: float = 5.0) -> tuple[int, int]:
    """Deliver due mail once, or forever with loop (the run command starts it so)."""
    keep = current_app.config["MAIL_KEEP_INSIDE"]
    while True:
        result = deliver_due(sessions, _send, keep_inside=keep)
        if not loop:
            return result
        time.sleep(interval)
