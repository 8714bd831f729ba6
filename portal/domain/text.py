"""Cleaning what users type: no NUL or other control codes (PostgreSQL refuses NUL), and no
invisible characters: every format character (Unicode category Cf: zero-width and bidi marks,
U+00AD, U+061C, U+FEFF, U+2060, U+180E, tag characters …) by category, not by a list, plus the
separators and fillers that render as nothing although Unicode files them elsewhere."""
import unicodedata

# U+2028/U+2029 are Zl/Zp; the Hangul fillers are letters (Lo) that show as blank space
INVISIBLE = frozenset("\u2028\u2029\u115f\u1160\u3164\uffa0\u034f")
LINE_BREAKS = frozenset("\t\n\r")  # the only control codes a multi-line text keeps


def is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return (category == "Cf" or char in INVISIBLE
            or (category == "Cc" and char not in LINE_BREAKS))


def clean(value):
    """NFC-normalised text without invisible characters; other values pass unchanged."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    return "".join(c for c in text if not is_invisible(c))


def has_control(value) -> bool:
    """True if a single-line text holds a control code (CR, LF, TAB, ESC …) or a line separator."""
    return isinstance(value, str) and any(unicodedata.category(c) in ("Cc", "Zl", "Zp")
                                          for c in value)


def one_line(value) -> str:
    """User text for a plain-text mail: every line break and control code becomes a space, so
    the text cannot start a line of its own and pose as the portal's words."""
    text = str(value or "")
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                            for c in text).split())
