"""Where a request's time goes: cProfile over the portal in-process (Flask's test client) on
1 000 generated applications. `python -m bench.profile` writes bench/profile-<page>.txt."""
from __future__ import annotations

import cProfile
import io
import pstats
import shutil
import time
from pathlib import Path

from bench.data import generate

HERE = Path(__file__).resolve().parent
PAGES = {  # name → (path under the first bond prospectus or absolute, htmx?)
    "stage-partial": ("?stage=title_page", True),
    "under-review": ("/under-review", False),
}


def signed_in_client(size: int = 1000):
    from portal import create_app
    out = HERE / "out" / "profile"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    url = f"sqlite:///{out / 'portal.sqlite'}"
    data = generate(url, size, str(out / "files"))
    app = create_app({"DATABASE_URL": url, "UPLOAD_DIR": str(out / "files"), "SECRET_KEY": "p" * 40,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    r = client.post("/login", data={"email": data.emails["author"], "password": data.password,
                                    "agreement": "y"})
    assert r.status_code == 302, r.status_code
    return client, data


def profile(client, path: str, headers: dict, count: int) -> str:
    for _ in range(3):  # warm: templates compiled, runtimes parsed
        assert client.get(path, headers=headers).status_code == 200
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(count):
        client.get(path, headers=headers)
    profiler.disable()
    per_request = (time.perf_counter() - started) / count * 1000
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    return f"GET {path} {headers}: {count} requests, {per_request:.1f} ms each under cProfile\n" \
           + text.getvalue().replace(str(HERE.parent) + "/", "")


def main() -> None:
    client, data = signed_in_client()
    for name, (tail, hx) in PAGES.items():
        path = tail if tail.startswith("/") else data.bond_urls[0] + tail
        report = profile(client, path, {"HX-Request": "true"} if hx else {}, 20 if hx else 5)
        (HERE / f"profile-{name}.txt").write_text(report)
        print(report.splitlines()[0])


if __name__ == "__main__":
    main()
