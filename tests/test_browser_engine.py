"""A real browser walks the dynamic chain and the stage buttons, with JavaScript on and off."""
from __future__ import annotations

import pytest
from axe import assert_accessible
from browser import artifact, chromium, live_server  # noqa: F401  (fixtures)
from conftest import PASSWORD
from engine_support import application, make_issuer
from test_browser_smoke import sign_in

pytestmark = pytest.mark.browser


def _new_listing(page, base):
    page.goto(f"{base}/listing/test-listing/new")
    page.locator("button.primary").click()
    page.wait_for_load_state("load")
    return int(page.url.split("/applications/")[1].split("?")[0])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_dynamic_chain_and_stage_buttons(javascript, db, live_server, chromium):  # noqa: F811
    issuer = make_issuer(db)
    context = chromium.new_context(java_script_enabled=javascript, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    sign_in(page, live_server, issuer.author.email, PASSWORD)
    app_id = _new_listing(page, live_server)

    for level, value in enumerate(["main", "shares", "premium"]):
        if javascript:  # htmx fetches the next drop-down in place
            with page.expect_response(lambda response: "/chain/securities" in response.url):
                page.select_option(f"#chain-securities-{level}", value)
            nxt = f"#chain-securities-{level + 1}" if level < 2 else "#chain-securities-key"
            # htmx binds the new drop-down's trigger once the swap settles (htmx-added removed)
            page.wait_for_selector(f"#chain-securities:not(.htmx-added):not(.htmx-settling) {nxt}")
        else:  # the plain form steps with "Next"
            page.select_option(f"#chain-securities-{level}", value)
            page.locator("button[value='chain:securities']").click()
            page.wait_for_load_state("load")
    page.fill("#chain-securities-key", "KZ2C00000081")
    page.locator("button[value='add:securities']").click()
    page.wait_for_selector("input[name='f.securities.0.free_float']")
    page.fill("input[name='f.securities.0.free_float']", "25")
    if javascript:  # axe runs scripts; the page is the same without them
        assert_accessible(page, "dynamic stage")
    page.screenshot(path=str(artifact(f"dynamic-{'js' if javascript else 'nojs'}.png")), full_page=True)
    page.locator("button[value='done']").click()
    page.wait_for_selector(".stage-link.status-filled")
    assert "Filled" in page.locator(".stage-link.status-filled").first.inner_text()
    state = {s.stage_id: s for s in application(db, app_id).stages}["requirements"]
    assert state.status == "filled"
    assert state.data["securities"] == [{"path": ["main", "shares", "premium"], "key": "KZ2C00000081",
                                         "values": {"free_float": "25"}}]
    assert not errors
    context.close()
