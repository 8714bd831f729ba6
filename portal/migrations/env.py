"""Alembic environment: the URL comes from the caller (portal.migrate) or DATABASE_URL."""
import os

from alembic import context

from portal.infra.engine import make_engine
from portal.models import Base

config = context.config
url = config.attributes.get("url") or os.environ["DATABASE_URL"]


def run() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=url.startswith("sqlite"), compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
