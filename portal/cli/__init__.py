"""Command-line tasks: migrate, demo data, the outbox worker, catalogue check, the demo server,
evidence packages."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from portal.cli import demo
from portal.domain.procedures.catalogue import CatalogueError, load_catalogue
from portal.domain.workflow import audit
from portal.domain.workflow.versions import adopt_flows
from portal.infra import migrate
from portal.infra.database import db
from portal.infra.mail import run_worker
from portal.infra.storage import store_bytes
from portal.models import Application
from portal.web import catalogue


def _print_logins(logins, url: str, stores: dict | None = None) -> None:
    click.echo(f"\nThe portal: {url}\nDemo password for every account: {demo.DEMO_PASSWORD}")
    for email, org, what in logins:
        click.echo(f"  {email:<28} {org:<9} {what}")
        if email in (stores or {}):
            click.echo(f"  {'':<28} EDS key store: {stores[email]}"
                       f"  password: {demo.KEY_STORE_PASSWORD}")
    click.echo("")


def _demo_signing(logins) -> tuple[dict, dict]:
    """Key stores for the demo's first heads, and the settings that let the server use them."""
    folder = Path(current_app.config["DEMO_SIGNING_DIR"])
    stores = demo.key_stores(db.session, [email for email, _org, _what in logins], folder)
    return stores, {"SANDBOX_SIGNING": "1", "SIGNING_TRUST_ROOTS": str(folder / "ca.pem")}


def _migrate() -> None:
    """The newest schema; applications made before flows existed take their flow's version."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    adopted = adopt_flows(db.session, catalogue.catalogue())
    db.session.commit()
    if adopted:
        click.echo(f"{adopted} applications took the current version of their flow")


def init_app(app: Flask) -> None:
    from portal.cli import backup
    backup.init_app(app)
    backup.init_copy(app)

    @app.cli.command("migrate")
    def migrate_command():
        """Upgrade the database to the newest schema."""
        _migrate()
        click.echo("database is up to date")

    @app.cli.command("audit-verify")
    def audit_verify_command():
        """Check the whole audit trail's hash chain; name the first row that breaks it."""
        verdict = audit.verify(db.session)
        db.session.rollback()  # a read: release the database at once
        if not verdict.ok:
            raise click.ClickException(f"audit trail broken at row {verdict.first_bad}: "
                                       f"{verdict.reason} ({verdict.rows} rows read)")
        click.echo(f"audit trail intact: {verdict.rows} rows")

    @app.cli.command("evidence-export")
    @click.argument("number")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    def evidence_export_command(number: str, path: str):
        """Write an archived application's evidence package; check it offline with
        `python -m portal.domain.documents.evidence verify PATH`."""
        from portal.web import evidence
        app = db.session.scalar(select(Application).where(Application.number == number))
        if app is None or app.status != evidence.ARCHIVED:
            raise click.ClickException(f"no archived application {number}")
        with current_app.test_request_context():  # the PDF renders in the default language
            data = evidence.package(app)
        audit.record(db.session, "evidence_export", application=app)
        db.session.commit()
        with open(path, "wb") as fh:
            fh.write(data)
        click.echo(f"{path}: {len(data)} bytes")

    @app.cli.command("demo-data")
    @click.option("--force", is_flag=True, help="load even outside a sandbox deployment")
    def demo_data_command(force: bool):
        """Load the demo organisations, accounts and normative base (idempotent)."""
        if not (current_app.config["SANDBOX"] or force):
            raise click.ClickException("demo data loads only in a sandbox (PORTAL_SANDBOX=1)")
        logins = demo.load(db.session, store_bytes)
        _print_logins(logins, current_app.config["PUBLIC_URL"], _demo_signing(logins)[0])

    @app.cli.command("outbox")
    @click.option("--loop", is_flag=True, help="keep running, sending due mail every few seconds")
    def outbox_command(loop: bool):
        """Send the mail that is due from the outbox."""
        sent, failed = run_worker(db.sessionmaker, loop=loop)
        click.echo(f"sent {sent}, failed {failed}")

    @app.cli.command("check-catalogue")
    def check_catalogue_command():
        """Validate every procedure definition and flow."""
        try:
            entries = load_catalogue()
        except CatalogueError as exc:
            raise click.ClickException("\n".join(exc.errors))
        flows = {e.flow.code for e in entries.values()}
        click.echo(f"{len(entries)} procedures and {len(flows)} flows valid")

    @app.cli.command("serve-demo")
    @click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")))
    def serve_demo_command(port: int):
        """Migrate, load demo data, print the logins and serve on 127.0.0.1 with gunicorn."""
        _migrate()
        url = f"http://127.0.0.1:{port}"
        logins = demo.load(db.session, store_bytes)
        demo.renew_demo_passwords(db.session, [email for email, _org, _what in logins])
        stores, signing_env = _demo_signing(logins)
        _print_logins(logins, url, stores)
        app_obj = current_app._get_current_object()

        def worker():
            with app_obj.app_context():
                run_worker(db.sessionmaker, loop=True)

        threading.Thread(target=worker, daemon=True).start()
        click.echo(f"Serving on {url} (Ctrl+C stops)")
        env = dict(os.environ, PUBLIC_URL=url, **signing_env)
        subprocess.run([sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
                        "--bind", f"127.0.0.1:{port}", "wsgi:app"], env=env, check=False)
