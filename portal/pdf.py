"""PDFs from templates/pdf with xhtml2pdf: a font with every Kazakh letter, our files only."""
from __future__ import annotations

import io
from importlib.resources import files
from pathlib import Path

from flask import render_template
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

FONT_DIR = Path(str(files("fontpkg_pt_sans") / "files"))
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "pdf"
# xhtml2pdf may read only our templates and the font: no network, no other files
POLICY = ResourceAccessPolicy.server(base_dir=str(TEMPLATE_DIR), extra_roots=(str(FONT_DIR),))


class PdfFailed(Exception):
    pass


def render_pdf(template: str, **context) -> bytes:
    html = render_template(f"pdf/{template}", font_dir=FONT_DIR.as_posix(), **context)
    out = io.BytesIO()
    status = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=POLICY)
    if status.err:
        raise PdfFailed(status.err)
    return out.getvalue()


def application_pdf(context: dict) -> bytes:
    return render_pdf("application.html", **context)
