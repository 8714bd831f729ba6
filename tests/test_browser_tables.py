"""The shipped "Admission to the official list" in a real browser at 1024 pixels: the securities
table keeps every column ("Maturity date", "Remove") within reach, and axe finds nothing serious
on its largest stages ("Issuer information", "Securities information")."""
from __future__ import annotations

from pathlib import Path

import pytest
from axe import assert_accessible
from browser import artifact, chromium, live_server  # noqa: F401  (fixtures)
from conftest import PASSWORD
from engine_support import make_issuer
from test_browser_smoke import sign_in
from test_browser_usability import _last_column_reachable, _page, _shifted

from portal.models import StageState

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue_dir():
    return str(Path(__file__).resolve().parents[1] / "portal" / "procedures")


def test_the_securities_table_is_not_clipped_at_1024(db, client, auth, live_server, chromium):  # noqa: F811
    issuer = make_issuer(db)
    auth.login(issuer.author.email)
    r = client.post("/listing/official-list-admission/new", data={"company": issuer.org.id})
    app_id = int(r.headers["Location"].split("/applications/")[1].split("?")[0])
    db.add(StageState(application_id=app_id, stage_id="issuer", status="filled", data={}))
    db.commit()
    page = _page(chromium, width=1024)
    sign_in(page, live_server, issuer.author.email, PASSWORD)
    page.goto(f"{live_server}/listing/applications/{app_id}?stage=issuer")
    assert_accessible(page, "Issuer information")
    page.goto(f"{live_server}/listing/applications/{app_id}?stage=securities")
    assert_accessible(page, "Securities information")
    box = "#field-securities .table-scroll"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert page.locator("input[name='f.securities.0.isin']").bounding_box()["width"] >= 60
    page.focus("input[name='f.securities.0.maturity']")  # tabbing into the far cells
    assert _shifted(page, "input[name='f.securities.0.maturity']") == 0
    headers = page.locator(f"{box} th").all_inner_texts()
    assert any("Maturity date" in h for h in headers)
    assert _last_column_reachable(page, box) == ["Remove", True, 0]
    page.screenshot(path=str(artifact("usability-securities-1024.png")), full_page=True)
    assert not page.errors
    page.context.close()
