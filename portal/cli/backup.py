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
