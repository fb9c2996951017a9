"""car calendar: cars, per-store car policy, bookings (no overlaps: an exclusion constraint on
PostgreSQL), check-out/return uses, loaner requests, private calendar feeds

Revision ID: 0007_cars
Revises: 0006_cases
Create Date: 2026-12-02 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import baton.db.types

revision: str = "0007_cars"
down_revision: str | None = "0006_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = baton.db.types.UTCDateTime(timezone=True)
DEPARTMENT = sa.Enum("sales", "service", name="bookingdepartment", native_enum=False, length=16)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "cars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=16), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column(
            "pool",
            sa.Enum("test_drive", "backup", name="carpool", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "available",
                "in_use",
                "cleaning_inspection",
                "body_shop",
                "retired",
                name="carstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("odometer_km", sa.Integer(), nullable=False),
        sa.Column("charge_percent", sa.Integer(), nullable=False),
        sa.Column("in_fleet_from", sa.Date(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("lock_seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_cars_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cars")),
        sa.UniqueConstraint("plate", name=op.f("uq_cars_plate")),
        sa.UniqueConstraint("vin", name=op.f("uq_cars_vin")),
    )
    with op.batch_alter_table("cars", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cars_store_id"), ["store_id"], unique=False)

    op.create_table(
        "car_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("service_window_start", sa.Time(), nullable=False),
        sa.Column("service_window_end", sa.Time(), nullable=False),
        sa.Column("opening_start", sa.Time(), nullable=False),
        sa.Column("opening_end", sa.Time(), nullable=False),
        sa.Column("advance_days", sa.Integer(), nullable=False),
        sa.Column("turnaround_minutes", sa.Integer(), nullable=False),
        sa.Column("max_booking_hours", sa.Integer(), nullable=False),
        sa.Column("usage_fee_yuan", sa.Integer(), nullable=False),
        sa.Column("usage_fees", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_car_policies_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_car_policies")),
        sa.UniqueConstraint("store_id", name=op.f("uq_car_policies_store_id")),
    )

    op.create_table(
        "car_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("department", DEPARTMENT, nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=False),
        sa.Column("blocked_until", UTC, nullable=False),
        sa.Column("short_notice", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "booked",
                "checked_out",
                "returned",
                "needs_car",
                "cancelled",
                name="bookingstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("preempted_booking_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "starts_at < ends_at AND ends_at <= blocked_until", name=op.f("ck_car_bookings_times")
        ),
        sa.ForeignKeyConstraint(
            ["booked_by_id"], ["users.id"], name=op.f("fk_car_bookings_booked_by_id_users")
        ),
        sa.ForeignKeyConstraint(["car_id"], ["cars.id"], name=op.f("fk_car_bookings_car_id_cars")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_car_bookings_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["preempted_booking_id"],
            ["car_bookings.id"],
            name=op.f("fk_car_bookings_preempted_booking_id_car_bookings"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_car_bookings_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_car_bookings")),
    )
    with op.batch_alter_table("car_bookings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_car_bookings_booked_by_id"), ["booked_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_car_bookings_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_car_bookings_car_id_starts_at", ["car_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_car_bookings_store_id_starts_at", ["store_id", "starts_at"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE car_bookings ADD CONSTRAINT ex_car_bookings_no_overlap "
            "EXCLUDE USING gist (car_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&) "
            "WHERE (status IN ('booked', 'checked_out', 'returned'))"
        )

    op.create_table(
        "car_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("department", DEPARTMENT, nullable=False),
        sa.Column("checked_out_at", UTC, nullable=False),
        sa.Column("checked_out_by_id", sa.Integer(), nullable=False),
        sa.Column("odometer_out_km", sa.Integer(), nullable=False),
        sa.Column("charge_out_percent", sa.Integer(), nullable=False),
        sa.Column("condition_out", sa.Text(), nullable=False),
        sa.Column("photos_out", sa.JSON(), nullable=False),
        sa.Column("returned_at", UTC, nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.Column("odometer_in_km", sa.Integer(), nullable=True),
        sa.Column("charge_in_percent", sa.Integer(), nullable=True),
        sa.Column("condition_in", sa.Text(), nullable=False),
        sa.Column("photos_in", sa.JSON(), nullable=False),
        sa.Column("damage_yuan", sa.Integer(), nullable=False),
        sa.Column("damage_note", sa.Text(), nullable=False),
        sa.Column("washed_at", UTC, nullable=True),
        sa.Column("inspected_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["car_bookings.id"], name=op.f("fk_car_uses_booking_id_car_bookings")
        ),
        sa.ForeignKeyConstraint(["car_id"], ["cars.id"], name=op.f("fk_car_uses_car_id_cars")),
        sa.ForeignKeyConstraint(
            ["checked_out_by_id"], ["users.id"], name=op.f("fk_car_uses_checked_out_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["returned_by_id"], ["users.id"], name=op.f("fk_car_uses_returned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_car_uses_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_car_uses")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_car_uses_booking_id")),
    )
    with op.batch_alter_table("car_uses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_car_uses_car_id"), ["car_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_car_uses_returned_at"), ["returned_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_car_uses_store_id"), ["store_id"], unique=False)

    op.create_table(
        "loaner_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=False),
        sa.Column(
            "status",
            sa.Enum("booked", "unmet", name="loanerstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("unmet_reason", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["car_bookings.id"],
            name=op.f("fk_loaner_requests_booking_id_car_bookings"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_loaner_requests_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_loaner_requests_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_loaner_requests_store_id_stores")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["service_visits.id"],
            name=op.f("fk_loaner_requests_visit_id_service_visits"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loaner_requests")),
    )
    with op.batch_alter_table("loaner_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_loaner_requests_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_loaner_requests_store_id_starts_at", ["store_id", "starts_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_loaner_requests_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name="uq_calendar_feeds_token_hash"),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("calendar_feeds")
    op.drop_table("loaner_requests")
    op.drop_table("car_uses")
    op.drop_table("car_bookings")
    op.drop_table("car_policies")
    op.drop_table("cars")
