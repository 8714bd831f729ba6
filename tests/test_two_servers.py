"""Several application servers (issue 14 item 4): two gunicorn instances on one PostgreSQL
database and one Redis. A user moves between them; the sign-in limit is counted once."""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import services_support
from conftest import PASSWORD, csrf_token_from, make_org, make_user
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from portal.infra.migrate import upgrade

ROOT = Path(__file__).parents[1]
REDIS = services_support.REDIS
LIMIT = 6  # sign-in posts a minute, for both servers together


@pytest.fixture
def services():
    services_support.require(redis=True)
    with services_support.own_database("multi") as url:
        upgrade(url)
        yield url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser, one cookie jar: cookies ignore ports, so both servers get the same one."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=20) as r:
                return r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace"), dict(e.headers)

    def post(self, url: str, data: dict, form_page: str) -> tuple[int, str, dict]:
        token = csrf_token_from(self.request(form_page)[1])
        return self.request(url, dict(data, csrf_token=token))


def _start(url: str, port: int, tmp_path: Path, prefix: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_SANDBOX", "FLASK_DEBUG")}
    env.update(SECRET_KEY="two-servers-" + "x" * 40, DATABASE_URL=url, MAIL_KEEP_INSIDE="1",
               UPLOAD_DIR=str(tmp_path / "files"), PDF_SLOT_DIR=str(tmp_path / f"slots{port}"),
               RATELIMIT_STORAGE_URI="redis://%s:%d" % REDIS, RATELIMIT_KEY_PREFIX=prefix,
               LOGIN_RATE_LIMIT=f"{LIMIT} per minute",
               GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", GUNICORN_THREADS="2")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_ready(servers: dict, deadline: float) -> None:
    for base, process in servers.items():
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, f"{base} did not start in time"
            try:
                if Browser().request(f"{base}/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)


@pytest.mark.services
def test_a_user_moves_between_two_servers_and_the_limit_is_counted_once(services, tmp_path):
    engine = create_engine(services)
    with Session(engine, expire_on_commit=False) as s:
        user = make_user(s, make_org(s))
    engine.dispose()
    prefix = f"is2in-test-{os.getpid()}-{time.time_ns()}"  # counters of this run only
    ports = _free_port(), _free_port()
    servers = {f"http://127.0.0.1:{p}": _start(services, p, tmp_path, prefix) for p in ports}
    a, b = servers
    try:
        _wait_ready(servers, time.monotonic() + 90)
        browser = Browser()
        status, _body, headers = browser.post(f"{a}/login", {
            "email": user.email, "password": PASSWORD, "agreement": "y"}, f"{a}/login")
        assert status == 302, _body[:500]
        status, page, _ = browser.request(f"{b}/")  # the other server knows the session
        assert status == 200 and user.surname in page
        status, _, headers = browser.post(f"{b}/logout", {}, f"{b}/")
        assert status == 302
        # signed out on b: a copy of the old cookie no longer works on a
        old = Browser()
        for cookie in browser.jar:
            old.jar.set_cookie(cookie)
        status, _, headers = Browser.request(old, f"{a}/")
        assert status == 302 and "/login" in headers["Location"]

        # the sign-in limit: LIMIT posts in a minute from this address, whichever server gets
        # them (the successful sign-in above was the first)
        stranger = Browser()
        answers = [stranger.post(f"{(a, b)[n % 2]}/login", {
            "email": "nobody@test.kz", "password": "Wrong#pw1", "agreement": "y"},
            f"{(a, b)[n % 2]}/login")[0] for n in range(LIMIT)]
        assert answers[:LIMIT - 1] == [200] * (LIMIT - 1) and answers[LIMIT - 1] == 429
    finally:
        for process in servers.values():
            process.terminate()
        for process in servers.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            process.stderr.close()
