"""A field's own comment page: where "Comment" leads without JavaScript, so the summary needs
no <details> (Firefox 33-48 cannot fold it) and stays short."""
from __future__ import annotations

from flask import abort

from portal.domain.procedures.definitions import Category
from portal.domain.workflow.versions import runtime_for
from portal.web.engine.page import SUMMARY, load_application, page_context
from portal.web.htmx import render


def comment_page(category: Category, application_id: int, field_id: str):
    app = load_application(category, application_id)
    item = runtime_for(app.procedure_version).item(field_id)
    if item is None or item.kind != "field":
        abort(404)
    return render("engine/comment.html", field=item, field_id=field_id,
                  **page_context(app, SUMMARY))
