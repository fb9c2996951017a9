"""Using a car (用车): check-out and return with odometer, charge and condition photos; after
a return the car is washed and inspected before it takes a booking again, and damage found at
return is charged to the department that used it."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingStatus, Car, CarStatus, CarUse, Upload
from baton.domain.access import Action, Actor, Subject
from baton.domain.cars.bookings import booking_subject, get_booking
from baton.domain.cars.fleet import get_car, lock_cars
from baton.domain.errors import FieldChecks, Reason, RuleViolation
from baton.domain.history import add_audit_entry

PHOTOS_MAX = 12
CONDITION_MAX = 2000
ODOMETER_MAX_KM = 2_000_000
DAMAGE_MAX_YUAN = 1_000_000


async def _photos(
    session: AsyncSession,
    actor: Actor,
    photo_ids: Sequence[int],
    store_id: int,
    checks: FieldChecks,
) -> list[int]:
    """Uploads (POST /uploads) of this store not attached to a promise."""
    if len(photo_ids) > PHOTOS_MAX:
        checks.fail("input.photoIds", "too_many", says="too_many_photos", max=PHOTOS_MAX)
        return []
    if not photo_ids:
        return []
    found = {u.id: u for u in await session.scalars(select(Upload).where(Upload.id.in_(photo_ids)))}
    for index, photo_id in enumerate(photo_ids):
        upload = found.get(photo_id)
        if upload is None or upload.store_id != store_id or upload.promise_id is not None:
            checks.fail(f"input.photoIds.{index}", "bad_photo")
    return list(photo_ids)


def _readings(checks: FieldChecks, car: Car, odometer_km: int, charge_percent: int) -> None:
    if not car.odometer_km <= odometer_km <= ODOMETER_MAX_KM:
        checks.fail(
            "input.odometerKm",
            "out_of_range",
            says="odometer_out_of_range",
            min=car.odometer_km,
            max=ODOMETER_MAX_KM,
        )
    if not 0 <= charge_percent <= 100:
        checks.fail("input.chargePercent", "out_of_range", min=0, max=100)


async def check_out(
    session: AsyncSession,
    actor: Actor,
    booking_id: int,
    *,
    odometer_km: int,
    charge_percent: int,
    condition: str,
    photo_ids: Sequence[int] = (),
    now: datetime,
) -> CarUse:
    booking = await get_booking(session, actor, booking_id, path="input.bookingId")
    actor.ensure(Action.HAND_OVER_CAR, booking_subject(booking))
    await lock_cars(session, [booking.car_id])
    await session.refresh(booking)
    car = await get_car(session, actor, booking.car_id, path="input.bookingId")
    await session.refresh(car)
    checks = FieldChecks()
    _readings(checks, car, odometer_km, charge_percent)
    clean = checks.text("input.condition", condition, max_length=CONDITION_MAX, required=False)
    photos = await _photos(session, actor, photo_ids, car.store_id, checks)
    checks.raise_if_any()
    reasons = []
    if booking.status is not BookingStatus.BOOKED:
        reasons.append(Reason("not_booked", status=booking.status))
    if car.status is not CarStatus.AVAILABLE:
        reasons.append(Reason("car_not_available", status=car.status))
    if reasons:
        raise RuleViolation(reasons)
    use = CarUse(
        booking_id=booking.id,
        car_id=car.id,
        store_id=car.store_id,
        department=booking.department,
        checked_out_at=now,
        checked_out_by_id=actor.id,
        odometer_out_km=odometer_km,
        charge_out_percent=charge_percent,
        condition_out=clean or "",
        photos_out=photos,
        photos_in=[],
    )
    session.add(use)
    booking.status = BookingStatus.CHECKED_OUT
    car.status = CarStatus.IN_USE
    car.odometer_km = odometer_km
    car.charge_percent = charge_percent
    await session.flush()
    add_audit_entry(
        session,
        actor,
        action="check_out_car",
        entity=use,
        now=now,
        changes={"odometer_km": odometer_km, "charge_percent": charge_percent},
    )
    return use


async def return_car(
    session: AsyncSession,
    actor: Actor,
    booking_id: int,
    *,
    odometer_km: int,
    charge_percent: int,
    condition: str,
    photo_ids: Sequence[int] = (),
    damage_yuan: int = 0,
    damage_note: str = "",
    now: datetime,
) -> CarUse:
    """The car comes back: it goes to cleaning and inspection; damage is charged to the
    department that used it (with photos and the amount)."""
    booking = await get_booking(session, actor, booking_id, path="input.bookingId")
    actor.ensure(Action.HAND_OVER_CAR, booking_subject(booking))
    await lock_cars(session, [booking.car_id])
    await session.refresh(booking)
    if booking.status is not BookingStatus.CHECKED_OUT:
        raise RuleViolation([Reason("not_checked_out")])
    car = await get_car(session, actor, booking.car_id, path="input.bookingId")
    await session.refresh(car)
    checks = FieldChecks()
    _readings(checks, car, odometer_km, charge_percent)
    clean = checks.text("input.condition", condition, max_length=CONDITION_MAX, required=False)
    note = checks.text("input.damageNote", damage_note, max_length=CONDITION_MAX, required=False)
    photos = await _photos(session, actor, photo_ids, car.store_id, checks)
    if not 0 <= damage_yuan <= DAMAGE_MAX_YUAN:
        checks.fail("input.damageYuan", "out_of_range", min=0, max=DAMAGE_MAX_YUAN)
    if damage_yuan > 0 and not photos:
        checks.fail("input.photoIds", "required", says="damage_photo")
    if damage_yuan > 0 and not note:
        checks.fail("input.damageNote", "required", says="damage_note")
    checks.raise_if_any()
    use = await session.scalar(select(CarUse).where(CarUse.booking_id == booking.id))
    assert use is not None, "a checked-out booking has its use"
    use.returned_at = now
    use.returned_by_id = actor.id
    use.odometer_in_km = odometer_km
    use.charge_in_percent = charge_percent
    use.condition_in = clean or ""
    use.photos_in = photos
    use.damage_yuan = damage_yuan
    use.damage_note = note or ""
    booking.status = BookingStatus.RETURNED
    car.status = CarStatus.CLEANING_INSPECTION
    car.odometer_km = odometer_km
    car.charge_percent = charge_percent
    await session.flush()
    add_audit_entry(
        session,
        actor,
        action="return_car",
        entity=use,
        now=now,
        changes={"odometer_km": odometer_km, "damage_yuan": damage_yuan},
    )
    return use


async def record_turnaround(
    session: AsyncSession,
    actor: Actor,
    car_id: int,
    *,
    washed: bool,
    inspected: bool,
    now: datetime,
) -> Car:
    """Wash and/or inspection after a return; with both recorded the car is available."""
    car = await get_car(session, actor, car_id, path="input.carId")
    actor.ensure(Action.TURN_CAR_AROUND, Subject(store_id=car.store_id))
    await lock_cars(session, [car.id])
    await session.refresh(car)
    if car.status is not CarStatus.CLEANING_INSPECTION:
        raise RuleViolation([Reason("not_in_turnaround")])
    if not (washed or inspected):
        checks = FieldChecks()
        checks.fail("input.washed", "required", says="wash_or_inspection")
        checks.raise_if_any()
    use = await session.scalar(
        select(CarUse)
        .where(CarUse.car_id == car.id, CarUse.returned_at.is_not(None))
        .order_by(CarUse.returned_at.desc(), CarUse.id.desc())
        .limit(1)
    )
    assert use is not None, "a car in turnaround was returned"
    if washed and use.washed_at is None:
        use.washed_at = now
    if inspected and use.inspected_at is None:
        use.inspected_at = now
    if use.washed_at is not None and use.inspected_at is not None:
        car.status = CarStatus.AVAILABLE
    await session.flush()
    add_audit_entry(
        session,
        actor,
        action="record_turnaround",
        entity=car,
        now=now,
        changes={"washed": washed, "inspected": inspected, "status": car.status.value},
    )
    return car
