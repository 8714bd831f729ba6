"""PDFs from templates/pdf, rendered by xhtml2pdf in a child process with limits."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask import current_app, render_template

from portal.infra.pdf_policy import FONT_DIR

ROOT = Path(__file__).resolve().parents[2]


class PdfFailed(Exception):
    pass


def render_pdf(template: str, **context) -> bytes:
    html = render_template(f"pdf/{template}", font_dir=FONT_DIR.as_posix(), **context)
    try:
        done = subprocess.run([sys.executable, "-m", "portal.infra.pdf_worker"], input=html.encode("utf-8"),
                              capture_output=True, cwd=ROOT,
                              timeout=current_app.config.get("PDF_TIMEOUT", 30))
    except subprocess.TimeoutExpired:
        raise PdfFailed("timeout") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        current_app.logger.error("PDF render failed: %s", done.stderr.decode(errors="replace")[-2000:])
        raise PdfFailed(f"exit {done.returncode}")
    return done.stdout


def application_pdf(context: dict) -> bytes:
    return render_pdf("application.html", **context)
