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


# set when the language was picked before signing in: that choice then wins over the profile's
CHOSEN_SIGNED_OUT = "lang_chosen"


def choose(code: str) -> None:
    """The language switch: remembered for this browser, and in the profile when signed in."""
    session["lang"] = code
    if getattr(current_user, "is_authenticated", False):
        current_user.language = code
    else:
        session[CHOSEN_SIGNED_OUT] = True


def chosen_before_sign_in() -> str | None:
    """The language picked on the sign-in page, read before sign-in resets the session."""
    return session.get("lang") if session.get(CHOSEN_SIGNED_OUT) else None


def signed_in(user, chosen: str | None) -> None:
    """The sign-in page's choice is the one used, and saved to the profile."""
    if chosen in current_app.config["LANGUAGES"]:
        user.language = chosen
    session["lang"] = user.language


def lang() -> str:
    """The current request's language code (kk, ru or en)."""
    return str(get_locale() or current_app.config["DEFAULT_LANGUAGE"])[:2]


LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language)
    app.jinja_env.globals.update(lang=lang, LANGUAGE_NAMES=LANGUAGE_NAMES)
