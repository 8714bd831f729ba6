"""Bounds on what one application may hold: a big value once stalled the portal (issue 11).
A definition may set its own (max_length, max_rows, max_entries); these are the defaults."""

LINE_LENGTH = 2_000       # characters in a single-line field or table cell
TEXTAREA_LENGTH = 20_000  # characters in a textarea
MAX_ROWS = 100            # rows of one table field
MAX_ENTRIES = 50          # entries of one dynamic form


def default_length(kind: str) -> int:
    return TEXTAREA_LENGTH if kind == "textarea" else LINE_LENGTH


class LengthLimited:
    """Text columns and fields: their own max_length, else the default for their type."""

    @property
    def length_limit(self) -> int:
        return self.max_length or default_length(self.type)  # type: ignore[attr-defined]
