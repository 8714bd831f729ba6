"""The portal's pages are valid HTML (Nu Html Checker), so old browsers parse them as meant."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from engine_support import ISSUER_STAGE, create_application, make_issuer, post_stage

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "htmx"
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path:
    if not VNU.exists() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=TOOLS, check=False)
    if VNU.exists() and shutil.which("java"):
        return VNU
    if os.environ.get("CI") == "true":
        pytest.fail("the Nu Html Checker needs java and npm (tools/htmx)")
    pytest.skip("java or npm is missing")


def test_pages_are_valid_html(db, client, auth, tmp_path):
    jar = vnu_jar()
    issuer = make_issuer(db)
    pages = {"login": client.get("/login").data}
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    _, listing = create_application(client, auth, issuer, code="test-listing", category="listing")
    for name, path in {"home": "/", "procedures": "/procedures", "users": "/users",
                       "partnership": "/partnership", "review": "/under-review",
                       "normative": "/normative-base", "profile": "/profile",
                       "stage": f"{url}?stage=placement", "summary": f"{url}?stage=summary",
                       "dynamic": listing, "new": "/disclosure/test-report/new"}.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.data
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_bytes(html)
    done = subprocess.run(["java", "-jar", str(jar), "--errors-only", *sorted(map(str, tmp_path.glob("*.html")))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr or done.stdout
