"""The quick performance guard (issue 15): each page's cost against the floor (`/healthz`),
in-process, interleaved in rounds within this one run; never an absolute time."""
import statistics
import time
from pathlib import Path

import pytest
from conftest import login_as

from bench.data import populate
from bench.run import endpoints, save_form
from bench.targets import GUARD
from portal.models import User

pytestmark = pytest.mark.bench
ROUNDS, FLOOR_CALLS, PAGE_CALLS = 5, 40, 3


@pytest.fixture
def catalogue_dir():
    return str(Path(__file__).resolve().parents[1] / "portal" / "procedures")


def _cost(client, spec, calls: int) -> float:
    method, paths, headers, body, _who = spec
    started = time.perf_counter()
    for _ in range(calls):
        r = client.open(paths[0], method=method, headers=headers, data=body or None)
        assert r.status_code == 200, (paths[0], r.status_code)
    return (time.perf_counter() - started) / calls


def measure_ratios(client, specs: dict) -> dict:
    ratios = {name: [] for name in specs if name != "floor"}
    for _ in range(ROUNDS):
        floor = _cost(client, specs["floor"], FLOOR_CALLS)
        for name in ratios:
            ratios[name].append(_cost(client, specs[name], PAGE_CALLS) / floor)
    return {name: statistics.median(values) for name, values in ratios.items()}


def test_no_page_costs_more_than_twice_its_budget(app, db, client):
    data = populate(client, db, size=300, filled=30)
    login_as(client, db.query(User).filter_by(email=data.emails["author"]).one())
    bond = data.bond_urls[0]
    body = save_form(client.get(f"{bond}?stage=title_page").get_data(as_text=True), bond)
    specs = {name: spec for name, spec in endpoints(data, None, None, body).items()
             if name in GUARD or name == "floor"}
    ratios = measure_ratios(client, specs)
    print("cost / floor:", {k: round(v, 1) for k, v in ratios.items()})
    over = {name: (round(ratio, 1), GUARD[name]) for name, ratio in ratios.items()
            if ratio > 2 * GUARD[name]}
    assert not over, f"more than twice the budget (ratio, budget): {over}"
