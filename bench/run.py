"""`make bench`: the portal under gunicorn on SQLite and PostgreSQL, at 1 000 and 100 000
applications, driven by wrk on loopback; every endpoint's cost against the floor (`/healthz`),
measured interleaved in rounds so the machine's drift cancels. Writes bench/results.json."""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from bench import targets
from bench.data import BOND, Dataset, generate
from bench.server import AGENT, Browser, Server

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_DB = "bench_portal"


def ensure_wrk() -> str:
    if not shutil.which("wrk"):  # Debian's wrk; as root, like `make test` installs Chromium
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return shutil.which("wrk")


def endpoints(data: Dataset, author, staff, save_body: str) -> dict:
    """name → (method, paths, headers, body, who: the signed-in Browser or None); paths go round."""
    bond, listing = data.bond_urls[0], data.listing_url
    hx = {"HX-Request": "true"}
    chain = data.chain
    step = (f"{listing}/stages/{chain['stage']}/chain/{chain['item']}?"
            + urllib.parse.urlencode({f"chain.{chain['item']}.0": chain["value"]}))
    mine, theirs = author, staff
    return {
        "floor": ("GET", ["/healthz"], {}, "", None),
        "full_stage": ("GET", [f"{bond}?stage=title_page"], {}, "", mine),
        "stage_partial": ("GET", [f"{bond}?stage=title_page"], hx, "", mine),
        "chain_step": ("GET", [step], dict(hx, **{"HX-Trigger-Name": f"chain.{chain['item']}.0"}), "", mine),
        "save": ("POST", [f"{bond}/stages/title_page"],
                 dict(hx, **{"Content-Type": "application/x-www-form-urlencoded"}), save_body, mine),
        "under_review": ("GET", ["/under-review"], {}, "", mine),
        "under_review_staff": ("GET", ["/under-review"], {}, "", theirs),
        "sign_in_page": ("GET", ["/login"], {}, "", None),
        "pdf_cached": ("GET", [f"{bond}/document.pdf"], {}, "", mine),
        "pdf_first": ("GET", [f"{u}/document.pdf" for u in data.bond_urls[1:]], {}, "", mine),
    }


def save_form(html: str, bond_url: str) -> str:
    """The title page's fields as the browser sends them on "Save" (hidden and text inputs)."""
    panel = html[html.index('action="' + bond_url + '/stages/title_page"'):]
    panel = panel[:panel.index("</form>")]
    fields = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', panel)
    # no row_version: every save of the run is a fresh one, not a stale conflict
    form = [(n, v) for n, v in fields if n not in ("action", "row_version")] + [("action", "save")]
    return urllib.parse.urlencode(form)


