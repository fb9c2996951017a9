"""learning archive: a topic catalogue per store, teaching sessions and their topic entries

Every existing store gets the default EV catalogue (the same codes, order, stages and
departments as baton.domain.topics.DEFAULT_CATALOGUE at the time of writing, frozen here);
the topics' names come from the text catalogues by code.

Revision ID: 0005_learning
Revises: 0004
Create Date: 2026-12-02 02:21:22.394238
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import baton.db.types

revision: str = "0005_learning"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# (code, stage, department), in the suggested order.
CATALOGUE = [
    ("app_and_key_card", "delivery", "delivery"),
    ("home_charging", "delivery", "delivery"),
    ("public_charging", "delivery", "delivery"),
    ("charging_etiquette_cost", "delivery", "delivery"),
    ("driver_assistance_basics", "delivery", "delivery"),
    ("automatic_parking", "delivery", "delivery"),
    ("emergency_procedures", "delivery", "delivery"),
    ("sentry_mode", "delivery", "delivery"),
    ("advanced_assistance", "first_service", "service"),
    ("summon", "first_service", "service"),
    ("ota_updates", "first_service", "service"),
    ("tyre_pressure_care", "first_service", "service"),
    ("maintenance_intervals", "first_service", "service"),
    ("winter_range", "later", "service"),
    ("roadside_help", "later", "service"),
]


def upgrade() -> None:
    op.create_table(
        "learning_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "delivery",
                "first_service",
                "later",
                name="topicstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "department",
            sa.Enum(
                "sales",
                "delivery",
                "service",
                "parts",
                "management",
                name="department",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("retired_at", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_learning_topics_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_topics")),
        sa.UniqueConstraint("store_id", "code", name="uq_learning_topics_store_id_code"),
    )
    with op.batch_alter_table("learning_topics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_topics_store_id_position", ["store_id", "position"], unique=False
        )

    op.create_table(
        "teaching_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "delivery_training",
                "first_service_training",
                "quarterly",
                "ad_hoc",
                "remote",
                name="teachingkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("taught_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_teaching_sessions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_teaching_sessions_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["users.id"], name=op.f("fk_teaching_sessions_teacher_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teaching_sessions")),
    )
    with op.batch_alter_table("teaching_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_teaching_sessions_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            "ix_teaching_sessions_customer_id_taught_at", ["customer_id", "taught_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_teaching_sessions_teacher_id"), ["teacher_id"], unique=False
        )

    op.create_table(
        "teaching_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "introduced",
                "practised",
                "mastered",
                name="teachinglevel",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "skip_reason",
            sa.Enum(
                "knows_it", "declined", "no_time", name="skipreason", native_enum=False, length=32
            ),
            nullable=True,
        ),
        sa.Column("skip_note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_teaching_entries_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["teaching_sessions.id"],
            name=op.f("fk_teaching_entries_session_id_teaching_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["learning_topics.id"],
            name=op.f("fk_teaching_entries_topic_id_learning_topics"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teaching_entries")),
        sa.UniqueConstraint(
            "session_id", "topic_id", name="uq_teaching_entries_session_id_topic_id"
        ),
    )
    with op.batch_alter_table("teaching_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_teaching_entries_customer_id_topic_id", ["customer_id", "topic_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_teaching_entries_topic_id"), ["topic_id"], unique=False
        )

    _seed_catalogues()


def _seed_catalogues() -> None:
    bind = op.get_bind()
    topics = sa.table(
        "learning_topics",
        sa.column("store_id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("position", sa.Integer),
        sa.column("stage", sa.String),
        sa.column("department", sa.String),
        sa.column("created_at", baton.db.types.UTCDateTime()),
        sa.column("version", sa.Integer),
    )
    now = datetime.now(UTC)
    store_ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM stores ORDER BY id"))]
    rows = [
        {
            "store_id": store_id,
            "code": code,
            "position": position,
            "stage": stage,
            "department": department,
            "created_at": now,
            "version": 1,
        }
        for store_id in store_ids
        for position, (code, stage, department) in enumerate(CATALOGUE, start=1)
    ]
    if rows:
        op.bulk_insert(topics, rows)


def downgrade() -> None:
    with op.batch_alter_table("teaching_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teaching_entries_topic_id"))
        batch_op.drop_index("ix_teaching_entries_customer_id_topic_id")

    op.drop_table("teaching_entries")
    with op.batch_alter_table("teaching_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teaching_sessions_teacher_id"))
        batch_op.drop_index("ix_teaching_sessions_customer_id_taught_at")
        batch_op.drop_index(batch_op.f("ix_teaching_sessions_author_id"))

    op.drop_table("teaching_sessions")
    with op.batch_alter_table("learning_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_topics_store_id_position")

    op.drop_table("learning_topics")
