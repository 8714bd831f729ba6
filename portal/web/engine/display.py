"""Showing definitions and values in the user's language (pages and PDFs share this)."""
from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from portal.domain.procedures.definitions import FieldItem, Text
from portal.web.dates import day
from portal.web.i18n import lang


def t(text: Text | None) -> str:
    """A definition's text in the current language."""
    return text.get(lang()) if text is not None else ""


def option_label(options, value) -> str:
    for option in options or ():
        if option.value == value:
            return t(option.label)
    return str(value)


def show_value(field: FieldItem, value) -> str:
    """A field's value as plain text (escaped by the template)."""
    if value is None or value == "" or value == []:
        return ""
    if field.type == "yesno":
        return _("Yes") if value else _("No")
    if field.type == "money" and isinstance(value, dict):
        return f"{value.get('amount')} {value.get('currency', '')}".strip()
    if field.type == "percent":
        return f"{value} %"
    if field.type == "choice":
        return option_label(field.options, value)
    if field.type == "multichoice":
        return "; ".join(option_label(field.options, v) for v in value)
    if field.type == "file" and isinstance(value, dict):
        return value.get("name", "")
    if field.type == "date":
        return day(value)
    return str(value)


def multiline(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in str(text).splitlines())


ACTORS = {
    "applicant": _l("The applicant"),
    "first_head": _l("The first head"),
    "office": _l("The exchange office"),
    "exchange": _l("The exchange"),
}


def deadline_line(deadline, procedure, with_process: bool = True) -> str:
    """A deadline with who must do what by then: a process's actor completes that process;
    the procedure's own deadlines (reports due, remarks remedied, refiling) are the applicant's."""
    process = next((p for p in procedure.processes if p.deadline is deadline), None)
    who = ACTORS[process.actor if process else "applicant"]
    if process is not None and with_process:
        return _("%(who)s — %(what)s: %(when)s", who=who, what=t(process.name), when=t(deadline.label))
    return _("%(who)s: %(when)s", who=who, when=t(deadline.label))


def condition_json(condition, prefix: str = "f.") -> str:
    """A condition for portal.js, with the form names of the fields it reads (HTML-escaped by
    the template): marks of conditionally required fields follow the answers as they change."""
    data = condition.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps({"prefix": prefix, "if": data}, ensure_ascii=False)
