"""The small forms an actor fills when firing a transition (a reason, a date, refusal grounds).

Declared in the flow file; parsed here into plain values or errors beside their fields, with
the same error codes as the procedure forms.
"""
from __future__ import annotations

from datetime import date

from portal.domain.procedures.definitions import Procedure
from portal.domain.procedures.values import parse_date  # one date reader for every form
from portal.domain.text import clean
from portal.domain.workflow.flows import TransitionForm

MAX_LENGTH = {"text": 2000, "textarea": 20000, "password": 200}
MAX_FILE_BYTES = 1024 * 1024  # a transition's file is small (a key store); documents go elsewhere
# values of these kinds are for the transition's effects only: never audited, stored or echoed
SECRET_KINDS = {"file", "password"}


def parse_form(form: TransitionForm, data, procedure: Procedure, today: date
               ) -> tuple[dict, list]:
    """(values, errors): values by field id; errors as (field id, (code, params))."""
    values, errors = {}, []
    grounds = {g.id for g in procedure.refusal_grounds}
    for field in form.fields:
        if field.kind == "file":
            value, error = _file(data.get(field.id))
            if error:
                errors.append((field.id, error))
                continue
        elif field.kind == "password":
            value = str(data.get(field.id) or "") or None  # exactly as typed: no cleaning
            if value and len(value) > MAX_LENGTH["password"]:
                errors.append((field.id, ("max_length", {"max": MAX_LENGTH["password"]})))
                continue
        elif field.kind == "grounds":
            if not grounds:  # a procedure without grounds of its own: the explanation says it
                continue
            chosen = [g for g in data.getlist(field.id) if g in grounds]
            value = chosen or None
        else:
            raw = clean(str(data.get(field.id) or "")).strip()
            if not raw and field.default == "today":
                raw = today.isoformat()
            value = raw or None
            if value and field.kind == "date":
                try:
                    value = parse_date(value).isoformat()
                except ValueError:
                    errors.append((field.id, ("date", {})))
                    continue
            elif value and len(value) > MAX_LENGTH[field.kind]:
                errors.append((field.id, ("max_length", {"max": MAX_LENGTH[field.kind]})))
                continue
        if value is None and field.required:
            errors.append((field.id, ("required", {})))
        elif value is not None:
            values[field.id] = value
    return values, errors


def _file(upload) -> tuple[bytes | None, tuple | None]:
    """An uploaded file's bytes (anything with .read(), or bytes), at most MAX_FILE_BYTES."""
    if upload is None or upload == "":
        return None, None
    content = upload if isinstance(upload, bytes) else upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        return None, ("file_size", {"max": MAX_FILE_BYTES // 1024})
    return content or None, None


def split_secrets(form: TransitionForm, values: dict) -> tuple[dict, dict]:
    """(what the audit may keep, what only the effects see)."""
    secret = {f.id for f in form.fields if f.kind in SECRET_KINDS}
    return ({k: v for k, v in values.items() if k not in secret},
            {k: v for k, v in values.items() if k in secret})
