"""Exchange account administrators reset the training sandbox to the demo data (sandbox only)."""
from __future__ import annotations

import secrets
import shutil
from contextlib import contextmanager

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from portal.cli import demo
from portal.domain import training
from portal.forms.sandbox import ResetForm
from portal.infra.database import db
from portal.infra.storage import store_bytes, upload_dir
from portal.web import access

bp = Blueprint("sandbox", __name__, url_prefix="/admin/sandbox")
access.register("sandbox.reset", access.ACCOUNT_ADMIN)
LABELS = {"organisations": _l("Organisations"), "users": _l("Users"),
          "applications": _l("Applications"), "documents": _l("Normative base documents"),
          "mails": _l("Mails"), "audit_events": _l("Audit trail events")}


def _load_demo(session) -> None:
    logins = demo.load(session, store_bytes)
    demo.renew_demo_passwords(session, [email for email, _org, _what in logins])


@contextmanager
def _files_set_aside():
    """The old files move aside while the demo stores its own; a failed reset puts them back."""
    files = upload_dir()
    aside = files.with_name(f"{files.name}.reset-{secrets.token_hex(4)}")
    if files.exists():
        files.rename(aside)
    try:
        yield
    except BaseException:
        db.session.rollback()
        shutil.rmtree(files, ignore_errors=True)
        if aside.exists():
            aside.rename(files)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@bp.route("/reset", methods=["GET", "POST"])
def reset():
    if not current_app.config["SANDBOX"]:
        abort(404)  # production has no such action
    form = ResetForm()
    if form.validate_on_submit():
        by = current_user.email
        with _files_set_aside():
            removed = training.reset(db.session, _load_demo, by=by)
            db.session.commit()
        current_app.logger.info("sandbox reset by %s: %s", by, removed)
        logout_user()  # the account is gone with the rest; the demo's own ones sign in again
        return redirect(url_for("auth.login"))
    counts = training.what_reset_removes(db.session)
    return render_template("sandbox/reset.html", form=form, counts=counts, labels=LABELS)
