"""Our one place for htmx: fragment or full page, and Vary on every response.

flask-htmx (the maintained successor of the design card's htmx-flask) parses the headers;
this module decides, once, when a request gets only a fragment (STYLE.md habit 4).
"""
from __future__ import annotations

from flask import Flask, render_template
from jinja2_fragments.flask import render_block

from portal.extensions import htmx


def wants_fragment() -> bool:
    """An htmx request that is neither a history restore nor a boosted navigation."""
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def htmx_trigger_name() -> str | None:
    """The name of the element that fired the htmx request, if any."""
    return htmx.trigger_name if htmx else None


def render(template: str, block: str | None = None, **context) -> str:
    """The named block alone for htmx, the whole page otherwise."""
    if block and wants_fragment():
        return render_block(template, block, **context)
    return render_template(template, **context)


def init_app(app: Flask) -> None:
    htmx.init_app(app)

    @app.after_request
    def _vary(response):
        response.vary.add("HX-Request")
        return response
