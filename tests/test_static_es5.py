"""Every script under portal/static must be ES5: the portal has to run on Chrome 38 / Firefox 33.

Runs tools/es5check.sh (es-check, installed from tools/htmx/package-lock.json).
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_static_js_is_es5():
    if shutil.which("npm") is None or shutil.which("npx") is None:
        message = "npm/npx not found: cannot run es-check on portal/static"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    result = subprocess.run(
        ["bash", "tools/es5check.sh"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"tools/es5check.sh exited {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
