"""Moving a portal from SQLite to PostgreSQL: every table in dependency order, then the
sequences moved past the copied ids, then the files (checked by their sha256)."""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Integer, func, inspect, select, text
from sqlalchemy.engine import Engine

from portal.infra import migrate
from portal.infra.backup import BackupError, file_hashes
from portal.models import Base

BATCH = 1000
# rows the migrations themselves write (the audit chain's head at genesis): replaced by the source's
SEEDED = ("audit_head",)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}


def _copy_table(source, target, table) -> int:
    order = [c for c in table.primary_key.columns] or list(table.columns)
    copied = 0
    result = source.execute(select(table).order_by(*order)).mappings()
    while batch := result.fetchmany(BATCH):
        target.execute(table.insert(), [dict(row) for row in batch])
        copied += len(batch)
    return copied


def _move_sequences(target, table) -> None:
    """PostgreSQL's identity sequences start at 1 after a copy with explicit ids: the next
    insert would collide with a copied row."""
    for column in table.primary_key.columns:
        if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
            sequence = target.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                     {"t": table.name, "c": column.name})
            if sequence:
                # the column and table names come from our own models, never from input
                target.execute(text("SELECT setval(:s, COALESCE((SELECT MAX(%s) FROM %s), 0) + 1,"
                                    " false)" % (column.name, table.name)),  # nosec B608
                               {"s": sequence})


def copy_database(source: Engine, target_url: str, target: Engine) -> dict[str, int]:
    """Copy every row of the (current) source into the migrated, empty PostgreSQL target."""
    if target.dialect.name != "postgresql":
        raise BackupError("copy-db copies into PostgreSQL")
    with source.connect() as conn:
        if not migrate.is_current(conn):
            raise BackupError("migrate the source database first (flask migrate)")
    migrate.upgrade(target_url)
    if any(n for name, n in _counts(target).items() if name not in SEEDED):
        raise BackupError("the target database is not empty")
    copied = {}
    with source.connect() as src, target.begin() as dst:
        for name in SEEDED:
            dst.execute(Base.metadata.tables[name].delete())
        for table in Base.metadata.sorted_tables:
            copied[table.name] = _copy_table(src, dst, table)
            _move_sequences(dst, table)
    if _counts(target) != copied or _counts(source) != copied:
        raise BackupError("row counts differ after the copy")
    return copied


def copy_files(source: Path, target: Path) -> dict[str, str]:
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    if source.resolve() == target.resolve():
        return file_hashes(source)
    if target.exists():
        target.rmdir()
    shutil.copytree(source, target) if source.exists() else target.mkdir(parents=True)
    hashes = file_hashes(target)
    if hashes != file_hashes(source):
        raise BackupError("the copied files differ from the originals")
    return hashes


def is_sqlite(engine: Engine) -> bool:
    return inspect(engine).dialect.name == "sqlite"
