"""Each validation rule of the catalogue passes and fails at its boundary, and cites its clause."""
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from portal.domain.procedures.catalogue import load_catalogue
from portal.domain.procedures.definitions import (
    AllCondition,
    AnyCondition,
    CompareRule,
    FieldCondition,
    ForbiddenRule,
    IdentifierRule,
    NotCondition,
    ProductRule,
    RatingRule,
    RequiredRule,
    ShareRule,
    SpanRule,
    SumRule,
)
from portal.domain.procedures.rules import SCALES, passes, span_bounds
from portal.domain.procedures.runtime import holds

FILLED = Path(__file__).with_name("data") / "filled"
CATALOGUE = load_catalogue()
RULES = [(code, rule) for code, entry in sorted(CATALOGUE.items()) for rule in entry.procedure.rules]


def satisfy(cond, values):
    """Change values so that the condition holds (the rule then applies)."""
    if cond is None or holds(cond, values):
        return
    if isinstance(cond, FieldCondition):
        if cond.equals is not None:
            values[cond.field] = cond.equals
        elif cond.in_ is not None:
            values[cond.field] = cond.in_[0]
        elif cond.filled is not None:
            values[cond.field] = "x" if cond.filled else None
        else:
            values[cond.field] = None if cond.not_equals is not None else values.get(cond.field)
    elif isinstance(cond, AllCondition):
        for sub in cond.all:
            satisfy(sub, values)
    elif isinstance(cond, AnyCondition):
        satisfy(cond.any[0], values)
    elif isinstance(cond, NotCondition) and isinstance(cond.not_, FieldCondition):
        inner = cond.not_
        if inner.filled is not None:
            values[inner.field] = None if inner.filled else "x"
        elif isinstance(inner.equals, bool):
            values[inner.field] = not inner.equals
        else:
            values[inner.field] = "__other__"


def amount(value):
    return Decimal(str(value["amount"] if isinstance(value, dict) else value))


def shifted(value, step: int):
    """The value moved by a small step up (1) or down (-1), keeping its shape."""
    if isinstance(value, bool):
        return value if step == 0 else not value
    if isinstance(value, str):
        try:
            return (date.fromisoformat(value) + timedelta(days=step)).isoformat()
        except ValueError:
            return value if step == 0 else value + "-other"
    if isinstance(value, dict):
        return dict(value, amount=str(amount(value) + step))
    return value + step


def boundary(rule, values):
    """(passing values, failing values) for the rule, around its boundary."""
    ok, bad = dict(values), dict(values)
    if isinstance(rule, CompareRule):
        base = values.get(rule.other) if rule.other else rule.value
        if base in (None, ""):
            base = values.get(rule.field) if values.get(rule.field) not in (None, "") else 10
            base = 10 if rule.column else base
            ok[rule.other] = bad[rule.other] = base
        up, down = shifted(base, 1), shifted(base, -1)
        cases = {">=": (base, down), ">": (up, base), "<=": (base, up), "<": (down, base),
                 "==": (base, up), "!=": (up, base)}
        good, wrong = cases[rule.op]
        if rule.column:  # every row's cell is compared: one row with the boundary value
            row = (values.get(rule.field) or [{}])[0]
            good, wrong = [dict(row, **{rule.column: good})], [dict(row, **{rule.column: wrong})]
        ok[rule.field], bad[rule.field] = good, wrong
    elif isinstance(rule, ProductRule):
        product = Decimal(1)
        for factor in rule.factors:
            if values.get(factor) in (None, ""):
                ok[factor] = bad[factor] = 3
            product *= amount(ok[factor])
        shape = values.get(rule.field)
        make = (lambda n: dict(shape, amount=str(n))) if isinstance(shape, dict) else (lambda n: n)
        ok[rule.field], bad[rule.field] = make(product), make(product + 1)
    elif isinstance(rule, ShareRule):
        shape = values.get(rule.total)
        make = (lambda n: dict(shape, amount=str(n))) if isinstance(shape, dict) else (lambda n: n)
        ok[rule.total] = bad[rule.total] = make(Decimal(100))
        for part in rule.parts:
            ok[part] = bad[part] = make(Decimal(0)) if isinstance(values.get(part), dict) else 0
        first = rule.parts[0]
        limit = Decimal(str(rule.max_percent))
        partshape = values.get(first)
        pmake = (lambda n: dict(partshape, amount=str(n))) if isinstance(partshape, dict) else (lambda n: n)
        ok[first], bad[first] = pmake(limit), pmake(limit + 1)
    elif isinstance(rule, RatingRule):
        agency, minimum = next(iter(rule.minimum.items()))
        scale = SCALES[agency]
        ok[rule.agency_field] = bad[rule.agency_field] = agency
        ok[rule.field], bad[rule.field] = minimum, scale[scale.index(minimum) + 1]
    elif isinstance(rule, ForbiddenRule):
        ok[rule.field] = (not rule.value) if isinstance(rule.value, bool) else "__other__"
        bad[rule.field] = rule.value
    elif isinstance(rule, SpanRule):
        start = date.fromisoformat(str(values.get(rule.start) or "2025-01-31"))
        ok[rule.start] = bad[rule.start] = start.isoformat()
        limit = span_bounds(rule, start)[1]
        ok[rule.field], bad[rule.field] = limit.isoformat(), (limit + timedelta(days=1)).isoformat()
    elif isinstance(rule, SumRule):
        target = Decimal(str(rule.value))
        for part in rule.parts[1:]:
            ok[part] = bad[part] = 0
        first = rule.parts[0]
        cases = {"<=": (target, target + 1), "<": (target - 1, target), "==": (target, target + 1),
                 ">=": (target, target - 1), ">": (target + 1, target), "!=": (target + 1, target)}
        ok[first], bad[first] = cases[rule.op]
    elif isinstance(rule, RequiredRule):
        ok[rule.field] = values.get(rule.field) or "x"
        bad[rule.field] = None
    elif isinstance(rule, IdentifierRule):
        valid = str(values[rule.field])  # the filled example's identifier, with its check digit
        wrong = (valid[:-1] + d for d in "0123456789")
        bad[rule.field] = next(v for v in wrong if not passes(rule, dict(values, **{rule.field: v})))
    return ok, bad


@pytest.mark.parametrize("code,rule", RULES, ids=[f"{c}:{r.id}" for c, r in RULES])
def test_rule_boundary(code, rule):
    values = yaml.safe_load((FILLED / f"{code}.yaml").read_text(encoding="utf-8"))
    assert passes(rule, values), "the filled example must pass every rule"
    satisfy(rule.when, values)
    assert holds(rule.when, values), "the rule's condition could not be met"
    ok, bad = boundary(rule, values)
    assert holds(rule.when, ok) and holds(rule.when, bad)
    assert passes(rule, ok), ok
    assert not passes(rule, bad), bad
    assert rule.clause.en and rule.clause.ru and rule.clause.kk


def test_every_rule_is_exercised():
    assert len(RULES) >= 100
