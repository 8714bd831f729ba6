"""`flask backup DIR` and `flask restore DIR` (portal/infra/backup.py does the work)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from portal.infra import backup
from portal.infra.database import db


def init_app(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
    def backup_command(directory: Path):
        """Back up the database and the files, online, with a manifest of hashes."""
        try:
            manifest = backup.backup(current_app.config["DATABASE_URL"],
                                     Path(current_app.config["UPLOAD_DIR"]), directory)
        except backup.BackupError as exc:
            raise click.ClickException(str(exc))
        click.echo(f"backup written to {directory}: {len(manifest['files'])} files")

    @app.cli.command("restore")
    @click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
    def restore_command(directory: Path):
        """Restore a backup into an empty instance (a new database, an empty UPLOAD_DIR)."""
        try:
            manifest = backup.restore(directory, current_app.config["DATABASE_URL"], db.engine,
                                      Path(current_app.config["UPLOAD_DIR"]))
        except backup.BackupError as exc:
            raise click.ClickException(str(exc))
        click.echo(f"restored from {directory}: {len(manifest['files'])} files")


def init_copy(app: Flask) -> None:
    @app.cli.command("copy-db")
    @click.option("--to", "target_url", required=True, help="postgresql+psycopg://… (empty)")
    @click.option("--files", "files_to", type=click.Path(file_okay=False, path_type=Path),
                  help="the new instance's UPLOAD_DIR (empty); the files are copied there")
    def copy_db_command(target_url: str, files_to: Path | None):
        """Copy this (SQLite) portal's database and files into an empty PostgreSQL database."""
        from portal.infra import copy
        from portal.infra.engine import make_engine
        if not copy.is_sqlite(db.engine):
            raise click.ClickException("copy-db moves a SQLite portal (DATABASE_URL) on")
        target = make_engine(target_url)
        try:
            rows = copy.copy_database(db.engine, target_url, target)
            files = copy.copy_files(Path(current_app.config["UPLOAD_DIR"]), files_to) \
                if files_to else {}
        except backup.BackupError as exc:
            raise click.ClickException(str(exc))
        finally:
            target.dispose()
        click.echo(f"copied {sum(rows.values())} rows in {len(rows)} tables"
                   f" and {len(files)} files")
