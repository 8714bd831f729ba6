"""Uploaded files: stored under generated names, recognised by content, sent as attachments."""
from __future__ import annotations

import io
import re
import secrets
from pathlib import Path

from flask import current_app, send_file
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from portal.domain.text import clean

_CONTROL = re.compile("[\x00-\x1f]")


class NotAPdf(Exception):
    pass


def display_name(name: str) -> str:
    """The original name for display only: NFC, no bidi or zero-width marks, no path."""
    cleaned = _CONTROL.sub("", clean(name or ""))
    return cleaned.replace("/", "_").replace("\\", "_").strip()[:200] or "document.pdf"


def is_pdf(data: bytes) -> bool:
    if not data.startswith(b"%PDF-"):
        return False
    try:
        PdfReader(io.BytesIO(data), strict=False).pages[0]
    except (PyPdfError, ValueError, IndexError, KeyError, TypeError):
        return False
    return True


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_pdf(data: bytes) -> str:
    """Write a PDF under a new random name and return that name."""
    if not is_pdf(data):
        raise NotAPdf()
    return store_bytes(data, ".pdf")


def store_bytes(data: bytes, suffix: str) -> str:
    stored = secrets.token_hex(16) + suffix
    target = upload_dir() / stored
    with open(target, "wb") as fh:
        fh.write(data)
        fh.flush()
    return stored


def read_stored(stored: str) -> bytes:
    return (upload_dir() / Path(stored).name).read_bytes()


def send_attachment(stored: str, name: str, mimetype: str = "application/pdf"):
    """Werkzeug writes filename*=UTF-8'' for non-ASCII names, so Kazakh names survive. It also
    adds "; charset=utf-8" to text types itself, so a stored type loses its own parameters
    (else "text/plain; charset=utf-8; charset=utf-8")."""
    return send_file(upload_dir() / Path(stored).name, mimetype=mimetype.split(";")[0].strip(),
                     as_attachment=True, download_name=display_name(name))
