"""The catalogue inside the running portal: validated at start, versions frozen on first use."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain.procedures.catalogue import DEFAULT_DIR, Entry, load_catalogue
from portal.domain.procedures.definitions import Category, Procedure
from portal.domain.procedures.runtime import Runtime
from portal.models import ProcedureVersion


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


def current_version(db: Session, entry: Entry) -> ProcedureVersion:
    """The stored version matching the file as it is now; a changed file makes a new one."""
    row = db.scalar(select(ProcedureVersion).where(ProcedureVersion.digest == entry.digest))
    if row is None:
        latest = db.scalar(select(func.max(ProcedureVersion.version))
                           .where(ProcedureVersion.code == entry.procedure.code)) or 0
        row = ProcedureVersion(code=entry.procedure.code, version=latest + 1,
                               digest=entry.digest, definition=entry.document)
        db.add(row)
        db.flush()
    return row


_RUNTIMES: dict[str, Runtime] = {}


def runtime_for(version: ProcedureVersion) -> Runtime:
    """The runtime of a stored version, parsed once per process (a digest never changes)."""
    runtime = _RUNTIMES.get(version.digest)
    if runtime is None:
        runtime = _RUNTIMES[version.digest] = Runtime(Procedure.model_validate(version.definition))
    return runtime
