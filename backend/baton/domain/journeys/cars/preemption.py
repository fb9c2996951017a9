"""Preempting a booking (抢占): inside its priority window a department takes a car the other
department booked; the displaced booking moves to a free backup car or waits for the manager."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingDepartment, BookingStatus, Car, CarBooking, CarPool
from baton.domain.access import Actor
from baton.domain.cars.bookings import (
    car_reasons,
    conflict_reason,
    holding_conflicts,
    time_reasons,
    with_note,
)
from baton.domain.cars.fleet import NOT_BOOKABLE, lock_cars
from baton.domain.cars.policy import store_policy
from baton.domain.errors import FieldChecks, Reason, RuleViolation
from baton.domain.events import BookingPreempted
from baton.domain.history import add_audit_entry
from baton.domain.journeys.cars.booking import new_booking, prepare, save_booking
from baton.domain.journeys.who_is_told import tell
from baton.domain.staff import store_manager_ids

REASON_MAX = 500


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
    clean_reason = checks.text("input.reason", reason, max_length=REASON_MAX) or ""
    checks.raise_if_any()
    backups = await session.scalars(
        select(Car.id).where(Car.store_id == car.store_id, Car.pool == CarPool.BACKUP)
    )
    await lock_cars(session, [car.id, *backups])
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
    await save_booking(session, actor, booking, now)
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
