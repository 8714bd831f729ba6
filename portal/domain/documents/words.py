"""Amounts and counts in words, as the certificate forms want them ("in figures and words"), in
Kazakh and Russian: num2words does the words (its Kazakh is `kz`); we only group the figures."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from num2words import num2words

_LANG = {"kk": "kz", "ru": "ru"}  # English certificates are not issued: they fall back to Russian
_TENGE = {"kk": ("теңге", "тиын"), "ru": ("тенге", "тиын")}


def figures(number: int) -> str:
    """12345678901 → "12 345 678 901" (no-break spaces, so a figure never splits across lines)."""
    return f"{number:,}".replace(",", "\u00a0")


def in_words(number: int, language: str) -> str:
    return num2words(int(number), lang=_LANG.get(language, "ru"))


def count_text(number, language: str) -> str:
    """"500 000 (пятьсот тысяч)"; an unreadable value is shown as it came."""
    try:
        whole = int(number)
    except (TypeError, ValueError):
        return str(number or "")
    return f"{figures(whole)} ({in_words(whole, language)})"


def amount_text(amount, language: str) -> str:
    """"10 000 (десять тысяч) тенге 50 тиын": whole tenge in words, tiyn in figures."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(amount or "")
    tenge, tiyn = divmod(int(value * 100), 100)
    unit, cents = _TENGE.get(language, _TENGE["ru"])
    text = f"{count_text(tenge, language)} {unit}"
    return f"{text} {tiyn:02d} {cents}" if tiyn else text
