"""Production mode (issue 14 item 1): refusals at start, gunicorn settings, the error page."""
import logging
import runpy
from pathlib import Path

import pytest

from portal import create_app
from portal.web import access

GOOD_KEY = "k" * 48
PRODUCTION = {"SECRET_KEY": GOOD_KEY, "TESTING": False,
              "SANDBOX": False, "DATABASE_URL": "sqlite://", "SANDBOX_SIGNING": False,
              "DEMO_DATA": False}


def test_a_well_configured_production_app_starts():
    assert create_app(dict(PRODUCTION)).config["TESTING"] is False


@pytest.mark.parametrize("change, reason", [
    ({"SECRET_KEY": "change-me"}, "well-known default"),
    ({"SECRET_KEY": "short-but-unusual"}, "shorter than 32"),
    ({"DEBUG": True}, "debug mode is on"),
    ({"SANDBOX_SIGNING": True}, "SANDBOX_SIGNING is on"),
    ({"DEMO_DATA": True}, "demo data loading is on"),
])
def test_production_refuses_to_start_and_says_why(change, reason):
    with pytest.raises(RuntimeError, match=reason):
        create_app(dict(PRODUCTION, **change))


def test_the_generated_instance_key_is_refused_in_production(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    settings = dict(PRODUCTION)
    del settings["SECRET_KEY"]
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(settings)
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    assert create_app(settings).config["SECRET_KEY"] == GOOD_KEY


def test_a_sandbox_may_use_the_generated_key_and_sandbox_signing(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    settings = dict(PRODUCTION, SANDBOX=True, SANDBOX_SIGNING=True, DEMO_DATA=True)
    del settings["SECRET_KEY"]  # the one generated into instance/
    app = create_app(settings)
    assert app.config["SANDBOX"]


def test_gunicorn_settings_fit_two_cores_and_share_no_control_socket(monkeypatch):
    path = str(Path(__file__).parents[1] / "gunicorn.conf.py")
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    settings = runpy.run_path(path)
    assert (settings["workers"], settings["threads"]) == (2, 4)
    assert settings["control_socket_disable"] is True
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "/tmp/is2in-a.ctl")
    settings = runpy.run_path(path)
    assert settings["control_socket_disable"] is False
    assert settings["control_socket"] == "/tmp/is2in-a.ctl"


def test_an_error_shows_a_correlation_id_that_is_in_the_log(make_app, caplog):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise ValueError("secret internals 42")

    access.register("boom", access.PUBLIC)
    try:
        with caplog.at_level(logging.INFO, logger="portal"):
            r = app.test_client().get("/boom")
    finally:
        access.POLICY.pop("boom")
    page = r.get_data(as_text=True)
    correlation = r.headers["X-Request-Id"]
    assert r.status_code == 500 and f"Error reference: {correlation}" in page
    assert "Traceback" not in page and "secret internals" not in page
    error = [rec for rec in caplog.records if rec.getMessage() == "unhandled error"]
    assert error and error[0].request_id == correlation and error[0].exc_info


def test_the_documented_gunicorn_command_accepts_its_settings(tmp_path):
    import os
    import subprocess
    import sys
    root = Path(__file__).parents[1]
    env = dict(os.environ, SECRET_KEY="s" * 40, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite",
               UPLOAD_DIR=str(tmp_path / "files"))
    env.pop("PORTAL_SANDBOX", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    done = subprocess.run([str(gunicorn), "--check-config", "-c", "gunicorn.conf.py", "wsgi:app"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    env["SECRET_KEY"] = "change-me"
    done = subprocess.run([str(gunicorn), "--check-config", "-c", "gunicorn.conf.py", "wsgi:app"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "well-known default" in done.stderr
