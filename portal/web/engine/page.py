"""The application page: what its template needs, and the full-page or fragment response."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from flask import abort, make_response, redirect, request, url_for
from flask_login import current_user

from portal.domain.applications import comments as comment_domain
from portal.domain.applications import filling as apps
from portal.domain.applications.visibility import can_view
from portal.domain.procedures.runtime import node_at, nodes_along
from portal.domain.workflow import states as workflow
from portal.domain.workflow.clocks import due_dates, working_calendar
from portal.infra.database import db
from portal.models import Application
from portal.web import catalogue
from portal.web.engine.display import t
from portal.web.engine.messages import field_error
from portal.web.htmx import render, wants_fragment

PAGE = "engine/application.html"
SUMMARY = "summary"


def load_application(application_id: int) -> Application:
    """The application if visible to the user; 404 otherwise, whatever the reason."""
    app = can_view(db.session, current_user, application_id, for_update=request.method == "POST")
    if app is None:
        abort(404)
    return app


def page_context(app: Application, stage_id: str | None = None, errors=None, **extra) -> dict:
    runtime = catalogue.runtime_for(app.procedure_version)
    values = apps.values_of(app)
    opened = workflow.open_stage_ids(runtime, app)
    if stage_id is None:
        stage_id = SUMMARY if app.status != workflow.Status.draft.value else opened[-1]
    rules_by_id = {r.id: r for r in runtime.procedure.rules}
    messages = {}
    for key, error in errors or []:
        messages.setdefault(key, []).append(field_error(error, rules_by_id))
    place = runtime.stage(stage_id)
    is_first_head = workflow.is_first_head_of(current_user, app)
    ctx = SimpleNamespace(  # what the item macros need, passed as one object
        application=app, category=runtime.procedure.category.value, values=values,
        stage_id=stage_id,
        errors=messages, comments=comment_domain.for_application(db.session, app, current_user),
        chains=extra.pop("chains", None) or {}, as_text=comment_domain.as_text,
        path_labels=path_labels, leaf=leaf, merged=lambda a, b: dict(a, **b),
        forms_allowed=place is None,
        first_head_mode=is_first_head and app.status == workflow.Status.awaiting_approval.value,
        can_discuss=is_first_head or current_user.id == app.author_id)
    return dict(application=app, runtime=runtime, procedure=runtime.procedure, values=values,
                states=workflow.stage_states(app), opened=opened, stage_id=stage_id,
                place=place, errors=messages, ctx=ctx, category=ctx.category,
                can_fill=lambda sid: workflow.can_fill(current_user, app, runtime, sid),
                changes=comment_domain.changes_since(db.session, app, values),
                is_first_head=is_first_head, unfinished=workflow.unfinished_stages(runtime, app),
                current_process=workflow.current_process(runtime, app),
                advisers=apps.adviser_employees(db.session, app), findings=extra.pop("findings", None),
                history=workflow.history(db.session, app) if place is None else [],
                dues=due_dates(runtime, app, values, working_calendar(db.session), date.today(),
                               finished=app.status not in workflow.OPEN_STATUSES),
                **extra)


def path_labels(item, path: list[str]) -> list[str]:
    return [t(node.label) for node in nodes_along(item.tree, path)]


def leaf(item, path: list[str]):
    try:
        return node_at(item.tree, path)[1]
    except KeyError:
        return None


def app_category(app: Application) -> str:
    return catalogue.runtime_for(app.procedure_version).procedure.category.value


def respond(app: Application, stage_id: str | None = None, errors=None, status: int = 200, **extra):
    context = page_context(app, stage_id, errors, **extra)
    response = make_response(render(PAGE, "stage_panel", **context), status)
    if wants_fragment():
        response.headers["HX-Trigger"] = "stage-changed"
        if request.method == "POST":  # the address names the stage shown: reload and language keep it
            response.headers["HX-Push-Url"] = url_for(
                f"{context['category']}.application", application_id=app.id, stage=context["stage_id"])
    return response


def back_to(app: Application, stage_id: str | None = None, anchor: str | None = None, **args):
    """The application page (a stage of it), at an anchor: post/redirect/get without htmx."""
    return redirect(url_for(f"{app_category(app)}.application", application_id=app.id,
                            stage=stage_id, _anchor=anchor, **args))


def findings(app: Application) -> list[dict]:
    """The dry run's failures, each with its stage, field label, message and clause."""
    runtime = catalogue.runtime_for(app.procedure_version)
    rules_by_id = {r.id: r for r in runtime.procedure.rules}
    found = []
    for stage_id, key, error in apps.check(runtime, app):
        item = runtime.item(key.split(".")[0])
        place = runtime.stage(stage_id)
        found.append(dict(stage_id=stage_id, key=key,
                          stage=t(place.stage.name) if place else "",
                          label=t(getattr(item, "label", None)) if item else key,
                          message=field_error(error, rules_by_id)))
    return found
