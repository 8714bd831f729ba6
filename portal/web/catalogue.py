"""The catalogue inside the running portal: procedures and their flows, validated at start."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from portal.domain.procedures.catalogue import DEFAULT_DIR, Entry, load_catalogue
from portal.domain.procedures.definitions import Category


def init_app(app: Flask) -> None:
    """Refuse to start with an invalid catalogue (CatalogueError names file and path)."""
    directory = Path(app.config.get("CATALOGUE_DIR") or DEFAULT_DIR)
    app.extensions["catalogue"] = load_catalogue(directory)


def catalogue() -> dict[str, Entry]:
    return current_app.extensions["catalogue"]


def by_category(category: Category) -> list[Entry]:
    return [e for e in catalogue().values() if e.procedure.category == category]


def offered_to(entries: list[Entry], roles: list[str]) -> list[Entry]:
    """Procedures the organisation may file by its client roles."""
    return [e for e in entries if set(r.value for r in e.procedure.filed_by) & set(roles or [])]
