"""Check-out and return: readings and photos, cleaning and inspection before the next booking,
damage charged to the department that used the car."""

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.errors import Forbidden, RuleViolation, ValidationFailed
from baton.domain.journeys.cars.booking import book_car
from baton.domain.journeys.cars.use import check_out, record_turnaround, return_car
from tests.conftest import AsUser
from tests.domain.cars.test_bookings import CAR_TABLES
from tests.support.cars import Fleet, make_fleet
from tests.support.counts import row_counts
from tests.support.world import World


@pytest.fixture
async def fleet(db: AsyncSession, world: World) -> Fleet:
    return await make_fleet(db, world)


async def photo(db: AsyncSession, actor: Actor, clock: ManualClock) -> int:
    upload = models.Upload(
        store_id=actor.user.store_id,
        uploaded_by_id=actor.id,
        content_type="image/jpeg",
        size_bytes=3,
        sha256="0" * 64,
        stored_name=f"car-{next(upload_counter)}.jpg",
        created_at=clock.now(),
    )
    db.add(upload)
    await db.flush()
    return upload.id


upload_counter = iter(range(1_000_000))


async def checked_out(
    db: AsyncSession, actor: Actor, clock: ManualClock, fleet: Fleet
) -> models.CarBooking:
    booking = await book_car(
        db,
        actor,
        fleet.car_id,
        starts_at=clock.now() + timedelta(minutes=5),
        ends_at=clock.now() + timedelta(hours=4),
        now=clock.now(),
    )
    await db.commit()
    clock.advance(timedelta(minutes=5))
    await check_out(
        db,
        actor,
        booking.id,
        odometer_km=1210,
        charge_percent=88,
        condition="无划痕",
        photo_ids=[await photo(db, actor, clock)],
        now=clock.now(),
    )
    await db.commit()
    return booking


