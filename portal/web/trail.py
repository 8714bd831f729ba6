"""The current user's actions into the portal's audit trail, with role and request address."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from portal.domain.workflow import audit
from portal.infra.database import db


def record(action: str, **detail) -> None:
    """One staff or account action, in the request's transaction (committed with it)."""
    user = current_user._get_current_object()
    role = "staff" if user.is_staff else ("org_admin" if user.is_org_admin else "user")
    audit.record(db.session, action, user, role=role, address=request.remote_addr, **detail)
