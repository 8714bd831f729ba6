"""Who may open which page: one policy table over every endpoint, deny by default.

Object-level rules (own organisation, assigned executor) live in the domain; this table
decides only which kind of user may reach an endpoint at all.
"""
from __future__ import annotations

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from portal.domain.accounts.passwords import PasswordPolicy
from portal.domain.accounts.users import needs_password_change

PUBLIC, USER, ORG_ADMIN, STAFF = "public", "user", "org_admin", "staff"
ACCOUNT_ADMIN, OFFICE, AUTHORISED = "account_admin", "office", "authorised"
DESK = "desk"  # the exchange's working staff: the office or an authorised person

POLICY: dict[str, str] = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.second_factor": PUBLIC,  # the password is checked; the session is not signed in yet
    "auth.enrol": PUBLIC,
    "auth.set_password": PUBLIC,
    "auth.language": PUBLIC,
    "auth.agreement": PUBLIC,
    "health.healthz": PUBLIC,
    "auth.logout": USER,
    "auth.change_password": USER,
    "auth.reauthenticate": USER,
    "cabinet.home": USER,
    "cabinet.notifications": USER,
    "cabinet.notification_read": USER,
    "cabinet.profile": USER,
    "directory.users": USER,
    "directory.add_user": ORG_ADMIN,
    "directory.request_first_head": ORG_ADMIN,
    "directory.partnership": USER,
    "directory.add_partner": USER,
    "directory.request_partner_removal": USER,
    "directory.normative_base": USER,
    "directory.normative_file": USER,
    "directory.insiders": USER,
    "lists.procedures": USER,
    "lists.under_review": USER,
    "lists.archive": USER,
    "lists.questionnaires": USER,
    "admin.organisations": ACCOUNT_ADMIN,
    "admin.new_organisation": ACCOUNT_ADMIN,
    "admin.organisation": ACCOUNT_ADMIN,
    "admin.new_user": ACCOUNT_ADMIN,
    "admin.toggle_user": ACCOUNT_ADMIN,
    "admin.first_head_requests": ACCOUNT_ADMIN,
    "admin.first_head_right": ACCOUNT_ADMIN,
    "admin.partner_removals": ACCOUNT_ADMIN,
    "admin.remove_partner": ACCOUNT_ADMIN,
    "admin.sent_mail": ACCOUNT_ADMIN,
    "admin.normative_new": STAFF,
    "admin.normative_retire": STAFF,
    "admin.insider_new": STAFF,
    "admin.calendar": STAFF,
    "admin.calendar_remove": STAFF,
    "admin.insider_exclude": STAFF,
    "maintenance.switch": STAFF,
    "queue.index": DESK,
    "queue.assign": AUTHORISED,
    "queue.dashboard": DESK,
}

# pages a user whose password must change may still open
DURING_PASSWORD_CHANGE = {"static", "auth.logout", "auth.change_password", "auth.language",
                          "auth.agreement"}


def register(endpoint: str, rule: str) -> None:
    """Blueprints of later features add their endpoints here at import time."""
    POLICY[endpoint] = rule


def allows(rule: str, user) -> bool:
    if rule == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if rule == USER:
        return True
    if rule == ORG_ADMIN:
        return bool(user.is_org_admin)
    if rule == STAFF:
        return user.is_staff
    if rule == DESK:
        return user.is_staff and (user.has_staff_role(OFFICE) or user.has_staff_role(AUTHORISED))
    return user.is_staff and user.has_staff_role(rule)


def password_policy(app: Flask) -> PasswordPolicy:
    c = app.config
    return PasswordPolicy(c["PASSWORD_MIN_LENGTH"], c["PASSWORD_MAX_LENGTH"],
                          c["PASSWORD_MAX_AGE_DAYS"], c["PASSWORD_HISTORY"])


def init_app(app: Flask) -> None:
    @app.before_request
    def _enforce():
        endpoint = request.endpoint
        if endpoint is None:
            return None  # 404 follows
        rule = POLICY.get(endpoint)
        if rule is None:
            abort(403)  # an endpoint nobody classified is closed
        if rule != PUBLIC and not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        if not allows(rule, current_user):
            abort(403)
        if (current_user.is_authenticated and endpoint not in DURING_PASSWORD_CHANGE
                and needs_password_change(current_user, password_policy(app))):
            return redirect(url_for("auth.change_password"))
        return None
