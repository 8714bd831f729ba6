"""Issue 12 in a real browser (Debian's Chromium): feedback where the user is, Enter that saves,
tables that scroll in their own box, comment boxes that fold without <details>, the language
switch, focus on chain choices; axe-core on every page walked."""
from __future__ import annotations

import pytest
from axe import assert_accessible
from browser import artifact, chromium, live_server  # noqa: F401  (fixtures)
from conftest import PASSWORD
from engine_support import ISSUER_STAGE, application, make_issuer, post_stage, sent_for_approval
from test_browser_smoke import sign_in

pytestmark = pytest.mark.browser


def _page(chromium, javascript=True, width=1280):  # noqa: F811
    context = chromium.new_context(java_script_enabled=javascript, locale="en-GB",
                                   viewport={"width": width, "height": 800})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    return page


def _create(page, base, path="disclosure/test-report"):
    page.goto(f"{base}/{path}/new")
    page.locator("main button.primary").click()
    page.wait_for_load_state("load")
    return int(page.url.split("/applications/")[1].split("?")[0])


def _in_view(page, selector: str) -> bool:
    return page.evaluate("""(s) => { var r = document.querySelector(s).getBoundingClientRect();
        return r.top >= -2 && r.bottom <= window.innerHeight + 2; }""", selector)


def _announced(page, text: str) -> None:
    """The live region said it (polled from here: wait_for_function would need unsafe-eval)."""
    for _ in range(40):
        if text in page.inner_text("#announce"):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"not announced: {text!r}, but {page.inner_text('#announce')!r}")


def _focused(page, prop: str = "id"):
    return page.evaluate(f"document.activeElement && document.activeElement.{prop}")


def test_save_and_done_show_their_message_where_the_user_is(db, live_server, chromium):  # noqa: F811
    issuer = make_issuer(db)
    page = _page(chromium)
    sign_in(page, live_server, issuer.author.email, PASSWORD)
    assert_accessible(page, "home")
    app_id = _create(page, live_server)
    assert_accessible(page, "issuer stage")
    page.keyboard.press("Tab")
    assert _focused(page, "className") == "skip-link"  # the first stop skips the menus

    page.fill("input[name='f.name']", ISSUER_STAGE["f.name"])
    page.check("input[name='f.organised'][value=yes]")
    page.press("input[name='f.name']", "Enter")  # Enter is "Save"
    page.wait_for_selector("#stage-panel .flash")
    assert "Saved." in page.inner_text("#stage-panel .flash")
    assert "flash" in _focused(page, "className") and _in_view(page, "#stage-panel .flash")
    _announced(page, "Saved.")

    page.select_option("select[name='f.category']", "a")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("button[value=done]").click()
    page.wait_for_selector("#stage-title:has-text('Placement')")
    assert "The stage is filled." in page.inner_text("#stage-panel .flash")
    assert _in_view(page, "#stage-panel .flash") and "flash" in _focused(page, "className")
    assert "stage=placement" in page.url  # the address names the stage shown
    assert_accessible(page, "placement stage")

    marks = "#field-guarantors .req-if"  # required only for secured bonds: marked as it becomes so
    assert not page.locator(marks).first.is_visible()
    page.check("input[name='f.secured'][value=yes]")
    assert page.locator(marks).first.is_visible() and page.locator(marks).count() == 2  # field, column
    page.check("input[name='f.secured'][value=no]")
    assert not page.locator(marks).first.is_visible()
    page.fill("input[name='f.start']", "01.12.2026")
    page.fill("input[name='f.end']", "2026-12-31")
    page.fill("input[name='f.number']", "abc")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("button[value=done]").click()
    page.wait_for_selector("#field-number.has-error")
    assert _focused(page, "name") == "f.number" and _in_view(page, "#field-number")
    described = page.get_attribute("input[name='f.number']", "aria-describedby")
    assert "Enter a whole number." in page.inner_text(f"#{described}")
    _announced(page, "Enter a whole number.")
    assert_accessible(page, "placement stage with errors")
    state = {s.stage_id: s for s in application(db, app_id).stages}["placement"]
    assert state.data["start"] == "2026-12-01" and state.data["number"] is None

    page.locator("form.language button[value=ru]").click()  # after htmx moved on two stages
    page.wait_for_load_state("load")
    assert "stage=placement" in page.url and page.inner_text("#stage-title") == "Размещение"
    page.screenshot(path=str(artifact("usability-feedback.png")), full_page=True)
    assert not page.errors
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_enter_in_a_field_never_removes_an_entry(javascript, db, live_server, chromium):  # noqa: F811
    issuer = make_issuer(db)
    page = _page(chromium, javascript)
    sign_in(page, live_server, issuer.author.email, PASSWORD)
    app_id = _create(page, live_server, "listing/test-listing")
    for level, value in enumerate(["main", "shares", "premium"]):
        select = f"#chain-securities-{level}"
        if javascript:
            page.focus(select)
            with page.expect_response(lambda response: "/chain/securities" in response.url):
                page.select_option(select, value)
            page.wait_for_selector(f"#chain-securities:not(.htmx-added):not(.htmx-settling) {select}")
            assert _focused(page) == f"chain-securities-{level}"  # focus stays on the choice
        else:
            page.select_option(select, value)
            page.locator("button[value='chain:securities']").click()
            page.wait_for_load_state("load")
            assert f"chain.securities.{level}={value}" in page.url  # a GET: reload asks nothing
    page.fill("#chain-securities-key", "KZ2C00000081")
    page.locator("button[value='add:securities']").click()
    page.wait_for_selector("input[name='f.securities.0.free_float']")
    if javascript:
        assert_accessible(page, "dynamic stage")
    page.fill("input[name='f.securities.0.free_float']", "25")
    page.press("input[name='f.securities.0.free_float']", "Enter")
    page.wait_for_selector("main .flash:has-text('Saved.')")
    state = {s.stage_id: s for s in application(db, app_id).stages}["requirements"]
    assert [e["values"] for e in state.data["securities"]] == [{"free_float": "25"}]
    assert not page.errors
    page.context.close()


