"""A real browser signs in and sees the home page, with JavaScript on and off (G-4 … G-9)."""
from __future__ import annotations

import pytest
from axe import assert_accessible
from browser import artifact, chromium, live_server  # noqa: F401  (fixtures)
from sqlalchemy import select

from portal.cli import demo
from portal.infra.storage import store_bytes
from portal.models import User
from portal.web.layout import USER_MENU

pytestmark = pytest.mark.browser

DEMO_LOGIN = "candidate@demo.kz"  # a demo account whose language is English


@pytest.fixture
def demo_user(app, db):
    with app.app_context():
        demo.load(db, store_bytes)
    return db.scalar(select(User).where(User.email == DEMO_LOGIN))


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("input[name=agreement]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def expected_tabs(app) -> list[str]:
    """The user menu's tabs whose pages exist, in English."""
    with app.test_request_context():
        return [str(label) for endpoint, label in USER_MENU if endpoint in app.view_functions]


def test_sign_in_and_see_the_home_page(app, demo_user, live_server, chromium):  # noqa: F811
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and "Failed to load resource" not in msg.text else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    try:
        page.goto(f"{live_server}/login")
        assert_accessible(page, "login")  # axe needs JavaScript: only in this test
        sign_in(page, live_server, DEMO_LOGIN, demo.DEMO_PASSWORD)
        assert page.url == f"{live_server}/"
        page.screenshot(path=str(artifact("home.png")), full_page=True)
        assert page.locator(".header .who").inner_text() == demo_user.full_name
        assert page.locator(".header a.logo").get_attribute("href") == "/"
        tabs = page.locator(".menu .tabs a")
        labels = [t.strip() for t in tabs.all_inner_texts()]
        assert labels == expected_tabs(app)
        assert {"Users", "Partnership", "Normative base", "Exchange insiders"} <= set(labels)
        for label in labels:
            assert page.locator(".menu .tabs a", has_text=label).first.is_visible(), label
        assert "DEMOCAND" in page.locator(".menu .organisation").inner_text()
        assert page.evaluate("typeof window.htmx") == "object"  # the ES5 build loaded under CSP
        assert problems == []
        # a tab works
        page.locator(".menu .tabs a", has_text="Users").first.click()
        page.wait_for_load_state("load")
        assert page.url == f"{live_server}/users"
        assert demo_user.email in page.content()
        for path in ("/", "/users", "/partnership", "/procedures", "/under-review", "/notifications",
                     "/profile", "/normative-base"):
            page.goto(f"{live_server}{path}")
            assert_accessible(page, path)
    finally:
        context.close()
    assert artifact("home.png").stat().st_size > 5000


def test_sign_in_with_javascript_disabled(app, demo_user, live_server, chromium):  # noqa: F811
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, DEMO_LOGIN, demo.DEMO_PASSWORD)
        assert page.url == f"{live_server}/"
        assert page.locator(".header .who").inner_text() == demo_user.full_name
        assert page.locator(".menu .tabs a", has_text="Partnership").first.is_visible()
        # the language switch and "Log out" are plain forms: they work without JavaScript
        page.locator("form.language button[value=ru]").click()
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "ru"
        page.locator(".cabinet form button[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.url.startswith(f"{live_server}/login")
    finally:
        context.close()


def test_a_missing_browser_skips_locally_but_fails_under_ci(monkeypatch):
    import browser

    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        browser.require_chromium()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        browser.require_chromium()
