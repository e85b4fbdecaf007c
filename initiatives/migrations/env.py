"""Alembic's entry point for the store's schema: run by initiatives.store on the store's own connection."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