def _last_column_reachable(page, box: str):
    """Scroll the table's own box to its end (and the window to it): is the last header cell
    there and not clipped by the layout, and did no other container shift to show it?"""
    return page.evaluate(f"""() => {{ var b = document.querySelector('{box}');
        b.scrollLeft = 10000;
        var ths = b.querySelectorAll('th'), th = ths[ths.length - 1];
        window.scrollTo(0, window.pageYOffset + th.getBoundingClientRect().top - 100);
        var r = th.getBoundingClientRect();
        var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return [th.textContent, !!hit && th.contains(hit), _shift()];
        function _shift() {{ var n = b.parentNode, s = 0;
            for (; n && n.nodeType === 1; n = n.parentNode) {{ s += n.scrollLeft; }}
            return s + window.pageXOffset; }} }}""")


def _shifted(page, selector: str) -> int:
    """How far the page or any container of the element scrolled sideways (0: nothing moved)."""
    return page.evaluate("""(sel) => { var n = document.querySelector(sel);
        n = n.parentNode; while (n && !(n.className && /table-scroll/.test(n.className))) { n = n.parentNode; }
        var s = 0;
        for (n = n.parentNode; n && n.nodeType === 1; n = n.parentNode) { s += n.scrollLeft; }
        return s + window.pageXOffset; }""", selector)


def test_wide_tables_scroll_in_their_own_box_at_1024(db, client, auth, live_server, chromium):  # noqa: F811
    issuer = make_issuer(db)
    page = _page(chromium, width=1024)
    sign_in(page, live_server, issuer.author.email, PASSWORD)
    app_id = _create(page, live_server)
    auth.login(issuer.author.email)
    post_stage(client, f"/disclosure/applications/{app_id}", "issuer", ISSUER_STAGE)
    page.goto(f"{live_server}/disclosure/applications/{app_id}?stage=placement")
    box = "#field-holders .table-scroll"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024  # the page does not scroll
    isin = page.locator("input[name='f.holders.0.isin']").bounding_box()
    assert isin["width"] >= 60  # no 25-pixel cells
    page.focus("input[name='f.holders.0.maturity']")  # tabbing to the far cell
    assert _shifted(page, "input[name='f.holders.0.maturity']") == 0
    assert _last_column_reachable(page, box) == ["Remove", True, 0]
    page.set_viewport_size({"width": 760, "height": 800})  # narrower still: the box scrolls
    assert page.evaluate(f"(s => {{ var b = document.querySelector(s); return b.scrollWidth > b.clientWidth; }})('{box}')")
    assert _last_column_reachable(page, box) == ["Remove", True, 0]
    page.screenshot(path=str(artifact("usability-table-1024.png")), full_page=True)
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_comment_boxes_fold_without_details(javascript, db, client, auth, live_server,  # noqa: F811
                                            chromium):  # noqa: F811
    issuer = make_issuer(db)
    _, url = sent_for_approval(client, auth, issuer)
    page = _page(chromium, javascript)
    sign_in(page, live_server, issuer.head.email, PASSWORD)
    page.goto(f"{live_server}{url}?stage=summary")
    assert page.locator(".comments details").count() == 0  # Firefox 33-48 cannot fold those
    boxes = page.locator(".comment-box")
    assert boxes.count() > 5 and not any(boxes.nth(i).is_visible() for i in range(boxes.count()))
    toggle = page.locator("#comments-name .comment-toggle")
    if javascript:
        assert_accessible(page, "first head's summary")
        toggle.click()
        assert page.locator("#comment-box-name").is_visible()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert _focused(page) == "comment-text-name"
        page.fill("#comment-text-name", "Толық атауын жазыңыз.")
        page.locator("#comment-box-name button").click()
        page.wait_for_selector("#comments-name .comment:has-text('Толық атауын')")
    else:
        toggle.click()  # the field's own comment page
        page.wait_for_load_state("load")
        assert "/fields/name/comments" in page.url
        page.fill("textarea[name=text]", "Толық атауын жазыңыз.")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("stage=summary#field-name")  # back at the field, not the top
        assert _in_view(page, "#field-name")
        assert "Толық атауын" in page.inner_text("#comments-name")
    assert not page.errors
    page.context.close()
