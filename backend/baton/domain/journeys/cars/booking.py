"""Booking a car (约车): a department books a free car, or cancels its booking. The steps
every booking shares (the department it is for, its times and purpose, the new row and its
audit entry) live here too, for preemption.py and loaners.py."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingDepartment, BookingStatus, Car, CarBooking
from baton.domain.access import Action, Actor, booking_department_of
from baton.domain.cars.bookings import (
    booking_subject,
    car_reasons,
    conflict_reason,
    get_booking,
    holding_conflicts,
    insert_booking,
    is_short_notice,
    time_reasons,
)
from baton.domain.cars.fleet import get_car, lock_cars
from baton.domain.cars.policy import Policy, store_policy
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import add_audit_entry

PURPOSE_MAX = 200


def _department(
    actor: Actor, requested: BookingDepartment | None, checks: FieldChecks
) -> BookingDepartment:
    own = booking_department_of(actor.department)
    if actor.can(Action.BOOK_FOR_ANY_DEPARTMENT):
        return requested or own or BookingDepartment.SALES
    if own is None:
        checks.fail("input.department", "not_allowed", says="department_books_no_cars")
        return BookingDepartment.SALES
    if requested is not None and requested is not own:
        checks.fail("input.department", "not_allowed", says="own_department_only")
    return own


def check_times(checks: FieldChecks, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        checks.fail("input.endsAt", "out_of_range", says="ends_before_start")


async def prepare(
    session: AsyncSession,
    actor: Actor,
    car_id: int,
    *,
    department: BookingDepartment | None,
    customer_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    checks: FieldChecks,
) -> tuple[Car, BookingDepartment, str]:
    car = await get_car(session, actor, car_id, path="input.carId")
    actor.ensure(Action.BOOK_CAR)
    if customer_id is not None:
        customer = await get_customer(session, actor, customer_id, path="input.customerId")
        if customer.store_id != car.store_id:
            raise NotFound("Customer", "input.customerId")
    chosen = _department(actor, department, checks)
    check_times(checks, starts_at, ends_at)
    clean_purpose = (
        checks.text("input.purpose", purpose, max_length=PURPOSE_MAX, required=False) or ""
    )
    return car, chosen, clean_purpose


def new_booking(
    actor: Actor,
    car: Car,
    policy: Policy,
    department: BookingDepartment,
    *,
    customer_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    now: datetime,
) -> CarBooking:
    return CarBooking(
        store_id=car.store_id,
        car_id=car.id,
        department=department,
        booked_by_id=actor.id,
        customer_id=customer_id,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_until=ends_at + policy.turnaround,
        short_notice=is_short_notice(policy, starts_at, now),
        status=BookingStatus.BOOKED,
        purpose=purpose,
        notes=[],
        created_at=now,
    )


async def save_booking(
    session: AsyncSession, actor: Actor, booking: CarBooking, now: datetime
) -> CarBooking:
    await insert_booking(session, booking)
    add_audit_entry(
        session,
        actor,
        action="book_car",
        entity=booking,
        now=now,
        changes={
            "car_id": booking.car_id,
            "department": booking.department.value,
            "starts_at": booking.starts_at.isoformat(),
            "ends_at": booking.ends_at.isoformat(),
        },
    )
    return booking


async def book_car(
    session: AsyncSession,
    actor: Actor,
    car_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime,
    department: BookingDepartment | None = None,
    customer_id: int | None = None,
    purpose: str = "",
    now: datetime,
) -> CarBooking:
    """Book a free car. Under the advance notice (3 days by default) it is a short-notice
    booking: it only takes a car that is free and can never preempt."""
    checks = FieldChecks()
    car, chosen, clean_purpose = await prepare(
        session,
        actor,
        car_id,
        department=department,
        customer_id=customer_id,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        checks=checks,
    )
    checks.raise_if_any()
    await lock_cars(session, [car.id])
    await session.refresh(car)
    policy = await store_policy(session, car.store_id)
    booking = new_booking(
        actor,
        car,
        policy,
        chosen,
        customer_id=customer_id,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=clean_purpose,
        now=now,
    )
    reasons = time_reasons(policy, starts_at, ends_at, now) + car_reasons(car)
    for conflict in await holding_conflicts(session, car.id, starts_at, booking.blocked_until):
        reasons.append(
            conflict_reason(conflict, starts_at, ends_at, short_notice=booking.short_notice)
        )
    if reasons:
        raise RuleViolation(reasons)
    return await save_booking(session, actor, booking, now)


async def cancel_booking(
    session: AsyncSession, actor: Actor, booking_id: int, *, now: datetime
) -> CarBooking:
    booking = await get_booking(session, actor, booking_id, path="input.bookingId")
    actor.ensure(Action.CANCEL_BOOKING, booking_subject(booking))
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.NEEDS_CAR):
        raise RuleViolation([Reason("not_cancellable", status=booking.status)])
    booking.status = BookingStatus.CANCELLED
    add_audit_entry(session, actor, action="cancel_booking", entity=booking, now=now)
    await session.flush()
    return booking