def wrk_once(wrk: str, base: str, spec, seconds: float, limit: int, connections: int = 4) -> dict:
    method, paths, headers, body, who = spec
    lines = [f"{k}: {v}" for k, v in dict(headers, **({"Cookie": who.cookie()} if who else {}),
                                          **{"User-Agent": AGENT}).items()]
    env = dict(os.environ, BENCH_METHOD=method, BENCH_PATHS=" ".join(paths),
               BENCH_HEADERS="\n".join(lines), BENCH_BODY=body, BENCH_MAX=str(limit))
    out = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{max(int(seconds), 1)}s", "--timeout", "20s",
                          "-s", str(HERE / "wrk.lua"), base], env=env, capture_output=True,
                         text=True, timeout=seconds + 60)
    if out.returncode or "BENCH " not in out.stdout:
        raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
    result = json.loads(out.stdout.split("BENCH ", 1)[1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def drain(base: str) -> None:
    """Wait until the workers have answered what wrk left queued: the next endpoint starts on
    idle workers (sync workers finish every request they accepted)."""
    for _ in range(4):
        urllib.request.urlopen(base + "/healthz", timeout=120).read()


def static_gzip_bytes(author: Browser, page: str) -> int:
    html = author.request(page)[1].decode()
    assets = set(re.findall(r'(?:src|href)="(/static/[^"?]+\.(?:js|css))', html))
    return sum(len(gzip.compress(author.request(a)[1], 6)) for a in assets)


def measure(wrk: str, server: Server, data: Dataset, rounds: int, seconds: float) -> dict:
    author = Browser(server.base).sign_in(data.emails["author"], data.password)
    staff = Browser(server.base).sign_in(data.emails["staff"], data.password)
    bond = data.bond_urls[0]
    specs = endpoints(data, author, staff,
                      save_form(author.request(f"{bond}?stage=title_page")[1].decode(), bond))
    sizes, spans = {}, {}
    for name, (method, paths, headers, body, who) in specs.items():
        who = who or Browser(server.base)
        started = time.monotonic()
        status, payload = who.request(paths[0], urllib.parse.parse_qsl(body) if body else None,
                                      headers)
        sizes[name] = {"status": status, "bytes": len(payload),
                       "single_ms": round((time.monotonic() - started) * 1000, 1)}
        # a slow endpoint runs longer: about 6 answers per round, never cut off mid-way
        spans[name] = min(max(seconds, round(6 * (time.monotonic() - started) + 0.5)), 60)
    runs = {name: [] for name in specs}
    for _ in range(rounds):  # interleaved: every endpoint once per round, floor first
        for name, spec in specs.items():
            # a PDF: one connection per worker, so its latency is its own, not a queue's
            runs[name].append(wrk_once(wrk, server.base, spec, spans[name], limit=100000,
                                       connections=2 if name.startswith("pdf") else 4))
            drain(server.base)
    result = {}
    for name, samples in runs.items():
        ratios = [floor["rps"] / s["rps"] for floor, s in zip(runs["floor"], samples) if s["rps"]]
        result[name] = dict(sizes[name], rps=statistics.median(s["rps"] for s in samples),
                            ratio=statistics.median(ratios) if ratios else None,
                            p50_ms=statistics.median(s["p50_us"] for s in samples) / 1000,
                            p95_ms=max(s["p95_us"] for s in samples) / 1000,
                            requests=sum(s["requests"] for s in samples),
                            errors=sum(s["errors"] for s in samples),
                            rps_rounds=[round(s["rps"], 1) for s in samples])
    return {"endpoints": result,
            "static_gzip_bytes": static_gzip_bytes(author, f"{data.bond_urls[0]}?stage=title_page"),
            "worker_rss_mb": [round(x, 1) for x in server.worker_rss_mb()]}


def database(backend: str, out: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{out / 'portal.sqlite'}"
    _pg(f"DROP DATABASE IF EXISTS {PG_DB}", f"CREATE DATABASE {PG_DB}")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"


def _pg(*statements: str) -> None:
    import psycopg
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def one(backend: str, size: int, wrk: str, rounds: int, seconds: float) -> dict:
    out = OUT / f"{backend}-{size}"
    shutil.rmtree(out, ignore_errors=True)
    (out / "instance").mkdir(parents=True)
    url = database(backend, out)
    try:
        started = time.monotonic()
        data = generate(url, size, str(out / "files"))
        generated = time.monotonic() - started
        server = Server(url, out)
        try:
            result = measure(wrk, server, data, rounds, seconds)
        finally:
            server.stop()
    finally:
        if backend == "postgresql":
            _pg(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    print_run(backend, size, result)
    return dict(result, backend=backend, size=size, generate_seconds=round(generated, 1))


def print_run(backend: str, size: int, result: dict) -> None:
    print(f"\n== {backend}, {size} applications ==")
    print(f"{'endpoint':20} {'req/s':>8} {'× floor':>8} {'target':>6} {'p50 ms':>8} "
          f"{'p95 ms':>8} {'bytes':>8} {'errors':>6}")
    for name, e in result["endpoints"].items():
        target = targets.TARGETS.get(name, "")
        print(f"{name:20} {e['rps']:8.1f} {e['ratio'] or 0:8.1f} {target:>6} {e['p50_ms']:8.1f} "
              f"{e['p95_ms']:8.1f} {e['bytes']:8} {e['errors']:6}")
    print(f"JS+CSS gzip per page: {result['static_gzip_bytes']} B; "
          f"worker RSS: {result['worker_rss_mb']} MB")


def machine() -> dict:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return {"cpu": cpu.group(1) if cpu else platform.processor(), "cores": os.cpu_count(),
            "python": platform.python_version(), "load_average": os.getloadavg(),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--output", default=str(HERE / "results.json"))
    args = parser.parse_args()
    wrk = ensure_wrk()
    report = {"machine": machine(), "procedure": BOND, "targets": targets.TARGETS, "runs": []}
    for backend in args.backends.split(","):
        for size in map(int, args.sizes.split(",")):
            report["runs"].append(one(backend, size, wrk, args.rounds, args.seconds))
    report["machine"]["load_average_after"] = os.getloadavg()
    Path(args.output).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nwritten: {args.output}")


if __name__ == "__main__":
    main()
