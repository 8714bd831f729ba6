"""Signing in and out, passwords and the language switch (G-4 … G-8)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.domain.accounts import users as accounts
from portal.extensions import limiter
from portal.forms.auth import PASSWORD_PROBLEMS, ChangePasswordForm, LoginForm, NewPasswordForm
from portal.infra.database import db
from portal.web.access import password_policy
from portal.web.layout import landing

bp = Blueprint("auth", __name__)


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
            session["auth"] = accounts.start_session(db.session, user)
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next"), landing(user)))
    return render_template("auth/login.html", form=form)


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
        if not accounts.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("The current password is wrong.")]
        elif _apply_new_password(current_user, form, keep_token=session.get("auth")):
            db.session.commit()
            flash(_("The password has been changed."), "info")
            return redirect(url_for("cabinet.home"))
    return render_template("auth/password.html", form=form,
                           forced=accounts.needs_password_change(current_user, password_policy(current_app)))


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
