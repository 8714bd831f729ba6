"""The rule kinds themselves, on hand-made values."""
from datetime import date

import pytest

from portal.domain.procedures.definitions import (
    CompareRule,
    IdentifierRule,
    RatingRule,
    SpanRule,
    SumRule,
)
from portal.domain.procedures.rules import add_months, is_rnn, passes

TEXT = {"kk": "x", "ru": "x", "en": "x"}


def rule(cls, **fields):
    return cls.model_validate(dict(id="r", clause=TEXT, message=TEXT, **fields))


@pytest.mark.parametrize("start,months,end", [
    (date(2026, 11, 30), 3, date(2027, 2, 28)), (date(2024, 11, 30), 3, date(2025, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)), (date(2026, 1, 15), 12, date(2027, 1, 15))])
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months, end):
    assert add_months(start, months) == end


def test_span_in_months_and_days():
    months = rule(SpanRule, kind="span", field="end", start="start", max=3, unit="months")
    assert passes(months, {"start": "2026-11-30", "end": "2027-02-28"})
    assert not passes(months, {"start": "2026-11-30", "end": "2027-03-01"})
    days = rule(SpanRule, kind="span", field="end", start="start", max=45, unit="days")
    assert passes(days, {"start": "2026-01-01", "end": "2026-02-15"})
    assert not passes(days, {"start": "2026-01-01", "end": "2026-02-16"})
    assert passes(days, {"start": None, "end": "2030-01-01"})  # nothing to compare yet


def test_sum_of_percentages():
    split = rule(SumRule, kind="sum", field="b", parts=["a", "b"], op="==", value=100)
    assert passes(split, {"a": "60", "b": "40"})
    assert not passes(split, {"a": "60", "b": "40.01"})


def test_rating_scales():
    minimum = rule(RatingRule, kind="rating", field="rating", agency_field="agency",
                   minimum={"sp": "B", "fitch": "B", "moodys": "B2"})
    assert passes(minimum, {"agency": "moodys", "rating": "B2"})
    assert passes(minimum, {"agency": "sp", "rating": "BBB-"})
    assert not passes(minimum, {"agency": "moodys", "rating": "B3"})
    assert not passes(minimum, {"agency": "fitch", "rating": "B-"})
    assert not passes(minimum, {"agency": "sp", "rating": "nonsense"})


def test_compare_money_with_money_and_dates():
    later = rule(CompareRule, kind="compare", field="end", op=">=", other="start")
    assert passes(later, {"start": "2026-01-01", "end": "2026-01-01"})
    assert not passes(later, {"start": "2026-01-02", "end": "2026-01-01"})
    cheaper = rule(CompareRule, kind="compare", field="low", op="<=", other="high")
    assert passes(cheaper, {"low": {"amount": "9.99", "currency": "KZT"}, "high": {"amount": "10", "currency": "KZT"}})
    assert not passes(cheaper, {"low": {"amount": "10.01", "currency": "KZT"}, "high": {"amount": "10", "currency": "KZT"}})


def test_span_with_a_least_length_and_inclusive_ends():
    next_day = rule(SpanRule, kind="span", field="start", start="previous_end", min=1, max=1,
                    unit="days")
    assert passes(next_day, {"previous_end": "2025-12-31", "start": "2026-01-01"})
    assert not passes(next_day, {"previous_end": "2025-12-31", "start": "2026-01-02"})
    assert not passes(next_day, {"previous_end": "2025-12-31", "start": "2025-12-31"})
    year = rule(SpanRule, kind="span", field="end", start="start", max=12, unit="months",
                inclusive=True)
    assert passes(year, {"start": "2025-01-15", "end": "2026-01-14"})
    assert not passes(year, {"start": "2025-01-15", "end": "2026-01-15"})
    # a month without the start's day: the span ends on that month's last day
    assert passes(year, {"start": "2024-02-29", "end": "2025-02-28"})
    assert not passes(year, {"start": "2024-02-29", "end": "2025-03-01"})
    six = rule(SpanRule, kind="span", field="end", start="start", min=6, max=6, unit="months")
    assert passes(six, {"start": "2004-03-01", "end": "2004-09-01"})
    assert not passes(six, {"start": "2004-03-01", "end": "2004-08-31"})
    assert not passes(six, {"start": "2004-03-01", "end": "2004-09-02"})
    with pytest.raises(ValueError):
        rule(SpanRule, kind="span", field="end", start="start", min=7, max=6, unit="months")


def test_compare_a_table_column_in_every_row():
    at_most = rule(CompareRule, kind="compare", field="rows", column="pct", op="<=", value=100)
    assert passes(at_most, {"rows": [{"pct": "100"}, {"pct": None}, {"pct": "0.5"}]})
    assert not passes(at_most, {"rows": [{"pct": "20"}, {"pct": "100.01"}]})
    assert passes(at_most, {"rows": []})


def test_identifier_bin_or_rnn_each_with_its_check_digit():
    either = rule(IdentifierRule, kind="identifier", field="n", formats=["bin", "rnn"])
    assert passes(either, {"n": "040340001233"})  # a BIN
    assert passes(either, {"n": "600900533808"})  # an RNN, not a valid BIN
    assert not passes(either, {"n": "600900533809"})
    assert not passes(either, {"n": "040340001234"})
    assert not passes(rule(IdentifierRule, kind="identifier", field="n", formats=["bin"]),
                      {"n": "600900533808"})
    assert is_rnn("600700628186") and not is_rnn("60070062818") and not is_rnn("60070062818x")
