"""Alembic environment: synchronous psycopg on the same URL the app uses."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from brandflow.kernel.db import to_async_url
from brandflow.models import metadata

config = context.config


def run_migrations() -> None:
    url: str = config.attributes["database_url"]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # psycopg 3 serves sync and async alike; one driver everywhere.
    engine = create_engine(to_async_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
