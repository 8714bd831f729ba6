"""File storage behind one small interface (put, get, delete by a generated key), two ways:

- "directory" (default): files under UPLOAD_DIR, a directory shared by every application server
  when several run (NFS or the like); written durably: a temporary file, fsync, rename, fsync of
  the directory, all before the caller's row is committed.
- "database": the bytes in the `document_blob` table, in the caller's transaction, so a rolled
  back change leaves nothing behind and one database backup holds everything.

DOCUMENTS_STORAGE chooses; the README ("File storage") says which to choose when.
"""
from __future__ import annotations

import io
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from flask import abort, current_app, send_file

from portal.domain.documents.uploads import download_name, is_pdf
from portal.domain.text import clean
from portal.infra.database import db
from portal.models.documents import DocumentBlob

_CONTROL = re.compile("[\x00-\x1f]")
_KEY = re.compile(r"[0-9a-f]{32}\.[a-z0-9]{1,8}")


class NotAPdf(Exception):
    pass


class Storage(Protocol):
    def put(self, data: bytes, suffix: str) -> str: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


def _new_key(suffix: str) -> str:
    """Never a client's name: 128 random bits and the portal's own suffix."""
    return secrets.token_hex(16) + suffix


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key or ""):
        raise FileNotFoundError(key)
    return key


class DirectoryStorage:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def put(self, data: bytes, suffix: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = _new_key(suffix)
        handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, self.folder / key)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        directory = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a crash
        finally:
            os.close(directory)
        return key

    def get(self, key: str) -> bytes:
        return (self.folder / _checked(key)).read_bytes()

    def delete(self, key: str) -> None:
        (self.folder / _checked(key)).unlink(missing_ok=True)


class DatabaseStorage:
    def put(self, data: bytes, suffix: str) -> str:
        key = _new_key(suffix)
        db.session.add(DocumentBlob(key=key, content=data))
        db.session.flush()
        return key

    def get(self, key: str) -> bytes:
        row = db.session.get(DocumentBlob, _checked(key))
        if row is None:
            raise FileNotFoundError(key)
        return row.content

    def delete(self, key: str) -> None:
        """In a transaction of its own: bytes are deleted after the change that let them go."""
        with db.writing() as session:
            row = session.get(DocumentBlob, _checked(key))
            if row is not None:
                session.delete(row)


def storage() -> Storage:
    if current_app.config.get("DOCUMENTS_STORAGE", "directory") == "database":
        return DatabaseStorage()
    return DirectoryStorage(current_app.config["UPLOAD_DIR"])


def display_name(name: str) -> str:
    """The original name for display only: NFC, no bidi or zero-width marks, no path."""
    cleaned = _CONTROL.sub("", clean(name or ""))
    return cleaned.replace("/", "_").replace("\\", "_").strip()[:200] or "document.pdf"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_pdf(data: bytes) -> str:
    """Store a PDF under a new random key and return that key."""
    if not is_pdf(data):
        raise NotAPdf()
    return store_bytes(data, ".pdf")


def store_bytes(data: bytes, suffix: str) -> str:
    return storage().put(data, suffix)


def read_stored(stored: str) -> bytes:
    return storage().get(stored)


def delete_stored(keys) -> None:
    for key in keys:
        storage().delete(key)


def content_disposition(name: str) -> str:
    """RFC 6266 with RFC 5987's filename*: an ASCII fallback, and the UTF-8 name for the rest."""
    fallback = re.sub(r'[^A-Za-z0-9._-]', "_", name.encode("ascii", "replace").decode())
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_attachment(stored: str, name: str, mimetype: str = "application/pdf"):
    """A stored file as an attachment under its original name; a PDF gets only a .pdf
    extension. Werkzeug adds "; charset=utf-8" to text types itself, so a stored type loses
    its own parameters (else "text/plain; charset=utf-8; charset=utf-8")."""
    try:
        data = read_stored(stored)
    except FileNotFoundError:
        abort(404)
    mimetype = mimetype.split(";")[0].strip()
    name = display_name(name)
    if mimetype == "application/pdf":
        name = download_name(name)
    response = send_file(io.BytesIO(data), mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response
