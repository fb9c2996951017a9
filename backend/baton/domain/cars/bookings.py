"""Car bookings (用车预约): a car held for a department, never two at once.

A booking holds its car from `starts_at` to `blocked_until` (its end plus the store's
turnaround buffer for wash and inspection). No two holding bookings of a car overlap: the
per-car lock (fleet.py: lock_cars) serialises bookers of a car on both databases, and on
PostgreSQL an exclusion constraint over tstzrange(starts_at, blocked_until) refuses an overlap
even from a writer that skipped the lock."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import HOLDING, BookingDepartment, Car, CarBooking
from baton.domain.access import Actor, Subject, Tie
from baton.domain.cars.fleet import NOT_BOOKABLE, cars_of_store
from baton.domain.cars.policy import Policy, store_policy
from baton.domain.errors import FieldProblem, NotFound, Reason, RuleViolation, ValidationFailed
from baton.ids import global_id

WEEK_BOOKINGS_MAX = 2000


def car_ref(car: Car) -> str:
    return global_id("Car", car.id)


def booking_ref(booking: CarBooking) -> str:
    return global_id("CarBooking", booking.id)


async def get_booking(
    session: AsyncSession, actor: Actor, booking_id: int, *, path: str
) -> CarBooking:
    booking = await session.get(CarBooking, booking_id)
    if booking is None or not actor.sees_store(booking.store_id):
        raise NotFound("CarBooking", path)
    return booking


def is_short_notice(policy: Policy, starts_at: datetime, now: datetime) -> bool:
    return starts_at < now + timedelta(days=policy.advance_days)


def time_reasons(
    policy: Policy, starts_at: datetime, ends_at: datetime, now: datetime
) -> list[Reason]:
    """What is wrong with these times, whichever car and whatever else is booked."""
    reasons = []
    if starts_at < now:
        reasons.append(Reason("starts_in_past"))
    if ends_at - starts_at > timedelta(hours=policy.max_booking_hours):
        reasons.append(Reason("too_long", hours=policy.max_booking_hours))
    return reasons


def car_reasons(car: Car) -> list[Reason]:
    if car.status in NOT_BOOKABLE:
        return [Reason("car_not_bookable", car_ref(car), status=car.status)]
    return []


async def holding_conflicts(
    session: AsyncSession,
    car_id: int,
    starts_at: datetime,
    blocked_until: datetime,
    *,
    excluding: Sequence[int] = (),
) -> list[CarBooking]:
    """The bookings holding the car at some moment of [starts_at, blocked_until)."""
    query = select(CarBooking).where(
        CarBooking.car_id == car_id,
        CarBooking.status.in_(HOLDING),
        CarBooking.starts_at < blocked_until,
        CarBooking.blocked_until > starts_at,
    )
    if excluding:
        query = query.where(CarBooking.id.notin_(excluding))
    return list(await session.scalars(query.order_by(CarBooking.starts_at)))


def conflict_reason(
    conflict: CarBooking, starts_at: datetime, ends_at: datetime, *, short_notice: bool
) -> Reason:
    subject = booking_ref(conflict)
    if short_notice:
        return Reason(
            "short_notice_taken",
            subject,
        )
    if conflict.ends_at <= starts_at < conflict.blocked_until:
        return Reason("in_turnaround", subject, says="in_turnaround_before")
    if ends_at > conflict.starts_at and conflict.ends_at > starts_at:
        return Reason("overlap", subject)
    # This booking's own turnaround would run into the next booking.
    return Reason("in_turnaround", subject, says="in_turnaround_after")


async def insert_booking(session: AsyncSession, booking: CarBooking) -> CarBooking:
    """Write it; on PostgreSQL the exclusion constraint has the last word on overlaps."""
    session.add(booking)
    try:
        await session.flush()
    except IntegrityError as error:
        if "ex_car_bookings_no_overlap" not in str(error.orig):
            raise
        raise RuleViolation([Reason("overlap", global_id("Car", booking.car_id))]) from error
    return booking


def with_note(booking: CarBooking, kind: str, params: dict[str, Any], now: datetime) -> None:
    """Add a note (kind + params, worded when read); a new list, so the change is seen."""
    booking.notes = [*booking.notes, {"kind": kind, "at": now.isoformat(), "params": params}]


def booking_subject(booking: CarBooking, policy: Policy | None = None) -> Subject:
    """The booking as the access rules see it: its store, who booked it, for which side, and
    (given the store's policy) which department's priority window holds it."""
    priority = frozenset(
        department
        for department in BookingDepartment
        if policy is not None
        and policy.inside_window(department, booking.starts_at, booking.ends_at)
    )
    return Subject(
        store_id=booking.store_id,
        people={Tie.BOOKER: frozenset({booking.booked_by_id})},
        department=booking.department,
        priority=priority,
    )


async def bookings_between(
    session: AsyncSession, actor: Actor, store_id: int, starts_at: datetime, ends_at: datetime
) -> Sequence[CarBooking]:
    """A store's bookings touching [starts_at, ends_at), holding or needing a car, in one
    statement (the week view)."""
    if not actor.sees_store(store_id):
        raise NotFound("Store", "storeId")
    rows = await session.scalars(
        select(CarBooking)
        .where(
            CarBooking.store_id == store_id,
            CarBooking.starts_at < ends_at,
            CarBooking.blocked_until > starts_at,
            CarBooking.status.notin_(("cancelled",)),
        )
        .order_by(CarBooking.starts_at, CarBooking.id)
        .limit(WEEK_BOOKINGS_MAX)
    )
    return rows.all()


@dataclass(frozen=True)
class CarDay:
    day: date
    # The service priority window of the day; None on weekends and holidays (sales all day).
    service_window: tuple[datetime, datetime] | None
    is_holiday: bool


@dataclass(frozen=True)
class CarWeek:
    store_id: int
    policy: Policy
    days: list[CarDay]
    cars: Sequence[Car]
    bookings: Sequence[CarBooking]


WEEK_DAYS_MAX = 14


async def car_week(
    session: AsyncSession, actor: Actor, store_id: int, first_day: date, days: int
) -> CarWeek:
    """The calendar of a store: its cars × `days` store-local days from `first_day`, with
    the bookings and the priority windows; a fixed number of statements however full."""
    if not actor.sees_store(store_id):
        raise NotFound("Store", "storeId")
    if not 1 <= days <= WEEK_DAYS_MAX:
        raise ValidationFailed([FieldProblem("days", "out_of_range", min=1, max=WEEK_DAYS_MAX)])
    policy = await store_policy(session, store_id)
    listed = [first_day + timedelta(days=n) for n in range(days)]
    start, end = policy.clock.days_bounds(listed[0], listed[-1])
    return CarWeek(
        store_id=store_id,
        policy=policy,
        days=[CarDay(day, policy.service_window_of(day), day in policy.holidays) for day in listed],
        cars=await cars_of_store(session, actor, store_id),
        bookings=await bookings_between(session, actor, store_id, start, end),
    )
