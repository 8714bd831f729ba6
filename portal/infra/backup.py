"""Online backups and restores: the database by its own engine's tool, then the files, then a
manifest of sha256 hashes.

The database is copied first and the files after it: a file is written before the row that
names it is committed, so every file the copied database refers to is already on disk.
SQLite: the sqlite3 backup API (a consistent snapshot while the portal writes);
PostgreSQL: pg_dump (one snapshot transaction) and pg_restore.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
# pg_dump and pg_restore with fixed arguments and no shell
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy import inspect, make_url
from sqlalchemy.engine import Engine

MANIFEST = "manifest.json"
SQLITE_COPY, PG_DUMP = "database.sqlite", "database.dump"


class BackupError(Exception):
    pass


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): sha256(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _libpq(url: str) -> tuple[list[str], dict]:
    """pg_dump's connection arguments; the password goes by the environment, never argv."""
    u = make_url(url)
    args = ["--host", u.host or "127.0.0.1", "--port", str(u.port or 5432),
            "--username", u.username or "postgres", "--dbname", u.database]
    env = dict(os.environ, PGPASSWORD=u.password) if u.password else dict(os.environ)
    return args, env


def _sqlite_copy(source: str, target: str) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def backup(url: str, files: Path, target: Path) -> dict:
    """Write the backup of database url and the files folder into target (new or empty)."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        name = SQLITE_COPY
        _sqlite_copy(u.database, str(target / name))
    else:
        name = PG_DUMP
        args, env = _libpq(url)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file",  # nosec B603 B607
                        str(target / name), *args], env=env, check=True, timeout=3600)
    shutil.copytree(files, target / "files") if files.exists() else (target / "files").mkdir()
    manifest = {"database": name, "database_sha256": sha256(target / name),
                "files": file_hashes(target / "files")}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def check(source: Path) -> dict:
    """The manifest, once every hash in it matches what is in the backup."""
    manifest = json.loads((source / MANIFEST).read_text())
    if sha256(source / manifest["database"]) != manifest["database_sha256"]:
        raise BackupError("the database copy does not match the manifest")
    if file_hashes(source / "files") != manifest["files"]:
        raise BackupError("the files do not match the manifest")
    return manifest


def is_empty(engine: Engine, files: Path) -> bool:
    """No tables in the database and no files: nothing a restore could overwrite."""
    return not inspect(engine).get_table_names() and not (files.exists() and any(files.iterdir()))


def restore(source: Path, url: str, engine: Engine, files: Path) -> dict:
    manifest = check(source)
    if not is_empty(engine, files):
        raise BackupError("the instance is not empty: restore only into a new database and an "
                          "empty UPLOAD_DIR")
    engine.dispose()
    u = make_url(url)
    if manifest["database"] == SQLITE_COPY:
        if u.get_backend_name() != "sqlite":
            raise BackupError("a SQLite backup restores into SQLite (copy-db moves it on)")
        _sqlite_copy(str(source / SQLITE_COPY), u.database)
    else:
        args, env = _libpq(url)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",  # nosec B603 B607
                        *args, str(source / PG_DUMP)], env=env, check=True, timeout=3600)
    files.parent.mkdir(parents=True, exist_ok=True)
    if files.exists():
        files.rmdir()
    shutil.copytree(source / "files", files)
    return manifest
