"""Loading and checking the procedure catalogue (portal/procedures/<category>/*.yaml).

Check a catalogue without starting the portal: `python -m portal.domain.check [DIR]`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic import ValidationError

from portal.domain.procedures.definitions import (
    AllCondition,
    AnyCondition,
    Condition,
    DynamicItem,
    FieldCondition,
    FieldItem,
    Item,
    NotCondition,
    Procedure,
    SectionItem,
)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "procedures"
# libyaml's safe loader when present: the catalogue is large and read at every start
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueError(Exception):
    """The catalogue is not valid; .errors lists 'file: path: what is wrong' lines."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Entry:
    procedure: Procedure
    path: Path
    digest: str  # sha256 of the canonical definition: a new digest is a new version
    document: dict
    flow: Any = None  # the FlowEntry of the flow the procedure names


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def walk_items(items: list[Item] | None) -> Iterator[Item]:
    """Every item under these, depth first, dynamic leaves' forms included."""
    for item in items or ():
        yield item
        if isinstance(item, SectionItem):
            yield from walk_items(item.items)
        elif isinstance(item, DynamicItem):
            if item.key:
                yield item.key
            stack = list(item.tree)
            while stack:
                node = stack.pop()
                stack.extend(node.children or ())
                yield from walk_items(node.items)


def procedure_items(proc: Procedure) -> Iterator[Item]:
    for process in proc.processes:
        for sub in process.subprocesses:
            for stage in sub.stages:
                for form in stage.forms:
                    yield from walk_items(form.items)
    for output in proc.outputs:
        yield from walk_items(output.items)


def condition_fields(cond: Condition | None) -> Iterator[str]:
    if cond is None:
        return
    if isinstance(cond, FieldCondition):
        yield cond.field
    elif isinstance(cond, (AllCondition, AnyCondition)):
        for sub in cond.all if isinstance(cond, AllCondition) else cond.any:
            yield from condition_fields(sub)
    elif isinstance(cond, NotCondition):
        yield from condition_fields(cond.not_)


def all_refs(proc: Procedure) -> Iterator[str]:
    """Every seed ref the procedure cites, with repeats, so duplicates can be found."""
    for item in procedure_items(proc):
        if item.ref:
            yield item.ref
        for col in getattr(item, "columns", None) or ():
            if col.ref:
                yield col.ref
    for process in proc.processes:
        if process.deadline and process.deadline.ref:
            yield process.deadline.ref
    for group in (proc.notes, proc.provisions, proc.rules, proc.deadlines, proc.refusal_grounds,
                  proc.outputs):
        for thing in group:
            if thing.ref:
                yield thing.ref
    for process in proc.processes:
        for sub in process.subprocesses:
            for stage in sub.stages:
                for form in stage.forms:
                    if form.ref:
                        yield form.ref


def _cross_check(proc: Procedure) -> list[str]:
    """Checks pydantic cannot make alone: ids unique, references pointing at real fields."""
    errors: list[str] = []
    ids: dict[str, int] = {}
    fields: dict[str, FieldItem] = {}
    for item in procedure_items(proc):
        ids[item.id] = ids.get(item.id, 0) + 1
        if isinstance(item, FieldItem):
            fields[item.id] = item
    errors += [f"item id '{i}' is used {n} times" for i, n in ids.items() if n > 1]
    stage_ids = [s.id for p in proc.processes for sp in p.subprocesses for s in sp.stages]
    errors += [f"stage id '{s}' is used twice" for s in set(stage_ids) if stage_ids.count(s) > 1]
    for item in procedure_items(proc):
        for name in list(condition_fields(item.show_if)) + list(
                condition_fields(getattr(item, "required_if", None))):
            if name not in fields:
                errors.append(f"item '{item.id}': condition names unknown field '{name}'")
    for rule in proc.rules:
        named = [rule.field, *condition_fields(rule.when)]
        named += [getattr(rule, "other", None)] + list(getattr(rule, "factors", []) or [])
        named += list(getattr(rule, "parts", []) or []) + [getattr(rule, "total", None),
                                                            getattr(rule, "agency_field", None),
                                                            getattr(rule, "start", None)]
        for name in filter(None, named):
            if name not in fields:
                errors.append(f"rule '{rule.id}': names unknown field '{name}'")
    refs = list(all_refs(proc))
    errors += [f"ref '{r}' is cited twice" for r in sorted(set(refs)) if refs.count(r) > 1]
    return errors


_LOADED: dict[Path, tuple[tuple, Entry]] = {}


def load_file(path: Path) -> Entry:
    """A file's entry; a file unchanged since it was last read in this process is not re-read."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(path)
    if cached and cached[0] == key:
        return cached[1]
    entry = _read_file(path)
    _LOADED[path] = (key, entry)
    return entry


def _read_file(path: Path) -> Entry:
    try:
        # SAFE_LOADER is libyaml's or PyYAML's safe loader
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # nosec B506
    except yaml.YAMLError as exc:
        raise CatalogueError([f"{path}: not valid YAML: {exc}"]) from None
    if not isinstance(document, dict):
        raise CatalogueError([f"{path}: (top): a procedure file must be a mapping"])
    try:
        proc = Procedure.model_validate(document)
    except ValidationError as exc:
        raise CatalogueError([f"{path}: {_location(e['loc'])}: {e['msg']}"
                              for e in exc.errors()]) from None
    problems = _cross_check(proc)
    if path.parent.name != proc.category.value:
        problems.append(f"file is in folder '{path.parent.name}' but its category is "
                        f"'{proc.category.value}'")
    if problems:
        raise CatalogueError([f"{path}: {p}" for p in problems])
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return Entry(proc, path, hashlib.sha256(canonical.encode()).hexdigest(), document)


def flows_dir(directory: Path) -> Path:
    """The flows beside the procedures (<dir>/_flows), or the shipped ones when a catalogue
    folder has none of its own."""
    own = directory / "_flows"
    return own if own.is_dir() else DEFAULT_DIR / "_flows"


def fields_of(proc: Procedure) -> dict[str, FieldItem]:
    return {i.id: i for i in procedure_items(proc) if isinstance(i, FieldItem)}


def load_catalogue(directory: Path = DEFAULT_DIR) -> dict[str, Entry]:
    """All procedures under directory, by code; raises CatalogueError listing every problem."""
    # imported here: the flow registry reaches back into applications, which use this module
    from portal.domain.workflow.loading import check_procedure, load_flows
    entries: dict[str, Entry] = {}
    seen_refs: dict[str, str] = {}
    flows, errors = load_flows(flows_dir(Path(directory)))
    for path in sorted(Path(directory).glob("*/*.yaml")):
        if path.parent.name.startswith("_"):  # _flows and the like are not categories
            continue
        try:
            entry = load_file(path)
        except CatalogueError as exc:
            errors += exc.errors
            continue
        code = entry.procedure.code
        if code in entries:
            errors.append(f"{path}: code '{code}' is also used by {entries[code].path}")
            continue
        for ref in set(all_refs(entry.procedure)):
            if ref in seen_refs:
                errors.append(f"{path}: ref '{ref}' is also cited by {seen_refs[ref]}")
            seen_refs[ref] = code
        flow = flows.get(entry.procedure.flow)
        if flow is None:
            errors.append(f"{path}: flow: unknown flow '{entry.procedure.flow}'")
            continue
        errors += [f"{path}: {p}" for p in check_procedure(entry.procedure, flow,
                                                             fields_of(entry.procedure))]
        entries[code] = replace(entry, flow=flow)
    if errors:
        raise CatalogueError(errors)
    return entries
