"""Settings from the environment with safe defaults; tests pass a dict over them."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/ (which only a
    sandbox or debug run may use: production_problems refuses it)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def from_environment(instance: Path) -> dict:
    return {
        "SECRET_KEY": _secret_key(instance),
        # create_app clears it when the key comes from elsewhere (instance/config.py, a test)
        "SECRET_KEY_GENERATED": not os.environ.get("SECRET_KEY"),
        # loading the demo organisations and accounts at start (sandboxes only)
        "DEMO_DATA": _flag("PORTAL_DEMO_DATA"),
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        # /readyz reports the outbox stuck when a pending mail is older than this
        "READY_OUTBOX_MAX_AGE_MINUTES": int(os.environ.get("READY_OUTBOX_MAX_AGE_MINUTES", "30")),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'portal.sqlite'}"),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance / "files")),
        # "directory" (UPLOAD_DIR, shared by every server) or "database" (README "File storage")
        "DOCUMENTS_STORAGE": os.environ.get("DOCUMENTS_STORAGE", "directory"),
        "DOCUMENTS_QUOTA_MB": int(os.environ.get("DOCUMENTS_QUOTA_MB", "500")),
        "PDF_SLOT_DIR": os.environ.get("PDF_SLOT_DIR", str(instance / "pdf-slots")),
        "DEFAULT_LANGUAGE": os.environ.get("DEFAULT_LANGUAGE", "kk"),
        # times are shown in the exchange's zone; stored as UTC
        "EXCHANGE_TIMEZONE": os.environ.get("EXCHANGE_TIMEZONE", "Asia/Almaty"),
        # demo / training sandbox: banner, demo data allowed, mail kept inside the portal
        "SANDBOX": _flag("PORTAL_SANDBOX"),
        "MAIL_KEEP_INSIDE": _flag("MAIL_KEEP_INSIDE", _flag("PORTAL_SANDBOX")),
        "MAINTENANCE": _flag("PORTAL_MAINTENANCE"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "is2in@localhost"),
        "MAIL_TIMEOUT": 10,
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Secure cookies whenever the portal is served over HTTPS
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE",
                                       os.environ.get("PUBLIC_URL", "").startswith("https://")),
        # redis://127.0.0.1:6379 with several servers: one counter for all of them
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "is2in"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "20 per minute"),
        "EXCHANGE_TIMEZONE": os.environ.get("EXCHANGE_TIMEZONE", "Asia/Almaty"),
        # EDS: the PEM files of the roots a signer's certificate must chain to (os.pathsep-separated)
        "SIGNING_TRUST_ROOTS": [p for p in os.environ.get("SIGNING_TRUST_ROOTS", "").split(os.pathsep)
                                if p],
        # signing with an uploaded key store (.p12): sandboxes and training only, never production
        "SANDBOX_SIGNING": _flag("SANDBOX_SIGNING"),
        # where the demo keeps its sandbox CA and its first heads' key stores
        "DEMO_SIGNING_DIR": os.environ.get("DEMO_SIGNING_DIR", str(instance / "signing")),
        # questionnaire answers older than this are flagged for re-confirmation (G-9.6)
        "QUESTIONNAIRE_MAX_AGE_DAYS": int(os.environ.get("QUESTIONNAIRE_MAX_AGE_DAYS", "365")),
    }


DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "is2in_session",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    # every post; upload endpoints take MAX_UPLOAD_LENGTH for multipart bodies (web/limits.py)
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "MAX_UPLOAD_LENGTH": 50 * 1024 * 1024,
    "DOCUMENTS_MAX_FILE_MB": 45,  # one uploaded file; the request itself stops at MAX_UPLOAD_LENGTH
    "PDF_PARALLEL": 2,  # PDF renders at once on one machine (one more per user is refused)
    "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
    "MAX_FORM_PARTS": 2000,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "LANGUAGES": ("kk", "ru", "en"),
    "BABEL_TRANSLATION_DIRECTORIES": "translations",
    "PASSWORD_MIN_LENGTH": 8,
    "PASSWORD_MAX_LENGTH": 12,
    "PASSWORD_MAX_AGE_DAYS": 60,
    "PASSWORD_HISTORY": 5,
    # argon2's cost for new hashes (PasswordHasher's arguments); None: argon2-cffi's defaults,
    # or TEST_PASSWORD_HASH under TESTING
    "PASSWORD_HASH": None,
    "STAFF_TOTP": True,  # exchange staff sign in with a TOTP code too
    # "Approved" and the exchange's decisions want the password typed at most this long ago
    # (else the re-authentication page asks for it again)
    "FRESH_SIGN_IN_MINUTES": 15,
}

# secrets that appear in examples and tutorials: a deployment using one has no secret at all
KNOWN_SECRETS = {"dev", "development", "secret", "changeme", "change-me", "test-secret",
                 "secret-key", "your-secret-key", "please-change-me"}
MIN_SECRET_LENGTH = 32


def is_production(config) -> bool:
    return not (config.get("TESTING") or config.get("SANDBOX"))


def production_problems(config, debug: bool = False) -> list[str]:
    """Why this configuration must not serve in production (empty when it may)."""
    if not is_production(config):
        return []
    problems = []
    key = config.get("SECRET_KEY") or ""
    if config.get("SECRET_KEY_GENERATED"):
        problems.append("SECRET_KEY is not set (the key generated into instance/ is for "
                        "sandboxes and debugging only)")
    elif key.lower() in KNOWN_SECRETS:
        problems.append("SECRET_KEY is a well-known default value")
    elif len(key) < MIN_SECRET_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters")
    if debug or config.get("DEBUG"):
        problems.append("debug mode is on (FLASK_DEBUG)")
    if config.get("SANDBOX_SIGNING"):
        problems.append("SANDBOX_SIGNING is on (key stores leave the users' machines)")
    if config.get("DEMO_DATA"):
        problems.append("demo data loading is on (PORTAL_DEMO_DATA)")
    return problems


def host_prefix(config) -> None:
    """Over HTTPS the session cookie takes the __Host- prefix: the browser then accepts it only
    from this host, with Secure and Path=/, so no sibling domain can set or shadow it."""
    name = config["SESSION_COOKIE_NAME"]
    if config.get("SESSION_COOKIE_SECURE") and not name.startswith("__Host-"):
        config.update(SESSION_COOKIE_NAME=f"__Host-{name}", SESSION_COOKIE_DOMAIN=None,
                      SESSION_COOKIE_PATH="/")


# Tests hash at the least cost argon2 allows: the default cost was half of the suite's time
TEST_PASSWORD_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def password_hash_parameters(config) -> dict:
    if config.get("PASSWORD_HASH") is not None:
        return dict(config["PASSWORD_HASH"])
    return dict(TEST_PASSWORD_HASH) if config.get("TESTING") else {}
