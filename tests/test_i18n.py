"""The kk, ru and en catalogues: complete for the source as it is now, placeholders intact, in use."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"
LANGUAGES = ("kk", "ru", "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[a-zA-Z]")


def _po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def _catalogue(lang: str):
    with _po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def _strings(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _show(msgid) -> str:
    return repr(msgid[0] if isinstance(msgid, tuple) else msgid)


@pytest.fixture(scope="module")
def source_template(tmp_path_factory):
    """The messages of the source as it is now, extracted the way the README's `pybabel` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    with pot.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_source_message_is_translated(source_template, lang):
    catalogue = _catalogue(lang)
    problems = []
    for message in source_template:
        if not message.id:
            continue
        entry = catalogue.get(message.id, context=message.context)
        if entry is None:
            problems.append(f"missing: {_show(message.id)} ({message.locations[0][0]})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {_show(message.id)}")
        elif not all(_strings(entry)):
            problems.append(f"empty msgstr: {_show(message.id)}")
        elif isinstance(message.id, tuple) and len(_strings(entry)) != catalogue.num_plurals:
            problems.append(f"{len(_strings(entry))} plural forms, not {catalogue.num_plurals}: "
                            f"{_show(message.id)}")
    problems += [f"fuzzy: {_show(m.id)}" for m in catalogue if m.id and m.fuzzy
                 and source_template.get(m.id, context=m.context) is None]
    assert not problems, (f"{lang} catalogue ({_po_path(lang).relative_to(ROOT)}) has "
                          f"{len(problems)} problem(s); run pybabel update and translate:\n  "
                          + "\n  ".join(problems))


def test_english_is_the_source_language():
    wrong = [_show(m.id) for m in _catalogue("en") if m.id and all(_strings(m))
             and _strings(m)[0] != (m.id[0] if isinstance(m.id, tuple) else m.id)]
    assert not wrong, "en msgstr differs from msgid:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_the_msgid(lang):
    problems = []
    for message in _catalogue(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = sorted(set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0])))
        for index, text in enumerate(_strings(message)):
            if not text:
                continue
            found = sorted(set(PLACEHOLDER.findall(text)))
            if found != expected:
                problems.append(f"{_show(message.id)} [{index}]: {found} instead of {expected}")
                continue
            if expected:
                try:
                    text % {name: 1 for name in expected}
                except (ValueError, TypeError, KeyError) as exc:
                    problems.append(f"{_show(message.id)} [{index}]: does not format: {exc}")
    assert not problems, f"{lang}:\n  " + "\n  ".join(problems)


def _compile_if_stale() -> None:
    """Build each messages.mo the way `make translations` does, when it is missing or older
    than its .po (the .mo files are git-ignored)."""
    for lang in LANGUAGES:
        po = _po_path(lang)
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalogue = _catalogue(lang)
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                write_mo(f, catalogue, use_fuzzy=True)
            os.replace(tmp, mo)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


@pytest.fixture
def compiled_catalogues(app):
    _compile_if_stale()
    # Flask-Babel caches loaded catalogues: forget whatever was loaded before the .mo files
    # existed (the app holds no context of its own: push one for it)
    from portal.extensions import babel
    with app.app_context():
        babel.domain_instance.cache.clear()
    yield
    with app.app_context():
        babel.domain_instance.cache.clear()


@pytest.mark.parametrize("lang, log_in, absent", [
    ("kk", "Кіру", "Log in"),
    ("ru", "Войти", "Log in"),
    ("en", "Log in", "Войти"),
])
def test_login_page_speaks_the_chosen_language(compiled_catalogues, client, lang, log_in, absent):
    assert client.post("/language", data={"lang": lang}).status_code == 302
    html = client.get("/login").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert f">{log_in}</button>" in html
    assert f"<h1>{log_in}</h1>" in html
    assert absent not in html
