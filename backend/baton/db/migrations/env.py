"""Alembic environment: runs migrations on the connection handed in by baton.db.migrate."""

from alembic import context

from baton.db.migrate import built_on
from baton.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=built_on(connection.dialect.name),
)
with context.begin_transaction():
    context.run_migrations()
