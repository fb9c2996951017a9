"""promises: checklist, signatures, entitlement uses, uploads, briefs, delivery date changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:16:14.496935
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import baton.db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("checklist_version", sa.Integer(), nullable=False),
        sa.Column("signer_name", sa.String(length=100), nullable=False),
        sa.Column("strokes", sa.Text(), nullable=False),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("witness_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("no_promises", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_checklist_signatures_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_checklist_signatures_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["witness_id"], ["users.id"], name=op.f("fk_checklist_signatures_witness_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_signatures")),
        sa.UniqueConstraint(
            "order_id", "checklist_version", name="uq_checklist_signatures_order_id_version"
        ),
    )
    with op.batch_alter_table("checklist_signatures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_signatures_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "delivery_date_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("old_date", sa.Date(), nullable=True),
        sa.Column("new_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("customer_told", sa.Boolean(), nullable=False),
        sa.Column("customer_told_how", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "pending_approval",
                "approved",
                "rejected",
                name="datechangestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_delivery_date_changes_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_delivery_date_changes_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_delivery_date_changes_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_delivery_date_changes_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_date_changes")),
    )
    with op.batch_alter_table("delivery_date_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_date_changes_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delivery_date_changes_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "handover_briefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "sales_to_delivery",
                "delivery_to_service",
                name="briefkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("personality", sa.Text(), nullable=False),
        sa.Column("special_needs", sa.Text(), nullable=False),
        sa.Column("concerns", sa.Text(), nullable=False),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_handover_briefs_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_handover_briefs_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["users.id"], name=op.f("fk_handover_briefs_written_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_briefs")),
    )
    with op.batch_alter_table("handover_briefs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_briefs_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_handover_briefs_order_id"), ["order_id"], unique=False)

    op.create_table(
        "promises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "vehicle_configuration",
                "gift_accessory",
                "service_package",
                "delivery_time",
                "other",
                name="promisecategory",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column(
            "due",
            sa.Enum(
                "at_handover",
                "by_date",
                "entitlement",
                name="promisedue",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("entitlement_total", sa.Integer(), nullable=True),
        sa.Column("entitlement_used", sa.Integer(), nullable=False),
        sa.Column("entitlement_valid_until", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "partially_fulfilled",
                "fulfilled",
                "deferred",
                "waived",
                "cancelled",
                name="promisestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("deferred_to", sa.Date(), nullable=True),
        sa.Column("evidence_note", sa.Text(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fulfilled_at", baton.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_promises_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["made_by_id"], ["users.id"], name=op.f("fk_promises_made_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_promises_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promises")),
    )
    with op.batch_alter_table("promises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_promises_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_promises_order_id"), ["order_id"], unique=False)

    op.create_table(
        "entitlement_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("promise_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("used_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_entitlement_uses_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["promise_id"], ["promises.id"], name=op.f("fk_entitlement_uses_promise_id_promises")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_entitlement_uses_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["service_visits.id"],
            name=op.f("fk_entitlement_uses_visit_id_service_visits"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entitlement_uses")),
        sa.UniqueConstraint("promise_id", "visit_id", name="uq_entitlement_uses_promise_id_visit"),
    )
    with op.batch_alter_table("entitlement_uses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entitlement_uses_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entitlement_uses_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("promise_id", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("created_at", baton.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["promise_id"], ["promises.id"], name=op.f("fk_uploads_promise_id_promises")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_uploads_store_id_stores")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_uploads_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_uploads_stored_name")),
    )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_index("ix_uploads_promise_id", ["promise_id"], unique=False)

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("final_signature_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("customer_issues", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("first_service_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_deliveries_completed_by_id_users"), "users", ["completed_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deliveries_final_signature_id_checklist_signatures"),
            "checklist_signatures",
            ["final_signature_id"],
            ["id"],
        )

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("submitted_at", baton.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("checklist_version", sa.Integer(), server_default="1", nullable=False)
        )

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_tasks_order_id"), ["order_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_tasks_order_id_orders"), "orders", ["order_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tasks_order_id_orders"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_tasks_order_id"))
        batch_op.drop_column("order_id")

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("checklist_version")
        batch_op.drop_column("submitted_at")

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_deliveries_final_signature_id_checklist_signatures"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_deliveries_completed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("first_service_on")
        batch_op.drop_column("customer_issues")
        batch_op.drop_column("final_signature_id")
        batch_op.drop_column("completed_by_id")

    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_index("ix_uploads_promise_id")

    op.drop_table("uploads")
    with op.batch_alter_table("entitlement_uses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entitlement_uses_visit_id"))
        batch_op.drop_index(batch_op.f("ix_entitlement_uses_customer_id"))

    op.drop_table("entitlement_uses")
    with op.batch_alter_table("promises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_promises_order_id"))
        batch_op.drop_index(batch_op.f("ix_promises_customer_id"))

    op.drop_table("promises")
    with op.batch_alter_table("handover_briefs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_briefs_order_id"))
        batch_op.drop_index(batch_op.f("ix_handover_briefs_customer_id"))

    op.drop_table("handover_briefs")
    with op.batch_alter_table("delivery_date_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_date_changes_order_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_date_changes_customer_id"))

    op.drop_table("delivery_date_changes")
    with op.batch_alter_table("checklist_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_signatures_customer_id"))

    op.drop_table("checklist_signatures")
