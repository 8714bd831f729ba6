"""Cleaning what users type: no NUL (PostgreSQL refuses it), no zero-width or bidi marks."""
import re
import unicodedata

_UNWANTED = re.compile("[\x00\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value):
    """NFC-normalised text without NUL and format marks; other values pass unchanged."""
    if not isinstance(value, str):
        return value
    return _UNWANTED.sub("", unicodedata.normalize("NFC", value))
