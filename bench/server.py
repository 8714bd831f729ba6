"""The portal under gunicorn as the README's production command runs it, on a free loopback
port with its own instance folder; a signed-in HTTP client for the benchmark's cookies."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENT = "is2in-bench"  # one User-Agent for the sign-in and wrk: "strong" session protection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, out: Path, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-" + "x" * 32,
                   PORTAL_INSTANCE_PATH=str(out / "instance"), UPLOAD_DIR=str(out / "files"),
                   MAIL_KEEP_INSIDE="1")
        self.log = open(out / "gunicorn.log", "w")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "wsgi:app"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/healthz", timeout=5).read() == b"ok":
                    return
            except OSError:  # not up yet (URLError, refused, timed out)
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer: see {out / 'gunicorn.log'}")

    def worker_rss_mb(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        rss = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            rss.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return rss

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Browser:
    """urllib with cookies and the bench's User-Agent; redirects are not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base, self.jar = base, CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  self._NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body,
                                     headers=dict({"User-Agent": AGENT}, **(headers or {})))
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:  # 3xx (not followed) and errors
            return e.code, e.read()

    def csrf(self, path: str) -> str:
        html = self.request(path)[1].decode()
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def sign_in(self, email: str, password: str) -> "Browser":
        token = self.csrf("/login")
        status, _ = self.request("/login", {"email": email, "password": password,
                                            "agreement": "y", "csrf_token": token})
        assert status == 302, f"sign-in of {email} answered {status}"
        return self

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
