"""TOTP (RFC 6238) as the second factor of exchange staff (SECURITY.md: it compensates the
guide's short passwords). A code is good for its 30-second step and one step either side, and
only once: the last step used is kept, so a code seen over a shoulder cannot be replayed."""
from __future__ import annotations

import hmac
import re
from datetime import datetime, timezone

import pyotp

from portal.domain.accounts.users import count_failure
from portal.models import User, utcnow

ISSUER = "is2in"
STEP = 30
_CODE = re.compile(r"[0-9]{6}")


def required(user: User) -> bool:
    """Exchange staff sign in with a code as well as the password."""
    return user.is_staff


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """What the enrolment QR code holds, for any authenticator app."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def matching_step(secret: str, code: str, after: int | None, now: datetime) -> int | None:
    """The time step the code belongs to, if it is one of now's and later than `after`."""
    code = (code or "").replace(" ", "")
    if not _CODE.fullmatch(code):
        return None
    totp, current = pyotp.TOTP(secret), int(now.timestamp()) // STEP
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def verify(user: User, code: str, now: datetime | None = None, secret: str | None = None) -> bool:
    """Check the user's code (or, at enrolment, a code for the new secret, which is then kept).
    A wrong code counts with the sign-in failures, so guessing codes locks the account."""
    now = now or utcnow()
    step = matching_step(secret or user.totp_secret or "", code,
                         None if secret else user.totp_last_step, _aware(now))
    if step is None:
        count_failure(user, now)
        return False
    if secret:
        user.totp_secret = secret
    user.totp_last_step = step
    user.failed_logins = 0
    return True


def _aware(now: datetime) -> datetime:
    """Our times are naive UTC; timestamp() of a naive time would read it as local time."""
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now
