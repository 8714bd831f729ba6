"""The guide's password rule (G-8.2), hashing, expiry and reuse (SECURITY.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults (RFC 9106's low-memory profile) until the app sets its PASSWORD_HASH
_PARAMETERS: dict = {}
_HASHER = PasswordHasher()
_COMMON = frozenset(
    line.strip().lower()
    for line in (Path(__file__).with_name("common_passwords.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
SPECIALS = r"""!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"""


@dataclass(frozen=True)
class PasswordPolicy:
    """Defaults are the guide's: 8–12 characters, four classes, 60 days, no reuse of the last 5."""

    min_length: int = 8
    max_length: int = 12
    max_age_days: int = 60
    history: int = 5

    def problems(self, password: str) -> list[str]:
        """Message ids (see portal/i18n_messages.py) for each rule the password breaks."""
        found = []
        if not self.min_length <= len(password) <= self.max_length:
            found.append("length")
        if not re.search(r"\d", password):
            found.append("digit")
        if not re.search(r"[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]", password):
            found.append("upper")
        if not re.search(r"[a-zа-яәғқңөұүһіё]", password):
            found.append("lower")
        if not re.search(f"[{SPECIALS}]", password):
            found.append("special")
        if password.lower() in _COMMON:
            found.append("common")
        return found

    def expired(self, changed_at: datetime | None, now: datetime) -> bool:
        return changed_at is None or now - changed_at > timedelta(days=self.max_age_days)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work for unknown users too: a dummy hash is verified when there is none."""
    try:
        return _HASHER.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_PASSWORD = "not-a-real-password-Xy1!"
_DUMMY = _HASHER.hash(_DUMMY_PASSWORD)


def use_hash_parameters(**parameters) -> None:
    """The argon2 cost of new hashes (PasswordHasher's keyword arguments; none: its defaults).
    A hash keeps the cost it was made with, so older hashes still verify. The dummy hash is
    remade with the same cost, so unknown users still cost as much as known ones."""
    global _PARAMETERS, _HASHER, _DUMMY
    if parameters != _PARAMETERS:
        hasher = PasswordHasher(**parameters)
        _PARAMETERS, _HASHER, _DUMMY = parameters, hasher, hasher.hash(_DUMMY_PASSWORD)
