"""The portal's pages are valid HTML (Nu Html Checker), so old browsers parse them as meant."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PASSWORD
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
    check(jar, pages, tmp_path)


def check(jar, pages: dict, tmp_path) -> None:
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_bytes(html)
    done = subprocess.run(["java", "-jar", str(jar), "--errors-only", *sorted(map(str, tmp_path.glob("*.html")))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr or done.stdout


def test_sign_in_steps_and_account_pages_are_valid_html(app, db, client, auth, tmp_path):
    """The second factor, re-authentication and first-head pages (issue 11)."""
    from conftest import exchange_org, login_as, make_staff
    jar = vnu_jar()
    issuer = make_issuer(db)
    staff = make_staff(db, exchange_org(db), totp_secret=None)
    client.post("/login", data={"email": staff.email, "password": PASSWORD, "agreement": "y"})
    pages = {"enrol": client.get("/login/enrol").data}
    staff2 = make_staff(db, exchange_org(db))
    other = app.test_client()
    other.post("/login", data={"email": staff2.email, "password": PASSWORD, "agreement": "y"})
    pages["code"] = other.get("/login/code").data
    login_as(other, staff2)
    pages["requests"] = other.get("/admin/first-head-requests").data
    pages["organisation"] = other.get(f"/admin/organisations/{issuer.org.id}").data
    login_as(client, issuer.admin)
    pages["users_admin"] = client.get("/users").data
    pages["reauthenticate"] = client.get("/reauthenticate?next=/").data
    assert all(b"<h1>" in html for html in pages.values()), [n for n, h in pages.items() if b"<h1>" not in h]
    check(jar, pages, tmp_path)
