"""The regulations' validation rules, evaluated over an application's values."""
from __future__ import annotations

import calendar
import operator
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.domain.identifiers import is_bin_or_iin
from portal.domain.procedures.definitions import (
    CompareRule,
    ForbiddenRule,
    IdentifierRule,
    ProductRule,
    RatingRule,
    RequiredRule,
    Rule,
    ShareRule,
    SpanRule,
    SumRule,
)
from portal.domain.procedures.runtime import holds, is_filled

OPS = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
       ">=": operator.ge, ">": operator.gt}
# long-term scales, best first (S&P and Fitch share one)
SCALES = {
    "sp": ["AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+", "BB", "BB-",
           "B+", "B", "B-", "CCC+", "CCC", "CCC-", "CC", "C", "D"],
    "moodys": ["Aaa", "Aa1", "Aa2", "Aa3", "A1", "A2", "A3", "Baa1", "Baa2", "Baa3", "Ba1", "Ba2",
               "Ba3", "B1", "B2", "B3", "Caa1", "Caa2", "Caa3", "Ca", "C"],
}
SCALES["fitch"] = SCALES["sp"]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    # only plain numbers count: NaN, Infinity or 1e999999 (a refused value is kept as typed)
    # would raise in a comparison or overflow in a product
    return number if number.is_finite() and abs(number.adjusted()) <= 30 else None


def _comparable(value: Any):
    number = _number(value)
    return number if number is not None else value


def passes(rule: Rule, values: dict) -> bool:
    """True when the rule holds, or when it does not apply (its condition or data is missing)."""
    if not holds(rule.when, values):
        return True
    value = values.get(rule.field)
    if isinstance(rule, RequiredRule):
        return is_filled(value)
    if isinstance(rule, ForbiddenRule):
        return value != rule.value
    if not is_filled(value):
        return True
    if isinstance(rule, CompareRule):
        other = values.get(rule.other) if rule.other else rule.value
        if not is_filled(other):
            return True
        if rule.column:
            cells = [row.get(rule.column) for row in value if isinstance(row, dict)]
            return all(_compare(rule.op, cell, other) for cell in cells if is_filled(cell))
        return _compare(rule.op, value, other)
    if isinstance(rule, ProductRule):
        factors = [_number(values.get(f)) for f in rule.factors]
        if any(f is None for f in factors) or _number(value) is None:
            return True
        product = Decimal(1)
        for f in factors:
            product *= f
        return _number(value) == product
    if isinstance(rule, ShareRule):
        total = _number(values.get(rule.total))
        parts = [_number(values.get(p)) or Decimal(0) for p in rule.parts]
        if not total:
            return True
        return sum(parts) * 100 <= total * Decimal(str(rule.max_percent))
    if isinstance(rule, SpanRule):
        start = values.get(rule.start)
        if not is_filled(start):
            return True
        try:
            start, end = date.fromisoformat(str(start)), date.fromisoformat(str(value))
        except ValueError:
            return True  # a malformed date is the date field's own error
        earliest, latest = span_bounds(rule, start)
        return (earliest is None or earliest <= end) and end <= latest
    if isinstance(rule, SumRule):
        parts = [_number(values.get(p)) for p in rule.parts]
        if any(p is None for p in parts):
            return True
        return OPS[rule.op](sum(parts), Decimal(str(rule.value)))
    if isinstance(rule, RatingRule):
        agency = values.get(rule.agency_field)
        scale, minimum = SCALES.get(agency), rule.minimum.get(agency)
        if not scale or minimum is None:
            return True
        return value in scale and scale.index(value) <= scale.index(minimum)
    if isinstance(rule, IdentifierRule):
        checks = {"bin": is_bin_or_iin, "rnn": is_rnn}
        return any(checks[kind](str(value)) for kind in rule.formats)
    raise TypeError(rule)


def _compare(op: str, value: Any, other: Any) -> bool:
    try:
        return OPS[op](_comparable(value), _comparable(other))
    except TypeError:
        return False


def span_bounds(rule: SpanRule, start: date) -> tuple[date | None, date]:
    """The earliest (None without `min`) and the latest end the span rule allows from start."""
    def end_after(count: int) -> date:
        if rule.unit == "days":
            later = start + timedelta(days=count)
        else:
            later = add_months(start, count)
            if later.day != start.day:  # no such day that month: the span ends on its last day
                return later
        return later - timedelta(days=1) if rule.inclusive else later
    return (None if rule.min is None else end_after(rule.min)), end_after(rule.max)


def is_rnn(value: str) -> bool:
    """The taxpayer registration number (RNN) used until 2013: 12 digits, the last a check digit,
    the sum of the first 11 weighted 1..10 cyclically, mod 11, the weights shifted by one for as
    long as that gives 10."""
    if not re.fullmatch(r"\d{12}", value or ""):
        return False
    digits = [int(c) for c in value]
    for shift in range(10):
        check = sum(d * ((i + shift) % 10 + 1) for i, d in enumerate(digits[:11])) % 11
        if check != 10:
            return check == digits[11]
    return False


def add_months(day: date, months: int) -> date:
    """The same day so many months later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
