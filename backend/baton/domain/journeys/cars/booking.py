"""Booking a car (约车): a department books a car; inside its priority window it may preempt
the other department's booking, which moves to a free backup car or waits for the manager;
a loaner for a service visit is booked or recorded as unmet with its reason."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    BookingDepartment,
    BookingStatus,
    Car,
    CarBooking,
    CarPool,
    LoanerRequest,
    LoanerStatus,
    ServiceVisit,
)
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
    with_note,
)
from baton.domain.cars.fleet import NOT_BOOKABLE, get_car, lock_cars
from baton.domain.cars.policy import Policy, store_policy
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.events import BookingPreempted
from baton.domain.history import add_audit_entry, add_timeline_event
from baton.domain.journeys.who_is_told import tell
from baton.domain.staff import store_manager_ids

PURPOSE_MAX = 200
REASON_MAX = 500


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


def _check_times(checks: FieldChecks, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        checks.fail("input.endsAt", "out_of_range", says="ends_before_start")


async def _prepare(
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
    _check_times(checks, starts_at, ends_at)
    clean_purpose = (
        checks.text("input.purpose", purpose, max_length=PURPOSE_MAX, required=False) or ""
    )
    return car, chosen, clean_purpose


def _new_booking(
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


async def _booked(
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
    car, chosen, clean_purpose = await _prepare(
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
    booking = _new_booking(
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
    return await _booked(session, actor, booking, now)


async def _free_backup_car(
    session: AsyncSession, store_id: int, displaced: CarBooking, not_car: int
) -> Car | None:
    candidates = await session.scalars(
        select(Car)
        .where(
            Car.store_id == store_id,
            Car.pool == CarPool.BACKUP,
            Car.id != not_car,
            Car.status.notin_(NOT_BOOKABLE),
        )
        .order_by(Car.id)
    )
    for candidate in candidates.all():
        taken = await holding_conflicts(
            session, candidate.id, displaced.starts_at, displaced.blocked_until
        )
        if not taken:
            return candidate
    return None


async def preempt_booking(
    session: AsyncSession,
    actor: Actor,
    car_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    department: BookingDepartment | None = None,
    customer_id: int | None = None,
    purpose: str = "",
    now: datetime,
) -> CarBooking:
    """Inside its priority window, a department takes a car the other department booked,
    saying why. The displaced booking moves to a free backup car for the same time, else it
    is flagged as needing a car; both sides are told and both bookings carry a note."""
    checks = FieldChecks()
    car, chosen, clean_purpose = await _prepare(
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
    clean_reason = checks.text("input.reason", reason, max_length=REASON_MAX) or ""
    checks.raise_if_any()
    backups = await session.scalars(
        select(Car.id).where(Car.store_id == car.store_id, Car.pool == CarPool.BACKUP)
    )
    await lock_cars(session, [car.id, *backups])
    await session.refresh(car)
    policy = await store_policy(session, car.store_id)
    booking = _new_booking(
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
    if booking.short_notice:
        reasons.append(Reason("short_notice_cannot_preempt", days=policy.advance_days))
    if not policy.inside_window(chosen, starts_at, ends_at):
        reasons.append(
            Reason(
                "outside_priority_window",
                department=chosen,
                start=policy.service_window_start.strftime("%H:%M"),
                end=policy.service_window_end.strftime("%H:%M"),
            )
        )
    conflicts = await holding_conflicts(session, car.id, starts_at, booking.blocked_until)
    for conflict in conflicts:
        if conflict.department is chosen or conflict.status is not BookingStatus.BOOKED:
            reasons.append(conflict_reason(conflict, starts_at, ends_at, short_notice=False))
    if reasons:
        raise RuleViolation(reasons)
    managers = await store_manager_ids(session, car.store_id)
    displaced_moves: list[tuple[CarBooking, Car | None]] = []
    for displaced in conflicts:
        backup = await _free_backup_car(session, car.store_id, displaced, car.id)
        if backup is not None:
            displaced.car_id = backup.id
            with_note(
                displaced,
                "moved",
                {"from": car.plate, "to": backup.plate, "reason": clean_reason},
                now,
            )
        else:
            displaced.status = BookingStatus.NEEDS_CAR
            with_note(displaced, "needs_car", {"from": car.plate, "reason": clean_reason}, now)
        await session.flush()
        displaced_moves.append((displaced, backup))
    booking.preempted_booking_id = conflicts[0].id if conflicts else None
    with_note(
        booking,
        "preempted",
        {"bookings": [d.id for d in conflicts], "reason": clean_reason},
        now,
    )
    await _booked(session, actor, booking, now)
    for displaced, backup in displaced_moves:
        add_audit_entry(
            session,
            actor,
            action="preempt_booking",
            entity=displaced,
            now=now,
            changes={
                "by_booking_id": booking.id,
                "moved_to_car_id": backup.id if backup else None,
                "reason": clean_reason,
            },
        )
        await tell(
            session,
            BookingPreempted(
                displaced, booking, car, backup, clean_reason, managers, actor_id=actor.id
            ),
            now=now,
        )
    return booking


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


async def _loaner_cars(session: AsyncSession, store_id: int) -> Sequence[Car]:
    """Backup pool first, then the test-drive fleet."""
    rows = await session.scalars(
        select(Car)
        .where(Car.store_id == store_id, Car.status.notin_(NOT_BOOKABLE))
        .order_by(Car.pool, Car.id)
    )
    return rows.all()


async def request_loaner(
    session: AsyncSession,
    actor: Actor,
    visit_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> LoanerRequest:
    """A loaner for a customer's service visit: booked on the first free car (backup pool
    first), or recorded unmet ("no_car_free") so the fulfilment rate counts it."""
    visit = await session.get(ServiceVisit, visit_id)
    if visit is None:
        raise NotFound("ServiceVisit", "input.visitId")
    customer = await get_customer(session, actor, visit.customer_id, path="input.visitId")
    actor.ensure(Action.BOOK_CAR)
    checks = FieldChecks()
    _check_times(checks, starts_at, ends_at)
    checks.raise_if_any()
    policy = await store_policy(session, customer.store_id)
    cars = await _loaner_cars(session, customer.store_id)
    await lock_cars(session, [car.id for car in cars])
    if bad_times := time_reasons(policy, starts_at, ends_at, now):
        raise RuleViolation(bad_times)
    blocked_until = ends_at + policy.turnaround
    chosen: Car | None = None
    for car in cars:
        await session.refresh(car)
        if car_reasons(car):
            continue
        if not await holding_conflicts(session, car.id, starts_at, blocked_until):
            chosen = car
            break
    request = LoanerRequest(
        store_id=customer.store_id,
        visit_id=visit.id,
        customer_id=customer.id,
        requested_by_id=actor.id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=LoanerStatus.UNMET,
        unmet_reason="no_car_free",
        created_at=now,
    )
    if chosen is not None:
        booking = _new_booking(
            actor,
            chosen,
            policy,
            BookingDepartment.SERVICE,
            customer_id=customer.id,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose="",
            now=now,
        )
        await _booked(session, actor, booking, now)
        request.status = LoanerStatus.BOOKED
        request.booking_id = booking.id
        request.unmet_reason = ""
    session.add(request)
    await session.flush()
    add_timeline_event(
        session,
        actor,
        customer_id=customer.id,
        kind="loaner_booked" if chosen else "loaner_unmet",
        now=now,
        params={"plate": chosen.plate if chosen else "", "starts_at": starts_at.isoformat()},
        subject=request,
    )
    return request
