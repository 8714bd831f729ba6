"""PDFs from templates/pdf, rendered by xhtml2pdf in a child process with limits.

Renders are bounded too: one at a time per user and PDF_PARALLEL on the machine, each held by an
flock on a file under PDF_SLOT_DIR (so every worker process of the server sees it, and a dead
process frees its slot). A busy slot is not waited for: the user is told to try again.
"""
from __future__ import annotations

import fcntl
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

from flask import current_app, render_template
from flask_login import current_user

from portal.infra.pdf_policy import FONT_DIR

ROOT = Path(__file__).resolve().parents[2]


class PdfFailed(Exception):
    pass


class PdfBusy(Exception):
    """The user's previous document is still being prepared, or every render slot is taken."""


@contextmanager
def _slot(name: str):
    folder = Path(current_app.config["PDF_SLOT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PdfBusy(name) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def render_slot(owner: int | None):
    """The user's own slot and one of the machine's; PdfBusy at once when either is taken."""
    with ExitStack() as stack:
        if owner is not None:
            stack.enter_context(_slot(f"user-{owner}"))
        for n in range(current_app.config["PDF_PARALLEL"]):
            try:
                stack.enter_context(_slot(f"any-{n}"))
                break
            except PdfBusy:
                continue
        else:
            raise PdfBusy("all")
        yield


def render_pdf(template: str, **context) -> bytes:
    html = render_template(f"pdf/{template}", font_dir=FONT_DIR.as_posix(), **context)
    with render_slot(getattr(current_user, "id", None)):
        try:
            done = subprocess.run([sys.executable, "-m", "portal.infra.pdf_worker"],
                                  input=html.encode("utf-8"), capture_output=True, cwd=ROOT,
                                  timeout=current_app.config.get("PDF_TIMEOUT", 30))
        except subprocess.TimeoutExpired:
            raise PdfFailed("timeout") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        current_app.logger.error("PDF render failed: %s", done.stderr.decode(errors="replace")[-2000:])
        raise PdfFailed(f"exit {done.returncode}")
    return done.stdout


def application_pdf(context: dict) -> bytes:
    return render_pdf("application.html", **context)
