"""alerts: inbox and push outbox, push subscriptions, quiet hours per user

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:20:18.156901
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import baton.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "task_assigned",
                "task_due_soon",
                "task_overdue",
                "customer_here",
                "promises_pending",
                "delivery_date_changed",
                "approval_needed",
                "booking_changed",
                "case_assigned",
                "case_escalated",
                name="alertkind",
                native_enum=False,
                length=48,
            ),
            nullable=False,
        ),
        sa.Column("subject_type", sa.String(length=48), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("created_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "push_state",
            sa.Enum(
                "queued",
                "sent",
                "failed",
                "skipped",
                name="pushstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.Column("push_error", sa.String(length=200), nullable=True),
        sa.Column("read_at", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_alerts_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_alerts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_alerts_user_id_dedupe_key"),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            "ix_alerts_push_state_next_attempt_at", ["push_state", "next_attempt_at"], unique=False
        )
        batch_op.create_index("ix_alerts_user_id_id", ["user_id", "id"], unique=False)
        batch_op.create_index("ix_alerts_user_id_read_at", ["user_id", "read_at"], unique=False)
        batch_op.create_index("ix_alerts_user_id_sent_at", ["user_id", "sent_at"], unique=False)

    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=100), nullable=False),
        sa.Column("auth", sa.String(length=40), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("created_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_success_at", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_push_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscriptions_endpoint")),
    )
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_push_subscriptions_user_id"), ["user_id"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiet_hours_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("quiet_hours_end", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("quiet_hours_end")
        batch_op.drop_column("quiet_hours_start")

    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_subscriptions_user_id"))

    op.drop_table("push_subscriptions")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_user_id_sent_at")
        batch_op.drop_index("ix_alerts_user_id_read_at")
        batch_op.drop_index("ix_alerts_user_id_id")
        batch_op.drop_index("ix_alerts_push_state_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_alerts_customer_id"))

    op.drop_table("alerts")
