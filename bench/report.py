"""bench/results.json as the Markdown tables of bench/RESULTS.md (`python -m bench.report`)."""
from __future__ import annotations

import json
from pathlib import Path

from bench import targets

HERE = Path(__file__).resolve().parent


def tables(report: dict) -> str:
    m = report["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}; {m['date']}; "
             f"load average before {m['load_average']}, after {m.get('load_average_after')}.", ""]
    for run in report["runs"]:
        lines += [f"### {run['backend']}, {run['size']} applications "
                  f"(generated in {run['generate_seconds']} s)", "",
                  "| endpoint | req/s | × floor | target | p50 ms | p95 ms | one request ms | bytes | errors |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, e in run["endpoints"].items():
            lines.append(f"| {name} | {e['rps']:.1f} | {e['ratio'] or 0:.1f} | "
                         f"{targets.TARGETS.get(name, '')} | {e['p50_ms']:.1f} | {e['p95_ms']:.1f} | "
                         f"{e['single_ms']} | {e['bytes']} | {e['errors']} |")
        lines += ["", f"JS+CSS gzip per page: {run['static_gzip_bytes']} B; worker RSS after the "
                      f"run: {run['worker_rss_mb']} MB.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(tables(json.loads((HERE / "results.json").read_text())))
