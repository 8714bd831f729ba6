"""Flow files are validated like the catalogue: a bad one stops the portal with its file,
the path inside it and the fault."""
from pathlib import Path

import pytest
import yaml
from flow_support import PROCEDURE

from portal.domain.procedures.catalogue import DEFAULT_DIR, CatalogueError, load_catalogue
from portal.domain.workflow.flows import merge
from portal.domain.workflow.loading import load_flows

SHIPPED = DEFAULT_DIR / "_flows"


def standard() -> dict:
    return yaml.safe_load((SHIPPED / "standard.yaml").read_text(encoding="utf-8"))


def catalogue_with(tmp_path: Path, flow: dict, procedure: str = PROCEDURE) -> Path:
    root = tmp_path / "catalogue"
    (root / "_flows").mkdir(parents=True, exist_ok=True)
    (root / "listing").mkdir(exist_ok=True)
    (root / "_flows" / "standard.yaml").write_text(yaml.safe_dump(flow, allow_unicode=True),
                                                    encoding="utf-8")
    (root / "listing" / "flow-test.yaml").write_text(procedure, encoding="utf-8")
    return root


def errors_of(root: Path) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root)
    return "\n".join(caught.value.errors)


def test_the_shipped_flows_are_valid():
    flows, errors = load_flows(SHIPPED)
    assert errors == [] and {"standard", "report"} <= set(flows)


def test_an_unknown_state_is_refused_with_its_path(tmp_path):
    flow = standard()
    flow["transitions"][0]["to"] = "nowhere"
    found = errors_of(catalogue_with(tmp_path, flow))
    assert "_flows/standard.yaml: transitions[0] (send_for_approval): unknown state 'nowhere'" \
        in found


def test_an_unreachable_state_is_refused(tmp_path):
    flow = standard()
    flow["states"]["limbo"] = {"phase": "closed", "label": {"kk": "x", "ru": "x", "en": "x"}}
    assert "states.limbo: unreachable from 'draft'" in errors_of(catalogue_with(tmp_path, flow))


def test_a_transition_nobody_may_fire_is_refused(tmp_path):
    flow = standard()
    flow["transitions"][1]["by"] = []
    assert "transitions[1].by: List should have at least 1 item" in errors_of(
        catalogue_with(tmp_path, flow))


def test_an_unknown_actor_guard_or_effect_is_refused(tmp_path):
    flow = standard()
    flow["transitions"][0]["guards"] = ["moon_is_full"]
    flow["transitions"][1]["effects"] = ["print_money"]
    found = errors_of(catalogue_with(tmp_path, flow))
    assert "unknown guard 'moon_is_full'" in found and "unknown effect 'print_money'" in found
    flow = standard()
    flow["transitions"][0]["by"] = ["janitor"]
    assert "transitions[0].by[0]" in errors_of(catalogue_with(tmp_path, flow))


def test_a_deadline_on_an_event_no_transition_emits_is_refused(tmp_path):
    flow = standard()
    for transition in flow["transitions"]:
        if transition.get("emits") == "registered":
            del transition["emits"]
    found = errors_of(catalogue_with(tmp_path, flow))
    assert "listing/flow-test.yaml: deadline '10 working days': start 'registered' is neither " \
           "an event of flow 'standard'" in found


def test_a_procedure_must_have_the_processes_its_flow_names(tmp_path):
    procedure = PROCEDURE.replace("  - {id: registration, actor: office,", "  - {id: intake, actor: office,")
    found = errors_of(catalogue_with(tmp_path, standard(), procedure))
    assert "state 'submitted' is in process registration, which the procedure does not have" \
        in found


def test_a_procedure_naming_an_unknown_flow_is_refused(tmp_path):
    procedure = PROCEDURE.replace("code: flow-test\n", "code: flow-test\nflow: secret\n")
    assert "flow: unknown flow 'secret'" in errors_of(catalogue_with(tmp_path, standard(),
                                                                     procedure))


def test_a_flow_extends_another_and_overrides_only_what_differs():
    base = standard()
    child = {"code": "short", "extends": "standard", "remove": ["meeting", "schedule_meeting"],
             "states": {"accepted": dict(base["states"]["accepted"],
                                         label={"kk": "a", "ru": "b", "en": "Report approved"})}}
    merged = merge(base, child)
    ids = [t["id"] for t in merged["transitions"]]
    assert "schedule_meeting" not in ids and "meeting" not in merged["states"]
    accept = next(t for t in merged["transitions"] if t["id"] == "accept")
    assert accept["from"] == ["in_review"]  # the removed state left its source list
    assert merged["states"]["accepted"]["label"]["en"] == "Report approved"
    assert len(ids) == len(base["transitions"]) - 1


def test_the_report_flow_has_no_meeting():
    flows, _ = load_flows(SHIPPED)
    report = flows["report"].flow
    assert "meeting" not in report.states and report.transition("schedule_meeting") is None
    assert report.states["accepted"].label.en == "Report approved"


def test_check_catalogue_checks_flows(tmp_path, app):
    flow = standard()
    flow["transitions"][0]["to"] = "nowhere"
    root = catalogue_with(tmp_path, flow)
    from portal.domain.procedures import check
    assert check.main([str(root)]) == 1
    result = app.test_cli_runner().invoke(args=["check-catalogue"])
    assert result.exit_code == 0 and "flows valid" in result.output
