"""What an uploaded file must be before a byte of it is stored: a PDF by its content, not
empty, within the size limit, and without active content (scripts, launch actions, attached
files), which a reader at the exchange would otherwise run or open."""
from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# keys whose presence anywhere in the document means active or attached content
_ACTIVE_KEYS = {"/JavaScript", "/JS", "/EmbeddedFiles", "/EmbeddedFile", "/Launch"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm"}
_MAX_OBJECTS = 200_000  # a walk bounded even for a hostile object graph
_READ_ERRORS = (PyPdfError, ValueError, IndexError, KeyError, TypeError, AttributeError,
                RecursionError)


def _reader(data: bytes) -> PdfReader | None:
    if not data.startswith(b"%PDF-"):
        return None
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        reader.pages[0]
    except _READ_ERRORS:
        return None
    return reader


def is_pdf(data: bytes) -> bool:
    return _reader(data) is not None


def has_active_content(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer, looking for scripts, launch actions and
    embedded files (a name tree, an annotation's or an open action's /S, a bare /JS)."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    walked = 0
    while stack:
        walked += 1
        if walked > _MAX_OBJECTS:
            return True  # too tangled to vouch for
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if _ACTIVE_KEYS & set(node.keys()) or node.get("/S") in _ACTIVE_ACTIONS:
                return True
            stack.extend(value for key, value in node.items() if key != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def refusal_of(data: bytes, max_bytes: int) -> tuple[str, dict] | None:
    """Why the upload is refused, as a field error (code, params); None when it may be stored."""
    if not data:
        return "file_empty", {}
    if len(data) > max_bytes:
        return "file_size", {"max": max_bytes // 1024}
    reader = _reader(data)
    if reader is None:
        return "not_pdf", {}
    try:
        active = has_active_content(reader)
    except _READ_ERRORS:
        return "not_pdf", {}
    return ("pdf_active", {}) if active else None


def stored_keys(value) -> set[str]:
    """Every storage key a stage's data refers to, however deep (tables, dynamic entries)."""
    if isinstance(value, dict):
        keys = {value["stored"]} if isinstance(value.get("stored"), str) else set()
        for inner in value.values():
            keys |= stored_keys(inner)
        return keys
    if isinstance(value, list):
        return set().union(*(stored_keys(v) for v in value)) if value else set()
    return set()


def download_name(name: str) -> str:
    """The original name with only a .pdf extension, whatever the client called it."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return (stem.strip(" .") or "document") + ".pdf"
