"""Running Alembic migrations from code (the setup command and tests call this)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).resolve().parents[1]


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    """Autogenerate a migration against the database at url (a developer's command)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)


def heads() -> set[str]:
    from alembic.script import ScriptDirectory
    return set(ScriptDirectory.from_config(alembic_config("")).get_heads())


def is_current(connection) -> bool:
    """True when the database stands at the newest migration (the code's head)."""
    from alembic.runtime.migration import MigrationContext
    return set(MigrationContext.configure(connection).get_current_heads()) == heads()
