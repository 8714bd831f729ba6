"""Loading flow files (portal/procedures/_flows/*.yaml) and checking them against procedures.

A bad flow stops the portal as a bad procedure does: the file, the path inside it, the fault.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from portal.domain.procedures.definitions import FieldItem, Procedure
from portal.domain.workflow.flows import Flow, check_flow, merge
from portal.domain.workflow.registry import EFFECTS, GUARDS

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FlowEntry:
    code: str
    flow: Flow
    digest: str     # sha256 of the resolved definition: a new digest is a new version
    document: dict  # the resolved definition (extends applied), as frozen with applications
    path: Path


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def _read(path: Path) -> dict:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # nosec B506
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: (top): a flow file must be a mapping")
    return document


def load_flows(directory: Path) -> tuple[dict[str, FlowEntry], list[str]]:
    """Every flow in directory by code, and the problems found ('file: path: fault')."""
    raw, paths, errors = {}, {}, []
    for path in sorted(directory.glob("*.yaml")):
        try:
            document = _read(path)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        code = document.get("code") or path.stem
        raw[code], paths[code] = document, path
    flows = {}
    for code, document in raw.items():
        path = paths[code]
        resolved, seen = document, [code]
        while "extends" in resolved:
            parent = resolved["extends"]
            if parent not in raw or parent in seen:
                errors.append(f"{path}: extends: unknown or circular flow '{parent}'")
                break
            seen.append(parent)
            resolved = merge(raw[parent], resolved)
        else:
            try:
                flow = Flow.model_validate(resolved)
            except ValidationError as exc:
                errors += [f"{path}: {_location(e['loc'])}: {e['msg']}" for e in exc.errors()]
                continue
            problems = check_flow(flow, set(GUARDS), set(EFFECTS))
            if problems:
                errors += [f"{path}: {p}" for p in problems]
                continue
            canonical = json.dumps(resolved, sort_keys=True, ensure_ascii=False)
            flows[code] = FlowEntry(code, flow, hashlib.sha256(canonical.encode()).hexdigest(),
                                    resolved, path)
    return flows, errors


def check_procedure(proc: Procedure, entry: FlowEntry, fields: dict[str, FieldItem]) -> list[str]:
    """The procedure fits its flow: its deadlines start from events the flow emits (or from
    its own date fields) and every state that is not closed names one of its processes."""
    flow, errors = entry.flow, []
    deadlines = list(proc.deadlines) + [p.deadline for p in proc.processes if p.deadline]
    for d in deadlines:
        if d.start not in flow.events() and d.start not in fields:
            errors.append(f"deadline '{d.label.en}': start '{d.start}' is neither an event of "
                          f"flow '{entry.code}' ({', '.join(sorted(flow.events()))}) nor a field")
    processes = {p.id for p in proc.processes}
    for state_id, state in flow.states.items():
        if not state.ended and not processes & set(state.process):
            errors.append(f"flow '{entry.code}' state '{state_id}' is in process "
                          f"{'/'.join(state.process)}, which the procedure does not have")
    return errors
