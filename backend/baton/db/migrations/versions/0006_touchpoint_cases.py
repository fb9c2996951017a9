"""touchpoints and cases: the 33-step journey per store with its owners, cases raised at a
touchpoint with collaborators, comments and the spells that say who held them; staff get a
position (staff, supervisor, manager) that the escalation ladder reads

Existing stores get their 33 touchpoints with the default owners (baton.domain.touchpoints
JOURNEY, copied here as it stands at this revision).

Revision ID: 0006_cases
Revises: 0005_learning
Create Date: 2026-12-02 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import baton.db.types

revision: str = "0006_cases"
down_revision: str | None = "0005_learning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = baton.db.types.UTCDateTime(timezone=True)
_DEPARTMENT = sa.Enum(
    "sales",
    "delivery",
    "service",
    "parts",
    "management",
    name="department",
    native_enum=False,
    length=32,
)

# number, key, stage, owner department, collaborating departments
JOURNEY: list[tuple[int, str, str, str, list[str]]] = [
    (1, "showroom_enquiry", "purchase", "sales", []),
    (2, "test_drive", "purchase", "sales", []),
    (3, "order", "purchase", "sales", []),
    (4, "deposit", "purchase", "sales", []),
    (5, "loan", "purchase", "sales", ["management"]),
    (6, "insurance", "purchase", "sales", ["service"]),
    (7, "final_payment", "purchase", "sales", []),
    (8, "delivery_appointment", "purchase", "delivery", ["sales"]),
    (9, "delivery_confirmation", "delivery", "delivery", ["sales"]),
    (10, "vehicle_inspection", "delivery", "delivery", ["service"]),
    (11, "feature_walkthrough", "delivery", "delivery", []),
    (12, "home_charger_booking", "delivery", "delivery", ["service", "parts"]),
    (13, "insurance_activation", "delivery", "sales", ["delivery"]),
    (14, "temporary_plate", "delivery", "delivery", ["sales"]),
    (15, "permanent_plate", "delivery", "delivery", ["sales"]),
    (16, "first_charging_guidance", "delivery", "delivery", []),
    (17, "app_use", "usage", "delivery", ["service"]),
    (18, "software_update", "usage", "service", []),
    (19, "feature_questions", "usage", "service", ["delivery"]),
    (20, "charging_problems", "usage", "service", ["parts", "delivery"]),
    (21, "minor_faults", "usage", "service", ["parts"]),
    (22, "service_booking", "usage", "service", []),
    (23, "service", "usage", "service", ["parts"]),
    (24, "post_service_callback", "usage", "service", []),
    (25, "insurance_renewal", "renewal", "sales", ["service"]),
    (26, "accessories", "renewal", "parts", ["service"]),
    (27, "referral", "renewal", "sales", []),
    (28, "trade_in_enquiry", "renewal", "sales", ["service"]),
    (29, "extended_warranty", "renewal", "service", ["sales"]),
    (30, "annual_inspection", "renewal", "service", []),
    (31, "loyalty_benefits", "renewal", "sales", []),
    (32, "satisfaction_survey", "renewal", "management", []),
    (33, "repurchase", "renewal", "sales", []),
]


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "position",
                sa.Enum(
                    "staff",
                    "supervisor",
                    "manager",
                    name="position",
                    native_enum=False,
                    length=16,
                ),
                nullable=False,
                server_default="staff",
            )
        )
    op.create_table(
        "touchpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "purchase",
                "delivery",
                "usage",
                "renewal",
                name="journeystage",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("cross_department", sa.Boolean(), nullable=False),
        sa.Column("owner_department", _DEPARTMENT, nullable=False),
        sa.Column("collaborating_departments", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "number", name="uq_touchpoints_store_id_number"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("touchpoint_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "record",
                "complaint",
                "check_in",
                name="casesource",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("owner_department", _DEPARTMENT, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("open", "closed", name="casestate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("level_since", _UTC, nullable=False),
        sa.Column("level_due_at", _UTC, nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("closed_at", _UTC, nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_level", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("confirmed_by", sa.String(length=100), nullable=True),
        sa.Column(
            "confirmed_via",
            sa.Enum(
                "phone",
                "in_person",
                "app",
                name="confirmationchannel",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("reopened_count", sa.Integer(), nullable=False),
        sa.Column("bounce_attempts", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["raised_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"]),
        sa.ForeignKeyConstraint(["touchpoint_id"], ["touchpoints.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["service_visits.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_cases_owner_id", ["owner_id"], unique=False)
        batch_op.create_index("ix_cases_raised_by_id", ["raised_by_id"], unique=False)
        batch_op.create_index("ix_cases_touchpoint_id", ["touchpoint_id"], unique=False)
        batch_op.create_index(
            "ix_cases_state_level_due_at", ["state", "level_due_at"], unique=False
        )
        batch_op.create_index("ix_cases_store_id_state", ["store_id", "state"], unique=False)
    op.create_table(
        "case_collaborators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("department", _DEPARTMENT, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "case_id", "department", name="uq_case_collaborators_case_id_department"
        ),
    )
    with op.batch_alter_table("case_collaborators", schema=None) as batch_op:
        batch_op.create_index("ix_case_collaborators_user_id", ["user_id"], unique=False)
    op.create_table(
        "case_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_comments", schema=None) as batch_op:
        batch_op.create_index("ix_case_comments_case_id_at", ["case_id", "at"], unique=False)
    op.create_table(
        "case_spells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("department", _DEPARTMENT, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", _UTC, nullable=False),
        sa.Column("ended_at", _UTC, nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_spells", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_spells_case_id_started_at", ["case_id", "started_at"], unique=False
        )
        batch_op.create_index("ix_case_spells_user_id", ["user_id"], unique=False)

    # Every existing store gets its journey with the default owners.
    connection = op.get_bind()
    stores = [row[0] for row in connection.execute(sa.text("SELECT id FROM stores"))]
    touchpoints = sa.table(
        "touchpoints",
        sa.column("store_id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("key", sa.String),
        sa.column("stage", sa.String),
        sa.column("cross_department", sa.Boolean),
        sa.column("owner_department", sa.String),
        sa.column("collaborating_departments", sa.JSON),
        sa.column("owner_id", sa.Integer),
        sa.column("version", sa.Integer),
    )
    rows = [
        {
            "store_id": store_id,
            "number": number,
            "key": key,
            "stage": stage,
            "cross_department": bool(collaborators),
            "owner_department": owner,
            "collaborating_departments": collaborators,
            "owner_id": None,
            "version": 1,
        }
        for store_id in stores
        for number, key, stage, owner, collaborators in JOURNEY
    ]
    if rows:
        op.bulk_insert(touchpoints, rows)


def downgrade() -> None:
    op.drop_table("case_spells")
    op.drop_table("case_comments")
    op.drop_table("case_collaborators")
    op.drop_table("cases")
    op.drop_table("touchpoints")
    # Not batch mode: recreating `users` on SQLite would trip the foreign keys that point at
    # it; SQLite 3.35+ and PostgreSQL both drop a column in place.
    op.execute("ALTER TABLE users DROP COLUMN position")
