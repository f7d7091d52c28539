"""Alembic environment of HQ: runs on the connection handed in by sync.hq.migrate."""

from __future__ import annotations

from alembic import context

from sync.hq.models import HQBase

config = context.config
target_metadata = HQBase.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
