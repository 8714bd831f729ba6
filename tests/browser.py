"""Browser-test fixtures: the portal served on 127.0.0.1 by werkzeug in a thread, and Debian's
Chromium driven by Playwright (RECIPES.md §6; never a browser that Playwright downloads).

Import the fixtures into a test module: `from browser import chromium, live_server`.
Without /usr/bin/chromium the browser tests are skipped, except under CI=true, where a
missing browser fails them: nothing may be skipped for lack of a service there.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).with_name("artifacts")


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install -y chromium (RECIPES.md §6)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def live_server(app, db):
    """The test app served over real HTTP. The test database is a file (SQLite) or a server
    (PostgreSQL), so the server's threads see what the test wrote."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def chromium():
    """A headless Chromium; each test opens its own contexts (JavaScript on or off)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
