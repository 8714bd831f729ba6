"""Reading a stage's submitted form into typed values, and checking them against the definition.

Errors are (code, params) pairs; the web layer turns them into sentences in the user's language.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Iterable, Protocol

from portal.domain import numbers
from portal.domain.identifiers import is_isin
from portal.domain.procedures.definitions import Column, DynamicItem, FieldItem, SectionItem
from portal.domain.procedures.limits import default_length
from portal.domain.procedures.runtime import is_filled, node_at, required, visible_items
from portal.domain.text import clean, has_control, one_line

Error = tuple[str, dict]
CURRENCIES = ("KZT", "USD", "EUR", "RUB", "CNY", "GBP")
# DD.MM.YYYY, as people in Kazakhstan write dates (Firefox 33 has no date picker), or ISO
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")  # ASCII digits only


def parse_date(text: str) -> date:
    """A date typed as DD.MM.YYYY or YYYY-MM-DD; ValueError for anything else."""
    text = text.strip()
    dotted = _DOTTED.fullmatch(text)
    if dotted:
        day, month, year = (int(part) for part in dotted.groups())
        return date(year, month, day)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return date.fromisoformat(text)
    raise ValueError(text)


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list: ...


def _text_of(kind: str, raw: str, limit: int | None) -> tuple[str, Error | None]:
    """The cleaned text, cut to its limit; a single-line value is kept on one line."""
    limit = limit or default_length(kind)
    controls = kind != "textarea" and has_control(raw)
    text = clean(raw).strip()
    if controls:
        text = one_line(text)
    if len(text) > limit:
        return text[:limit], ("max_length", {"max": limit})
    return text, ("control", {}) if controls else None


def parse_scalar(kind: str, raw: Any, options=None, limit: int | None = None
                 ) -> tuple[Any, Error | None]:
    """One typed value from its text; (value, None) or (raw text, error). Text is bounded by
    limit (else the type's default) and numbers by portal.domain.numbers."""
    text, problem = _text_of(kind, raw, limit) if isinstance(raw, str) else (raw, None)
    if text in (None, ""):
        return None, problem
    if problem:
        return text, problem
    if kind == "integer":
        number = numbers.integer(str(text))
        return (number, None) if number is not None else (text, (kind, {}))
    if kind in ("decimal", "percent"):
        number = numbers.decimal(str(text))
        return (str(number), None) if number is not None else (text, (kind, {}))
    if kind == "date":
        try:
            return parse_date(str(text)).isoformat(), None
        except ValueError:
            return text, (kind, {})
    if kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        return text, ("email", {})
    if kind == "phone" and not re.fullmatch(r"[0-9+() \-]{5,32}", text):
        return text, ("phone", {})
    if kind in ("bin", "iin") and not re.fullmatch(r"[0-9]{12}", text):
        return text, (kind, {})
    if kind == "isin":
        text = text.upper()
        if not is_isin(text):
            return text, ("isin", {})
    if kind == "choice" and options and text not in {o.value for o in options}:
        return text, ("choice", {})
    if kind == "yesno":
        return {"yes": True, "no": False}.get(text), None
    return text, None


def _bounds(field: FieldItem | Column, value: Any) -> Error | None:
    limits = getattr(field, "min", None), getattr(field, "max", None)
    if isinstance(value, dict):
        value = value.get("amount")
    if value is None or not any(x is not None for x in limits):
        return None
    number = Decimal(str(value))
    if limits[0] is not None and number < Decimal(str(limits[0])):
        return "min", {"min": limits[0]}
    if limits[1] is not None and number > Decimal(str(limits[1])):
        return "max", {"max": limits[1]}
    return None


def read_field(field: FieldItem, form: FormData, prefix: str, store_file: Callable,
               previous: Any) -> tuple[Any, list[tuple[str, Error]]]:
    """The field's new value from the submitted form and the errors found while reading it;
    a field whose value is refused keeps its previous value."""
    name, errors = f"{prefix}{field.id}", []
    if field.type == "money":
        value, err = _read_money(form, name)
        if err:
            errors.append((field.id, err))
    elif field.type == "multichoice":
        allowed = {o.value for o in field.options or ()}
        value = [v for v in form.getlist(name) if v in allowed]
    elif field.type == "file":
        value = store_file(name) or previous
    elif field.type == "table":
        value, errors = _read_table(field, form, name, previous)
    else:
        value, err = parse_scalar(field.type, form.get(name), field.options, field.length_limit)
        if err:
            errors.append((field.id, err))
    if field.pattern and isinstance(value, str) and value and not re.fullmatch(field.pattern, value):
        errors.append((field.id, ("pattern", {})))
    bound = _bounds(field, value) if not errors else None
    if bound:
        errors.append((field.id, bound))
    if field.type != "table" and any(refused(error) for _key, error in errors):
        value = previous  # a refused value is never stored (the form shows what was typed)
    return value, errors


# text cut to its length or put on one line is stored so, with its message; anything else
# wrong (a date, a number, a choice) is refused and the field keeps what it had
CLEANED = {"max_length", "control"}


def refused(error: Error) -> bool:
    return error[0] not in CLEANED


def _read_money(form: FormData, name: str) -> tuple[dict | None, Error | None]:
    amount, err = parse_scalar("decimal", form.get(f"{name}.amount"))
    currency = form.get(f"{name}.currency") or "KZT"
    value = {"amount": amount, "currency": currency} if amount is not None else None
    return value, err or (None if currency in CURRENCIES else ("choice", {}))


def _read_table(field: FieldItem, form: FormData, name: str, previous: Any):
    """The table's rows; at most max_rows are kept. A row count that is not a plain number
    (the page sends it in a hidden input) keeps the rows saved before and says so."""
    count = numbers.whole(form.get(f"{name}.rows") or "0")
    if count is None:
        return previous, [(field.id, ("malformed", {}))]
    rows, errors = [], []
    for r in range(min(count, field.max_rows + 1)):  # the page adds one empty row
        row = {}
        for col in field.columns or ():
            value, err = _read_cell(col, form, f"{name}.{r}.{col.id}")
            if err:
                errors.append((f"{field.id}.{r}.{col.id}", err))
                value = None if refused(err) else value  # refused: not stored
            row[col.id] = value
        if form.get(f"{name}.{r}.remove") or not any(is_filled(v) for v in row.values()):
            continue
        rows.append(row)
    if len(rows) > field.max_rows:
        errors.append((field.id, ("max_rows", {"max": field.max_rows})))
    return rows[:field.max_rows], errors


def _read_cell(col: Column, form: FormData, name: str) -> tuple[Any, Error | None]:
    if col.type == "multichoice":
        allowed = {o.value for o in col.options or ()}
        return [v for v in form.getlist(name) if v in allowed], None
    if col.type == "money":
        return _read_money(form, name)
    return parse_scalar(col.type, form.get(name), col.options, col.length_limit)


def check_required(items: Iterable, values: dict, data: dict) -> list[tuple[str, Error]]:
    """Required fields, table rows and dynamic entries missing among the visible items."""
    errors = []
    for item in visible_items(items, values):
        if isinstance(item, FieldItem):
            value = data.get(item.id)
            if required(item, values) and not is_filled(value):
                errors.append((item.id, ("required", {})))
            if item.type == "table" and is_filled(value):
                errors += _table_required(item, value)
            if (item.type == "table" and item.min_rows and required(item, values)
                    and len(value or []) < item.min_rows):
                errors.append((item.id, ("rows", {"min": item.min_rows})))
        elif isinstance(item, DynamicItem):
            entries = data.get(item.id) or []
            if len(entries) < item.min_entries:
                errors.append((item.id, ("entries", {"min": item.min_entries})))
            for n, entry in enumerate(entries):
                _, leaf = node_at(item.tree, entry["path"])
                leaf_values = dict(values, **entry.get("values", {}))
                for sub_id, err in check_required(leaf.items if leaf else [], leaf_values,
                                                  entry.get("values", {})):
                    errors.append((f"{item.id}.{n}.{sub_id}", err))
    return errors


def _table_required(field: FieldItem, rows: list[dict]) -> list[tuple[str, Error]]:
    return [(f"{field.id}.{r}.{col.id}", ("required", {}))
            for r, row in enumerate(rows) for col in field.columns or ()
            if col.required and not is_filled(row.get(col.id))]


def read_items(items, form: FormData, prefix: str, store_file: Callable, previous: dict
               ) -> tuple[dict, list[tuple[str, Error]]]:
    """Values of every field among items (sections included; dynamic entries are kept)."""
    data, errors = {}, []
    for item in items or ():
        if isinstance(item, FieldItem):
            value, errs = read_field(item, form, prefix, store_file, previous.get(item.id))
            data[item.id] = value
            errors += errs
        elif isinstance(item, SectionItem):
            sub, errs = read_items(item.items, form, prefix, store_file, previous)
            data.update(sub)
            errors += errs
        elif isinstance(item, DynamicItem):
            entries = []
            for n, entry in enumerate(previous.get(item.id) or []):
                _, leaf = node_at(item.tree, entry["path"])
                sub, errs = read_items(leaf.items if leaf else [], form, f"{prefix}{item.id}.{n}.",
                                       store_file, entry.get("values", {}))
                entries.append(dict(entry, values=sub))
                errors += [(f"{item.id}.{n}.{fid}", e) for fid, e in errs]
            data[item.id] = entries
    return data, errors
