"""Checks of Kazakhstan's identifiers and ISIN."""
import re


def is_bin_or_iin(value: str) -> bool:
    """BIN and IIN are 12 digits; the 12th is a check digit (two-pass weighted sum mod 11)."""
    if not re.fullmatch(r"[0-9]{12}", value or ""):  # ASCII only: \d takes any script's digits
        return False
    digits = [int(c) for c in value]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        check = sum(d * w for d, w in zip(digits[:11], weights)) % 11
        if check != 10:
            return check == digits[11]
    return False


def is_isin(value: str) -> bool:
    """ISO 6166: two letters, nine alphanumerics, one Luhn check digit over the expanded form."""
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", value or ""):
        return False
    expanded = "".join(str(int(c, 36)) for c in value[:-1])
    total = 0
    for i, ch in enumerate(reversed(expanded)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10 == int(value[-1])
