"""A procedure definition at run time: its stages in order, its fields, its conditions."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterator

from portal.domain.procedures.catalogue import walk_items
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
    Process,
    SectionItem,
    Stage,
    Subprocess,
    TreeNode,
)


@dataclass(frozen=True)
class StagePlace:
    """A stage with the process and sub-process it belongs to."""

    process: Process
    subprocess: Subprocess
    stage: Stage
    index: int


class Runtime:
    def __init__(self, procedure: Procedure):
        self.procedure = procedure

    @cached_property
    def stages(self) -> list[StagePlace]:
        places = []
        for process in self.procedure.processes:
            for sub in process.subprocesses:
                for stage in sub.stages:
                    places.append(StagePlace(process, sub, stage, len(places)))
        return places

    def stage(self, stage_id: str) -> StagePlace | None:
        return next((p for p in self.stages if p.stage.id == stage_id), None)

    @cached_property
    def fields(self) -> dict[str, FieldItem]:
        """Every field of the application (dynamic leaves' fields live inside their entries)."""
        found = {}
        for place in self.stages:
            for form in place.stage.forms:
                for item in _top_fields(form.items):
                    found[item.id] = item
        return found

    @cached_property
    def field_stage(self) -> dict[str, str]:
        where = {}
        for place in self.stages:
            for form in place.stage.forms:
                for item in walk_items(form.items):
                    where[item.id] = place.stage.id
        return where

    @cached_property
    def dynamic_of(self) -> dict[str, DynamicItem]:
        """The dynamic item each field of a dynamic leaf's form belongs to."""
        owners = {}
        for place in self.stages:
            for form in place.stage.forms:
                for item in walk_items(form.items):
                    if isinstance(item, DynamicItem):
                        for inner in walk_items([item]):
                            if inner is not item and (item.key is None or inner is not item.key):
                                owners[inner.id] = item
        return owners

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for place in self.stages for form in place.stage.forms
                for item in walk_items(form.items)}

    def item(self, item_id: str) -> Item | None:
        return self.items.get(item_id)


def _top_fields(items) -> Iterator[FieldItem]:
    """Fields outside dynamic items, sections included."""
    for item in items or ():
        if isinstance(item, FieldItem):
            yield item
        elif isinstance(item, SectionItem):
            yield from _top_fields(item.items)


def holds(condition: Condition | None, values: dict[str, Any]) -> bool:
    """Evaluate a condition against the application's values; no condition always holds."""
    if condition is None:
        return True
    if isinstance(condition, FieldCondition):
        value = values.get(condition.field)
        if condition.filled is not None:
            return is_filled(value) == condition.filled
        if condition.equals is not None:
            return value == condition.equals
        if condition.not_equals is not None:
            return value != condition.not_equals
        return value in (condition.in_ or [])
    if isinstance(condition, AllCondition):
        return all(holds(c, values) for c in condition.all)
    if isinstance(condition, AnyCondition):
        return any(holds(c, values) for c in condition.any)
    if isinstance(condition, NotCondition):
        return not holds(condition.not_, values)
    raise TypeError(condition)


def is_filled(value: Any) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return False
    if isinstance(value, dict) and "amount" in value:
        return value.get("amount") not in (None, "")
    return True


def node_at(tree: list[TreeNode], path: list[str]) -> tuple[list[TreeNode], TreeNode | None]:
    """The options at the end of path and the node path ends on (None for an empty path).

    Raises KeyError when path names an option that does not exist."""
    options, node = tree, None
    for value in path:
        node = next((n for n in options if n.value == value), None)
        if node is None:
            raise KeyError(value)
        options = node.children or []
    return options, node


def visible_items(items, values: dict) -> Iterator[Item]:
    """Items whose show_if holds, sections' children included (depth first)."""
    for item in items or ():
        if not holds(item.show_if, values):
            continue
        yield item
        if isinstance(item, SectionItem):
            yield from visible_items(item.items, values)


def required(field: FieldItem, values: dict) -> bool:
    return field.required or (field.required_if is not None and holds(field.required_if, values))


def nodes_along(tree: list[TreeNode], chosen: list[str]) -> list[TreeNode]:
    """The nodes of the longest valid prefix of the chosen options."""
    nodes, options = [], tree
    for value in chosen:
        node = next((n for n in options if n.value == value), None)
        if node is None:
            break
        nodes.append(node)
        options = node.children or []
    return nodes


def chain_path(tree: list[TreeNode], chosen: list[str]) -> list[str]:
    """The longest valid prefix of the chosen options (a changed parent drops stale children)."""
    return [node.value for node in nodes_along(tree, chosen)]
