"""Shared pieces of the system-level proof tests (issue 16): the results line each one prints,
and a portal under gunicorn on loopback with its own SQLite database."""
from __future__ import annotations

from pathlib import Path

RESULTS_KEY = "proof results"
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def results(record_property, name: str, *, requests: int, errors: int, acknowledged: int,
            found: int, lost: int) -> str:
    """Print the figures and keep them on the test's report, so the summary shows them even
    when pytest captures output or runs the test in an xdist worker."""
    line = (f"{name}: requests={requests} errors={errors} acknowledged={acknowledged} "
            f"found={found} lost={lost}")
    print(line)
    record_property(RESULTS_KEY, line)
    return line


def terminal_summary(terminalreporter) -> None:
    """conftest's pytest_terminal_summary: one line per proof test that ran."""
    lines = [value for report in terminalreporter.stats.get("passed", []) +
             terminalreporter.stats.get("failed", [])
             for key, value in getattr(report, "user_properties", ()) if key == RESULTS_KEY]
    if lines:
        terminalreporter.section("proof results")
        for line in lines:
            terminalreporter.write_line(line)

