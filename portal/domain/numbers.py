"""Numbers from what users send, parsed in one place: ASCII digits only, within range.

Python's int() and Decimal() accept far more than a form should: other scripts' digits
("²", "٣"), NaN, sNaN, Infinity, exponents ("1e999999") and thousands of digits. Each of those
once reached a comparison, a database offset or a PDF and gave a 500.
"""
from __future__ import annotations

import re
from decimal import Decimal

BIGGEST = 10 ** 18 - 1  # fits a 64-bit integer column and a database offset
_WHOLE = re.compile(r"[0-9]{1,18}")
_SIGNED = re.compile(r"[+-]?[0-9]{1,18}")
# at most 18 digits before the point and 10 after it: no exponent, no NaN, no Infinity
_DECIMAL = re.compile(r"[+-]?[0-9]{1,18}(?:[.,][0-9]{1,10})?")


def whole(raw, low: int = 0, high: int = BIGGEST) -> int | None:
    """A whole number written with ASCII digits only, low ≤ n ≤ high; None for anything else."""
    if not isinstance(raw, str) or not _WHOLE.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def integer(text: str) -> int | None:
    """A signed whole number (spaces between digit groups allowed); None if it is not one."""
    compact = text.replace(" ", "")
    return int(compact) if _SIGNED.fullmatch(compact) else None


def decimal(text: str) -> Decimal | None:
    """A finite decimal with a point or a comma (spaces between digit groups allowed)."""
    compact = text.replace(" ", "")
    return Decimal(compact.replace(",", ".")) if _DECIMAL.fullmatch(compact) else None
