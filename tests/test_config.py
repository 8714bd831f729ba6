"""Settings come from the environment with safe defaults."""
from portal.config import from_environment


def test_cookies_are_secure_when_served_over_https(monkeypatch, tmp_path):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "https://is2in.example.kz")
    assert from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("PUBLIC_URL", "http://127.0.0.1:5000")
    assert from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is False


def test_secret_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = from_environment(tmp_path)["SECRET_KEY"]
    assert len(first) == 64 and first == from_environment(tmp_path)["SECRET_KEY"]
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_defaults_sqlite_in_the_instance_folder_and_kazakh(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DEFAULT_LANGUAGE", raising=False)
    monkeypatch.delenv("PORTAL_SANDBOX", raising=False)
    settings = from_environment(tmp_path)
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.sqlite'}"
    assert settings["DEFAULT_LANGUAGE"] == "kk"
    assert settings["SANDBOX"] is False  # demo data only where a sandbox is asked for
