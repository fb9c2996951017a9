"""Bookings: the rules of the calendar, and no overlap ever (20 racers, one winner)."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.db.engine import create_sessionmaker
from baton.domain.access import load_actor
from baton.domain.errors import NotFound, RuleViolation, ValidationFailed
from baton.domain.journeys.cars.booking import book_car
from tests.conftest import AsUser
from tests.support.cars import FRIDAY, SATURDAY, Fleet, at, make_fleet
from tests.support.counts import row_counts
from tests.support.world import World

CAR_TABLES = (models.CarBooking, models.CarUse, models.AuditEntry, models.LoanerRequest)


@pytest.fixture
async def fleet(db: AsyncSession, world: World) -> Fleet:
    return await make_fleet(db, world)


def codes(refused: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [reason.code for reason in refused.value.reasons]


async def test_a_standard_booking_holds_the_car_and_its_turnaround(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    booking = await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    await db.commit()
    assert booking.department is models.BookingDepartment.SALES
    assert booking.blocked_until == at(SATURDAY, 13)
    assert not booking.short_notice and booking.status is models.BookingStatus.BOOKED


async def refused_booking(
    db: AsyncSession, actor: object, car_id: int, starts_at: object, ends_at: object, now: object
) -> list[str]:
    before = await row_counts(db, *CAR_TABLES)
    with pytest.raises(RuleViolation) as refused:
        # A savepoint stands for the request's transaction: rolled back, it expires nothing
        # the test still holds.
        async with db.begin_nested():
            await book_car(db, actor, car_id, starts_at=starts_at, ends_at=ends_at, now=now)  # type: ignore[arg-type]
    assert await row_counts(db, *CAR_TABLES) == before
    return codes(refused)


async def test_an_overlapping_booking_is_refused_naming_the_rule(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    await db.commit()
    found = await refused_booking(
        db, sales, fleet.car_id, at(SATURDAY, 11), at(SATURDAY, 14), clock.now()
    )
    assert found == ["overlap"]


async def test_a_start_inside_the_turnaround_buffer_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    await db.commit()
    found = await refused_booking(
        db, sales, fleet.car_id, at(SATURDAY, 12, 30), at(SATURDAY, 14), clock.now()
    )
    assert found == ["in_turnaround"]
    # Exactly at the end of the buffer the car is free again.
    await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 13),
        ends_at=at(SATURDAY, 14),
        now=clock.now(),
    )
    await db.commit()


async def test_a_booking_whose_turnaround_runs_into_the_next_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 13),
        ends_at=at(SATURDAY, 15),
        now=clock.now(),
    )
    await db.commit()
    found = await refused_booking(
        db, sales, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12, 30), clock.now()
    )
    assert found == ["in_turnaround"]


async def test_a_start_in_the_past_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    found = await refused_booking(
        db,
        advisor,
        fleet.car_id,
        clock.now() - timedelta(minutes=1),
        clock.now() + timedelta(hours=2),
        clock.now(),
    )
    assert found == ["starts_in_past"]


async def test_a_booking_longer_than_the_maximum_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    found = await refused_booking(
        db,
        sales,
        fleet.car_id,
        at(SATURDAY, 10),
        at(SATURDAY, 10) + timedelta(hours=73),
        clock.now(),
    )
    assert found == ["too_long"]


async def test_a_short_notice_booking_takes_a_free_car(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    booking = await book_car(
        db, advisor, fleet.car_id, starts_at=at(24, 9), ends_at=at(24, 17), now=clock.now()
    )
    assert booking.short_notice and booking.department is models.BookingDepartment.SERVICE


async def test_a_booking_under_3_days_ahead_on_a_taken_car_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    advisor = await as_user("service_advisor")
    await book_car(
        db, sales, fleet.car_id, starts_at=at(24, 18), ends_at=at(24, 20), now=clock.now()
    )
    await db.commit()
    found = await refused_booking(db, advisor, fleet.car_id, at(24, 17), at(24, 19), clock.now())
    assert found == ["short_notice_taken"]


async def test_a_car_of_another_store_is_not_found_and_nothing_is_written(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    before = await row_counts(db, *CAR_TABLES)
    with pytest.raises(NotFound):
        async with db.begin_nested():
            await book_car(
                db,
                sales,
                fleet.other_store_id,
                starts_at=at(SATURDAY, 10),
                ends_at=at(SATURDAY, 12),
                now=clock.now(),
            )
    assert await row_counts(db, *CAR_TABLES) == before


async def test_a_car_in_cleaning_takes_no_booking(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    fleet.car.status = models.CarStatus.CLEANING_INSPECTION
    await db.commit()
    sales = await as_user("sales_consultant")
    found = await refused_booking(
        db, sales, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12), clock.now()
    )
    assert found == ["car_not_bookable"]


async def test_an_end_before_the_start_is_a_field_error(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    with pytest.raises(ValidationFailed) as refused:
        await book_car(
            db,
            sales,
            fleet.car_id,
            starts_at=at(SATURDAY, 12),
            ends_at=at(SATURDAY, 10),
            now=clock.now(),
        )
    assert [p.path for p in refused.value.problems] == ["input.endsAt"]


async def test_staff_book_for_their_own_department_only(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    with pytest.raises(ValidationFailed):
        await book_car(
            db,
            sales,
            fleet.car_id,
            starts_at=at(SATURDAY, 10),
            ends_at=at(SATURDAY, 12),
            department=models.BookingDepartment.SERVICE,
            now=clock.now(),
        )
    manager = await as_user("store_manager")
    booking = await book_car(
        db,
        manager,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        department=models.BookingDepartment.SERVICE,
        now=clock.now(),
    )
    assert booking.department is models.BookingDepartment.SERVICE


async def test_twenty_concurrent_conflicting_bookings_leave_exactly_one(
    engine: AsyncEngine, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    staff = [(await as_user("sales_consultant")).user, (await as_user("service_advisor")).user]
    sessions = create_sessionmaker(engine)
    start = at(FRIDAY, 18)

    async def attempt(n: int) -> str:
        async with sessions() as session:
            actor = await load_actor(session, staff[n % 2])
            try:
                await book_car(
                    session,
                    actor,
                    fleet.car_id,
                    starts_at=start + timedelta(minutes=n),
                    ends_at=start + timedelta(hours=2),
                    now=clock.now(),
                )
                await session.commit()
            except RuleViolation as refused:
                await session.rollback()
                return refused.reasons[0].code
            return "won"

    results = await asyncio.gather(*(attempt(n) for n in range(20)))
    assert results.count("won") == 1
    assert set(results) - {"won"} <= {"overlap", "in_turnaround"}
    async with sessions() as session:
        held = await session.scalars(
            select(models.CarBooking).where(models.CarBooking.car_id == fleet.car_id)
        )
        assert len(held.all()) == 1


async def test_only_postgresql_itself_refuses_an_overlap_that_skipped_the_lock(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    """On PostgreSQL the exclusion constraint refuses a row written past the lock; SQLite has
    no such constraint, which is why every booking there goes through the per-car lock."""
    sales = await as_user("sales_consultant")
    first = await book_car(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    await db.commit()
    db.add(
        models.CarBooking(
            store_id=first.store_id,
            car_id=first.car_id,
            department=first.department,
            booked_by_id=sales.id,
            starts_at=at(SATURDAY, 12, 30),
            ends_at=at(SATURDAY, 14),
            blocked_until=at(SATURDAY, 15),
            short_notice=False,
            status=models.BookingStatus.BOOKED,
            purpose="",
            notes=[],
            created_at=clock.now(),
        )
    )
    if db.get_bind().dialect.name != "postgresql":
        await db.flush()  # nothing in SQLite itself stops it: the lock is the guard there
        await db.rollback()
        return
    with pytest.raises(IntegrityError, match="ex_car_bookings_no_overlap"):
        await db.flush()
    await db.rollback()
