"""An action the domain refuses: the reason is a code the web layer turns into a sentence."""
from __future__ import annotations


class Refused(Exception):
    """The action is not allowed now; .reason is a code, .params fill its sentence."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


class FormRefused(Refused):
    """A transition's form has errors: .errors is [(field id, (code, params))]."""

    def __init__(self, errors: list):
        super().__init__("form")
        self.errors = errors


def require(condition: bool, reason: str, **params) -> None:
    if not condition:
        raise Refused(reason, **params)
