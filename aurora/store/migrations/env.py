"""Alembic environment: run by `aurora.store.db.migrate`, which passes an open connection."""

from __future__ import annotations

from alembic import context

from aurora.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
