"""Languages: Kazakh, Russian and English; the user's choice is remembered."""
from __future__ import annotations

from flask import Flask, current_app, session
from flask_babel import get_locale
from flask_login import current_user

from portal.extensions import babel


def select_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return current_user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["DEFAULT_LANGUAGE"]


def lang() -> str:
    """The current request's language code (kk, ru or en)."""
    return str(get_locale() or current_app.config["DEFAULT_LANGUAGE"])[:2]


LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language)
    app.jinja_env.globals.update(lang=lang, LANGUAGE_NAMES=LANGUAGE_NAMES)