async def test_a_returned_car_waits_for_wash_and_inspection_before_its_next_booking(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    technician = await as_user("technician")
    booking = await checked_out(db, advisor, clock, fleet)
    car = await db.get(models.Car, fleet.car_id)
    assert car is not None and car.status is models.CarStatus.IN_USE and car.odometer_km == 1210
    clock.advance(timedelta(hours=3))
    use = await return_car(
        db,
        advisor,
        booking.id,
        odometer_km=1265,
        charge_percent=61,
        condition="正常",
        now=clock.now(),
    )
    await db.commit()
    assert booking.status is models.BookingStatus.RETURNED
    assert (car.status, car.odometer_km, car.charge_percent) == (
        models.CarStatus.CLEANING_INSPECTION,
        1265,
        61,
    )
    assert (use.odometer_out_km, use.odometer_in_km, use.damage_yuan) == (1210, 1265, 0)
    with pytest.raises(RuleViolation) as refused:
        async with db.begin_nested():
            await book_car(
                db,
                advisor,
                fleet.car_id,
                starts_at=clock.now() + timedelta(hours=2),
                ends_at=clock.now() + timedelta(hours=3),
                now=clock.now(),
            )
    assert [r.code for r in refused.value.reasons] == ["car_not_bookable"]
    await record_turnaround(
        db, technician, fleet.car_id, washed=True, inspected=False, now=clock.now()
    )
    await db.commit()
    assert car.status is models.CarStatus.CLEANING_INSPECTION
    await record_turnaround(
        db, technician, fleet.car_id, washed=False, inspected=True, now=clock.now()
    )
    await db.commit()
    assert car.status is models.CarStatus.AVAILABLE
    assert use.washed_at is not None and use.inspected_at is not None
    await book_car(
        db,
        advisor,
        fleet.car_id,
        starts_at=clock.now() + timedelta(hours=2),
        ends_at=clock.now() + timedelta(hours=3),
        now=clock.now(),
    )


async def test_damage_at_return_is_charged_to_the_department_that_used_the_car(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    booking = await checked_out(db, sales, clock, fleet)
    use = await return_car(
        db,
        sales,
        booking.id,
        odometer_km=1300,
        charge_percent=40,
        condition="右后门划痕",
        photo_ids=[await photo(db, sales, clock)],
        damage_yuan=800,
        damage_note="右后门划痕，需补漆",
        now=clock.now(),
    )
    await db.commit()
    assert (use.department, use.damage_yuan) == (models.BookingDepartment.SALES, 800)
    assert len(use.photos_in) == 1


async def test_damage_without_a_photo_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    booking = await checked_out(db, sales, clock, fleet)
    with pytest.raises(ValidationFailed) as refused:
        await return_car(
            db,
            sales,
            booking.id,
            odometer_km=1300,
            charge_percent=40,
            condition="",
            damage_yuan=800,
            damage_note="划痕",
            now=clock.now(),
        )
    assert [p.path for p in refused.value.problems] == ["input.photoIds"]


async def test_returning_a_car_that_is_not_checked_out_is_refused_and_writes_nothing(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    booking = await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=clock.now() + timedelta(days=4),
        ends_at=clock.now() + timedelta(days=4, hours=2),
        now=clock.now(),
    )
    await db.commit()
    booking_id = booking.id
    before = await row_counts(db, *CAR_TABLES)
    with pytest.raises(RuleViolation) as refused:
        async with db.begin_nested():
            await return_car(
                db,
                sales,
                booking_id,
                odometer_km=1300,
                charge_percent=40,
                condition="",
                now=clock.now(),
            )
    assert [r.code for r in refused.value.reasons] == ["not_checked_out"]
    assert await row_counts(db, *CAR_TABLES) == before


async def test_an_odometer_below_the_cars_reading_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    booking = await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=clock.now() + timedelta(minutes=1),
        ends_at=clock.now() + timedelta(hours=2),
        now=clock.now(),
    )
    await db.commit()
    with pytest.raises(ValidationFailed) as refused:
        await check_out(
            db,
            sales,
            booking.id,
            odometer_km=100,
            charge_percent=120,
            condition="",
            now=clock.now(),
        )
    assert [p.path for p in refused.value.problems] == ["input.odometerKm", "input.chargePercent"]


async def test_a_photo_of_another_store_is_refused_at_check_out(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    other = await as_user("sales_consultant", store="B")
    booking = await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=clock.now() + timedelta(minutes=1),
        ends_at=clock.now() + timedelta(hours=2),
        now=clock.now(),
    )
    await db.commit()
    foreign = await photo(db, other, clock)
    with pytest.raises(ValidationFailed) as refused:
        await check_out(
            db,
            sales,
            booking.id,
            odometer_km=1300,
            charge_percent=80,
            condition="",
            photo_ids=[foreign],
            now=clock.now(),
        )
    assert [p.path for p in refused.value.problems] == ["input.photoIds.0"]


async def test_a_technician_may_not_check_out_or_return_a_car_but_washes_and_inspects_it(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    technician = await as_user("technician")
    booking = await book_car(
        db,
        advisor,
        fleet.car_id,
        starts_at=clock.now() + timedelta(minutes=1),
        ends_at=clock.now() + timedelta(hours=2),
        now=clock.now(),
    )
    await db.commit()
    booking_id = booking.id
    before = await row_counts(db, *CAR_TABLES)
    with pytest.raises(Forbidden):
        await check_out(
            db,
            technician,
            booking_id,
            odometer_km=1210,
            charge_percent=88,
            condition="",
            now=clock.now(),
        )
    assert await row_counts(db, *CAR_TABLES) == before
    await check_out(
        db, advisor, booking_id, odometer_km=1210, charge_percent=88, condition="", now=clock.now()
    )
    await db.commit()
    with pytest.raises(Forbidden):
        await return_car(
            db,
            technician,
            booking_id,
            odometer_km=1250,
            charge_percent=70,
            condition="",
            now=clock.now(),
        )
    await return_car(
        db, advisor, booking_id, odometer_km=1250, charge_percent=70, condition="", now=clock.now()
    )
    await db.commit()
    car = await record_turnaround(
        db, technician, fleet.car_id, washed=True, inspected=True, now=clock.now()
    )
    assert car.status is models.CarStatus.AVAILABLE
