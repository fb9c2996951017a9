"""name search on an index: the reversed name, and trigrams on PostgreSQL

One or two characters match the start of a name (the surname) or its end (the given name)
through b-tree prefix ranges; three or more match anywhere, through a pg_trgm GIN index on
PostgreSQL (a trusted extension: the database owner may create it). SQLite keeps reading
the store's slice of the (store_id, name) index for those.

Revision ID: 0009_name_search
Revises: 0008_push
Create Date: 2026-12-02 05:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_name_search"
down_revision: str | None = "0008_push"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def _fill_reversed_names() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("UPDATE customers SET name_reversed = reverse(name)"))
        return
    # SQLite has no reverse(): in batches, so a large file does not hold every name at once.
    last = 0
    while True:
        rows = connection.execute(
            sa.text("SELECT id, name FROM customers WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        connection.execute(
            sa.text("UPDATE customers SET name_reversed = :reversed WHERE id = :id"),
            [{"id": row.id, "reversed": row.name[::-1]} for row in rows],
        )
        last = rows[-1].id


def upgrade() -> None:
    # Not batch mode: on SQLite that rebuilds the table, and dropping the old customers table
    # fails its foreign keys once any row refers to a customer. ADD COLUMN needs a default
    # for NOT NULL; SQLite keeps it (dropping it would mean that rebuild), the app always
    # writes the column.
    op.add_column(
        "customers",
        sa.Column("name_reversed", sa.String(length=100), nullable=False, server_default=""),
    )
    _fill_reversed_names()
    op.create_index(
        "ix_customers_store_id_name_reversed",
        "customers",
        ["store_id", "name_reversed"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("customers", "name_reversed", server_default=None)
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_customers_name_trigrams",
            "customers",
            ["name"],
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_customers_name_trigrams", table_name="customers")
    op.drop_index("ix_customers_store_id_name_reversed", table_name="customers")
    # SQLite 3.35+ drops a column in place (the column is in no index or constraint by now).
    op.drop_column("customers", "name_reversed")
