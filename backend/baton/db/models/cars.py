"""The shared car calendar (试驾车共享): the store's cars, its policy, bookings, uses, loaner
requests, and the private calendar feeds that show a user their bookings."""

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baton.db.models.base import Base
from baton.db.types import UTCDateTime, str_enum


class CarPool(enum.StrEnum):
    TEST_DRIVE = "test_drive"  # owned by sales
    BACKUP = "backup"  # the service backup pool


class CarStatus(enum.StrEnum):
    AVAILABLE = "available"
    IN_USE = "in_use"
    CLEANING_INSPECTION = "cleaning_inspection"
    BODY_SHOP = "body_shop"
    RETIRED = "retired"


class BookingDepartment(enum.StrEnum):
    SALES = "sales"
    SERVICE = "service"


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    CHECKED_OUT = "checked_out"
    RETURNED = "returned"
    # Preempted with no backup car free: the manager must find one.
    NEEDS_CAR = "needs_car"
    CANCELLED = "cancelled"


# The statuses that hold a car's time; the exclusion constraint covers exactly these.
HOLDING = (BookingStatus.BOOKED, BookingStatus.CHECKED_OUT, BookingStatus.RETURNED)


class LoanerStatus(enum.StrEnum):
    BOOKED = "booked"
    UNMET = "unmet"


class Car(Base):
    __tablename__ = "cars"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    plate: Mapped[str] = mapped_column(String(16), unique=True)
    vin: Mapped[str] = mapped_column(String(17), unique=True)
    model: Mapped[str] = mapped_column(String(100))
    pool: Mapped[CarPool] = mapped_column(str_enum(CarPool, length=16))
    status: Mapped[CarStatus] = mapped_column(str_enum(CarStatus, length=24))
    odometer_km: Mapped[int] = mapped_column(default=0)
    charge_percent: Mapped[int] = mapped_column(default=100)
    # Store-local days the car is in the fleet: a past month's statement charges the cars of
    # that month, however the fleet changed since.
    in_fleet_from: Mapped[date] = mapped_column(Date)
    retired_on: Mapped[date | None] = mapped_column(Date)
    # Bumped by every booking change on this car: the per-car lock (an UPDATE takes SQLite's
    # write lock and PostgreSQL's row lock), so concurrent bookers queue instead of racing.
    lock_seq: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class CarPolicy(Base):
    """A store's rules for its cars; a store without a row follows DEFAULT_POLICY."""

    __tablename__ = "car_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), unique=True)
    service_window_start: Mapped[time] = mapped_column(Time)
    service_window_end: Mapped[time] = mapped_column(Time)
    opening_start: Mapped[time] = mapped_column(Time)
    opening_end: Mapped[time] = mapped_column(Time)
    advance_days: Mapped[int] = mapped_column()
    turnaround_minutes: Mapped[int] = mapped_column()
    max_booking_hours: Mapped[int] = mapped_column()
    usage_fee_yuan: Mapped[int] = mapped_column()
    # The fee's changes, [{"since": "2026-12-01", "yuan": 1200}]: a change applies from the next
    # month on, so a past month's statement keeps the fee it was settled with.
    usage_fees: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Public holidays, store-local ISO dates: sales has priority all day.
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class CarBooking(Base):
    """A car held for a department from `starts_at` to `ends_at`, and for the turnaround
    buffer after it (`blocked_until`). No two holding bookings of one car overlap, ever."""

    __tablename__ = "car_bookings"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at AND ends_at <= blocked_until", name="times"),
        Index("ix_car_bookings_store_id_starts_at", "store_id", "starts_at"),
        Index("ix_car_bookings_car_id_starts_at", "car_id", "starts_at"),
        # PostgreSQL itself refuses overlaps (btree_gist for the `=` on car_id); SQLite relies
        # on the per-car lock in domain/cars/bookings.py.
        ExcludeConstraint(
            ("car_id", "="),
            (text("tstzrange(starts_at, blocked_until, '[)')"), "&&"),
            name="ex_car_bookings_no_overlap",
            using="gist",
            where=text("status IN ('booked', 'checked_out', 'returned')"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    car_id: Mapped[int] = mapped_column(ForeignKey("cars.id"))
    department: Mapped[BookingDepartment] = mapped_column(str_enum(BookingDepartment, length=16))
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime())
    # Booked under `advance_days` ahead: it only took a free car and may never preempt.
    short_notice: Mapped[bool] = mapped_column(default=False)
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus, length=16))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    # What happened to it, as kind + params (preempted, moved to a backup car, needs a car).
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    preempted_booking_id: Mapped[int | None] = mapped_column(ForeignKey("car_bookings.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class CarUse(Base):
    """The check-out and return of one booking, and the car's turnaround after it."""

    __tablename__ = "car_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("car_bookings.id"), unique=True)
    car_id: Mapped[int] = mapped_column(ForeignKey("cars.id"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    department: Mapped[BookingDepartment] = mapped_column(str_enum(BookingDepartment, length=16))
    checked_out_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checked_out_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    odometer_out_km: Mapped[int] = mapped_column()
    charge_out_percent: Mapped[int] = mapped_column()
    condition_out: Mapped[str] = mapped_column(Text, default="")
    photos_out: Mapped[list[int]] = mapped_column(JSON, default=list)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    odometer_in_km: Mapped[int | None] = mapped_column()
    charge_in_percent: Mapped[int | None] = mapped_column()
    condition_in: Mapped[str] = mapped_column(Text, default="")
    photos_in: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Damage found at return, charged to the department that used the car.
    damage_yuan: Mapped[int] = mapped_column(default=0)
    damage_note: Mapped[str] = mapped_column(Text, default="")
    washed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    inspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoanerRequest(Base):
    """A customer's service visit needs a loaner: it was booked, or it went unmet and why."""

    __tablename__ = "loaner_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    visit_id: Mapped[int] = mapped_column(ForeignKey("service_visits.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[LoanerStatus] = mapped_column(str_enum(LoanerStatus, length=16))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("car_bookings.id"))
    unmet_reason: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_loaner_requests_store_id_starts_at", "store_id", "starts_at"),)


class CalendarFeed(Base):
    """A user's private iCalendar address: the URL holds a random token, this row its hash."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_calendar_feeds_token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# The exclusion constraint's `=` on an integer needs btree_gist (migration 0007 creates it too).
event.listen(
    CarBooking.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(  # type: ignore[no-untyped-call]
        dialect="postgresql"
    ),
)
