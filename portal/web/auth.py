"""Signing in and out, passwords and the language switch (G-4 … G-8)."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import segno

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.domain.accounts import totp
from portal.domain.accounts import users as accounts
from portal.extensions import limiter
from portal.forms.auth import (
    PASSWORD_PROBLEMS,
    ChangePasswordForm,
    CodeForm,
    LoginForm,
    NewPasswordForm,
    ReauthenticateForm,
)
from portal.infra.database import db
from portal.web.access import password_policy
from portal.web.htmx import wants_fragment
from portal.web.layout import landing

bp = Blueprint("auth", __name__)
MFA_SECONDS = 300  # the code is owed within five minutes of the password


def _safe_next(target: str | None, home: str | None = None) -> str:
    """A path on this site, or home. Browsers read "/\\host" as "//host" and drop tabs and
    newlines from URLs ("/\\t/host"), so both are refused as well as "//host" and schemes."""
    if (target and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return home or url_for("cabinet.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            db.session.commit()  # keep the failure count
            flash(_("Wrong e-mail or password, or the account is locked or disabled."), "error")
        else:
            accounts.end_session(db.session, session.get("auth"))
            session.clear()  # a fresh session at sign-in
            target = _safe_next(request.args.get("next"), landing(user))
            if current_app.config["STAFF_TOTP"] and totp.required(user):
                db.session.commit()
                session["mfa"] = {"user": user.id, "at": time.time(), "next": target}
                return redirect(url_for("auth.second_factor" if user.totp_secret else "auth.enrol"))
            return _signed_in(user, target)
    return render_template("auth/login.html", form=form)


def _signed_in(user, target: str):
    session.clear()
    session["auth"] = accounts.start_session(db.session, user)
    db.session.commit()
    login_user(user)
    return redirect(target)


def _pending_user():
    """The staff user who typed the right password and owes the code, for MFA_SECONDS."""
    pending = session.get("mfa")
    if not pending or time.time() - pending.get("at", 0) > MFA_SECONDS:
        return None
    user = db.session.get(accounts.User, pending["user"])
    if user is None or not user.active or accounts.is_locked(user):
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def second_factor():
    return _code_step(enrolling=False)


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def enrol():
    """A staff user without a second factor sets one up before the first sign-in ends."""
    return _code_step(enrolling=True)


def _code_step(enrolling: bool):
    """The code after the password: for a new secret shown as a QR code, or the enrolled one."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if enrolling == bool(user.totp_secret):
        return redirect(url_for("auth.second_factor" if user.totp_secret else "auth.enrol"))
    secret, context = None, {}
    if enrolling:
        if "secret" not in session["mfa"]:
            session["mfa"] = dict(session["mfa"], secret=totp.new_secret())
        secret = session["mfa"]["secret"]
        context = _enrolment(user, secret)
    form = CodeForm()
    if form.validate_on_submit():
        if totp.verify(user, form.code.data, secret=secret):
            return _signed_in(user, session["mfa"]["next"])
        db.session.commit()  # keep the failure count
        if accounts.is_locked(user):
            session.clear()
            flash(_("Too many wrong codes: the account is locked for 15 minutes."), "error")
            return redirect(url_for("auth.login"))
        form.code.errors = [_("This code is wrong or was used already. Enter the code your app shows now.")]
    return render_template("auth/code.html", form=form, **context)


def _enrolment(user, secret: str) -> dict:
    """The QR code, drawn here as an SVG image (no outside service sees the secret)."""
    uri = totp.provisioning_uri(secret, user.email)
    return {"qr": segno.make(uri, error="m").svg_data_uri(scale=4),
            "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))}


@bp.route("/reauthenticate", methods=["GET", "POST"])
def reauthenticate():
    """Type the password again before a decision or a signature (ask_for_password)."""
    form = ReauthenticateForm()
    if form.validate_on_submit():
        if accounts.reauthenticate(db.session, current_user, session.get("auth"), form.password.data):
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        if accounts.is_locked(current_user):
            return _locked_out()
        db.session.commit()  # keep the failure count
        form.password.errors = [_("The password is wrong.")]
    return render_template("auth/reauthenticate.html", form=form)


def ask_for_password(back_to: str):
    """Send the user to type the password again, then back to back_to: for a step whose
    fresh_sign_in guard found the password typed too long ago ("Approved", decisions, and
    signing when it comes), instead of a sign-out and a new sign-in."""
    flash(_("Confirm it is you with your password, then repeat the action."), "info")
    target = url_for("auth.reauthenticate", next=back_to)
    if wants_fragment():  # htmx follows HX-Redirect with a full page load
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


@bp.route("/agreement")
def agreement():
    return render_template("auth/agreement.html")


@bp.route("/logout", methods=["POST"])
def logout():
    accounts.end_session(db.session, session.get("auth"))
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


def _apply_new_password(user, form, keep_token=None) -> bool:
    problems = accounts.password_problems(db.session, user, form.new_password.data,
                                          password_policy(current_app))
    if problems:
        form.new_password.errors = [str(PASSWORD_PROBLEMS[p]) for p in problems]
        return False
    accounts.set_password(db.session, user, form.new_password.data, keep_token=keep_token)
    return True


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not accounts.confirm_password(db.session, current_user, form.current_password.data):
            if accounts.is_locked(current_user):
                return _locked_out()
            db.session.commit()  # keep the failure count
            form.current_password.errors = [_("The current password is wrong.")]
        elif _apply_new_password(current_user, form, keep_token=session.get("auth")):
            db.session.commit()
            flash(_("The password has been changed."), "info")
            return redirect(url_for("cabinet.home"))
    return render_template("auth/password.html", form=form,
                           forced=accounts.needs_password_change(current_user, password_policy(current_app)))


def _locked_out():
    """Too many wrong passwords typed while signed in: the lock applies as at sign-in, and
    every session of the account ends (whoever guesses may hold a stolen one)."""
    accounts.end_all_sessions(db.session, current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Too many wrong passwords: the account is locked for 15 minutes."), "error")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    row = accounts.redeem_set_password_token(db.session, token)
    if row is None:
        return render_template("auth/link_expired.html"), 410
    form = NewPasswordForm()
    user = db.session.get(accounts.User, row.user_id)
    if form.validate_on_submit() and _apply_new_password(user, form):
        row.used_at = accounts.utcnow()
        db.session.commit()
        flash(_("Your password is set. You can log in now."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/language", methods=["POST"])
def language():
    chosen = request.form.get("lang", "")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen
        if current_user.is_authenticated:
            current_user.language = chosen
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
