"""Every numbered item of the two regulations is cited exactly once by the catalogue."""
import csv
from collections import Counter
from pathlib import Path

from portal.domain.procedures.catalogue import all_refs, load_catalogue

CHECKLIST = Path(__file__).with_name("data") / "seed-items-checklist.tsv"


def checklist_ids() -> list[str]:
    with CHECKLIST.open(encoding="utf-8") as fh:
        return [row["id"] for row in csv.DictReader(fh, delimiter="\t")]


def test_every_checklist_item_is_cited_exactly_once():
    known = checklist_ids()
    cited = Counter(ref for entry in load_catalogue().values() for ref in all_refs(entry.procedure))
    missing = [i for i in known if i not in cited]
    unknown = sorted(set(cited) - set(known))
    twice = sorted(r for r, n in cited.items() if n > 1)
    assert not missing, f"{len(missing)} checklist ids are not cited: {missing}"
    assert not unknown, f"refs that are not in the checklist: {unknown}"
    assert not twice, f"refs cited more than once: {twice}"
