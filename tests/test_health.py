"""/healthz: a constant public answer (the benchmark's floor, a load balancer's probe)."""
import subprocess
import sys


def test_healthz_answers_ok_without_signing_in(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.data == b"ok"
    assert r.headers["Content-Type"].startswith("text/plain")


def test_instance_folder_from_the_environment(tmp_path):
    # a fresh interpreter: the instance folder is fixed when the app is created
    code = "from portal import create_app; print(create_app().instance_path)"
    env = {"PORTAL_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x" * 40, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == str(tmp_path)
