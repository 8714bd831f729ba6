"""Procedure and flow versions: frozen when the first application uses them, parsed once.

A changed file gets a new digest and so a new version for the next application; existing
applications keep rendering and moving under the versions they began with.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.domain.procedures.definitions import Procedure
from portal.domain.procedures.runtime import Runtime
from portal.domain.workflow.flows import Flow
from portal.models import Application, FlowVersion, ProcedureVersion, utcnow

_RUNTIMES: dict[str, Runtime] = {}
_FLOWS: dict[str, Flow] = {}


def frozen(db: Session, model, code: str, digest: str, definition: dict):
    """The stored version with this digest, added (next number for the code) when new.
    Two servers freezing the same file at once end with one row: the insert ignores a clash."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    for _attempt in range(5):  # another server may take the next number between our steps
        row = db.scalar(select(model).where(model.digest == digest))
        if row is not None:
            return row
        latest = db.scalar(select(func.max(model.version)).where(model.code == code)) or 0
        db.execute(insert(model).values(code=code, version=latest + 1, digest=digest,
                                        definition=definition, created_at=utcnow())
                   .on_conflict_do_nothing())
    raise RuntimeError(f"could not freeze a version of {code}")


def procedure_version(db: Session, entry) -> ProcedureVersion:
    return frozen(db, ProcedureVersion, entry.procedure.code, entry.digest, entry.document)


def flow_version(db: Session, entry) -> FlowVersion:
    return frozen(db, FlowVersion, entry.flow.code, entry.flow.digest, entry.flow.document)


def runtime_for(version: ProcedureVersion) -> Runtime:
    """The runtime of a stored procedure version, parsed once per process."""
    runtime = _RUNTIMES.get(version.digest)
    if runtime is None:
        runtime = _RUNTIMES[version.digest] = Runtime(Procedure.model_validate(version.definition))
    return runtime


def adopt_flows(db: Session, catalogue: dict) -> int:
    """Applications made before flows existed take the current version of their procedure's
    flow (the migrate command runs this once after upgrading). Returns how many did."""
    adopted = 0
    for app in db.scalars(select(Application).where(Application.flow_version_id.is_(None))):
        entry = catalogue.get(app.procedure_version.code)
        if entry is not None:
            app.flow_version = flow_version(db, entry)
            adopted += 1
    return adopted


def flow_of(app: Application) -> Flow:
    """The flow the application began under, parsed once per process."""
    version = app.flow_version
    flow = _FLOWS.get(version.digest)
    if flow is None:
        flow = _FLOWS[version.digest] = Flow.model_validate(version.definition)
    return flow
