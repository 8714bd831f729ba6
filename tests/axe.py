"""axe-core (npm, installed in tools/htmx like vnu-jar; never a CDN) run by Playwright on a page:
any serious or critical finding fails the test.

`page.evaluate` is not bound by the page's Content-Security-Policy, so the portal's strict CSP
stays on while axe runs.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "htmx"
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")


@lru_cache(maxsize=1)
def _source() -> str | None:
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=TOOLS, check=False)
    return AXE.read_text(encoding="utf-8") if AXE.exists() else None


def assert_accessible(page, where: str = "") -> list[dict]:
    """Run axe on the page as it is now; returns the findings below serious, for a look.
    Only in a context with JavaScript on (axe is a script; evaluate waits for ever without it)."""
    source = _source()
    if source is None:
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is missing: npm ci in tools/htmx")
        pytest.skip("axe-core is missing (npm ci in tools/htmx)")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source + "\n;true")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in FAILING]
    assert not bad, f"axe on {where or page.url}:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in bad)
    return [v for v in result["violations"] if v.get("impact") not in FAILING]
