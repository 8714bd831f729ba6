"""The application page: what its template needs, and the full-page or fragment response."""
from __future__ import annotations

from types import SimpleNamespace

from flask import abort, current_app, make_response, redirect, request, url_for
from flask_login import current_user

from portal.domain.applications import comments as comment_domain
from portal.domain.applications import filling as apps
from portal.domain.applications import questionnaires
from portal.domain.applications import stages
from portal.domain.applications.visibility import can_view
from portal.domain.procedures.definitions import Category
from portal.domain.procedures.runtime import node_at, nodes_along
from portal.domain.workflow import audit
from portal.domain.workflow.calendar import exchange_today
from portal.domain.workflow.clocks import due_dates, working_calendar
from portal.domain.workflow.engine import available, current_process
from portal.domain.workflow.versions import flow_of, runtime_for
from portal.infra.database import db
from portal.models import Application, utcnow
from portal.web.engine.display import t
from portal.web.engine.messages import field_error
from portal.web.htmx import render, wants_fragment

PAGE = "engine/application.html"
SUMMARY = "summary"


def load_application(category: Category, application_id: int) -> Application:
    """The application if visible to the user and of this URL's category; 404 otherwise,
    whatever the reason."""
    app = can_view(db.session, current_user, application_id, for_update=request.method == "POST")
    if app is None or app_category(app) != category.value:
        abort(404)
    return app


def exchange_date():
    return exchange_today(utcnow(), current_app.config["EXCHANGE_TIMEZONE"])


def page_context(app: Application, stage_id: str | None = None, errors=None, **extra) -> dict:
    runtime, flow = runtime_for(app.procedure_version), flow_of(app)
    values = apps.values_of(app)
    opened = stages.open_stage_ids(runtime, app)
    if stage_id is None:
        stage_id = opened[-1] if stages.being_filled(app) else SUMMARY
    rules_by_id = {r.id: r for r in runtime.procedure.rules}
    messages = {}
    for key, error in errors or []:
        messages.setdefault(key, []).append(field_error(error, rules_by_id))
    place = runtime.stage(stage_id)
    is_first_head = stages.is_first_head_of(current_user, app)
    actions = available(flow, current_user, app)
    ctx = SimpleNamespace(  # what the item macros need, passed as one object
        application=app, category=runtime.procedure.category.value, values=values,
        stage_id=stage_id,
        errors=messages, comments=comment_domain.for_application(db.session, app, current_user),
        chains=extra.pop("chains", None) or {}, as_text=comment_domain.as_text,
        path_labels=path_labels, leaf=leaf, merged=lambda a, b: dict(a, **b),
        forms_allowed=place is None,
        # the first head comments while a decision of theirs would publish the comments
        first_head_mode=is_first_head and any("save_comment_drafts" in a.effects for a in actions),
        can_discuss=is_first_head or current_user.id == app.author_id)
    return dict(application=app, runtime=runtime, procedure=runtime.procedure, values=values,
                flow=flow, state=flow.states[app.status], actions=actions,
                states=stages.stage_states(app), opened=opened, stage_id=stage_id,
                place=place, errors=messages, ctx=ctx, category=ctx.category,
                can_fill=lambda sid: stages.can_fill(current_user, app, runtime, sid),
                # the exchange compares with what it registered last, the first head with
                # what it was sent last
                changes=(comment_domain.exchange_changes if current_user.is_staff
                         else comment_domain.changes_since)(db.session, app, values),
                being_filled=stages.being_filled(app),
                is_first_head=is_first_head, unfinished=stages.unfinished_stages(runtime, app),
                current_process=current_process(runtime, flow, app),
                advisers=apps.adviser_employees(db.session, app), findings=extra.pop("findings", None),
                history=audit.trail(db.session, app) if place is None else [],
                steps=steps_said(app, flow) if place is None else [],
                prefilled=questionnaires.provenance(db.session, app) if place else {},
                dues=due_dates(db.session, app, runtime, exchange_date(), working_calendar(db.session)),
                **extra)


def steps_said(app: Application, flow) -> list[dict]:
    """What the actors wrote when they moved the application into its current state (the
    reason for a return, the documents requested, the refusal grounds, the meeting date)."""
    event = audit.last_event(db.session, app, to_state=app.status)
    if event is None or not event.detail:
        return []
    transition = flow.transition(event.action)
    form = flow.forms.get(transition.form) if transition and transition.form else None
    if form is None:
        return []
    grounds = {g.id: g for g in runtime_for(app.procedure_version).procedure.refusal_grounds}
    found = []
    for field in form.fields:
        value = event.detail.get(field.id)
        if value is None:
            continue
        if field.kind == "grounds":
            value = [grounds[g] for g in value if g in grounds]
        found.append(dict(label=field.label, kind=field.kind, value=value, by=event.actor,
                          at=event.created_at, action=transition.label))
    return found


def path_labels(item, path: list[str]) -> list[str]:
    return [t(node.label) for node in nodes_along(item.tree, path)]


def leaf(item, path: list[str]):
    try:
        return node_at(item.tree, path)[1]
    except KeyError:
        return None


def app_category(app: Application) -> str:
    return runtime_for(app.procedure_version).procedure.category.value


def respond(app: Application, stage_id: str | None = None, errors=None, status: int = 200, **extra):
    body = render(PAGE, "stage_panel", **page_context(app, stage_id, errors, **extra))
    response = make_response(body, status)
    if wants_fragment():
        response.headers["HX-Trigger"] = "stage-changed"
    return response


def after(app: Application, stage_id: str | None):
    """The stage again: a fragment for htmx, otherwise a redirect (post/redirect/get)."""
    return respond(app, stage_id) if wants_fragment() else back_to(app, stage_id)


def back_to(app: Application, stage_id: str | None = None):
    return redirect(url_for(f"{app_category(app)}.application", application_id=app.id,
                            stage=stage_id))


def findings(app: Application) -> list[dict]:
    """The dry run's failures, each with its stage, field label, message and clause."""
    runtime = runtime_for(app.procedure_version)
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
