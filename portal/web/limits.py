"""How big a request may be: small for every form post, larger only where files are sent.

Werkzeug's MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS bound only multipart bodies, so without
this a urlencoded post of 20 MB was read, stored and sent back in every page (issue 11).
"""
from __future__ import annotations

from flask import Flask, Request, current_app

from portal.domain.procedures.definitions import Category

# endpoints that take files: a stage form (its file fields) and a normative-base document
UPLOAD_ENDPOINTS = frozenset({"admin.normative_new", *(f"{c.value}.stage" for c in Category)})


class PortalRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        limit = super().max_content_length
        if (self.endpoint in UPLOAD_ENDPOINTS and self.mimetype == "multipart/form-data"
                and current_app):
            return current_app.config["MAX_UPLOAD_LENGTH"]
        return limit

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def init_app(app: Flask) -> None:
    app.request_class = PortalRequest
