"""Booking journey: preemption inside the priority window into the backup pool, and loaner
requests for service visits that are booked or recorded unmet."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.errors import NotFound, RuleViolation, ValidationFailed
from baton.domain.journeys.cars.booking import book_car
from baton.domain.journeys.cars.loaners import request_loaner
from baton.domain.journeys.cars.preemption import preempt_booking
from baton.texts import Reader
from tests.conftest import AsUser
from tests.domain.cars.test_bookings import CAR_TABLES
from tests.support.cars import FRIDAY, SATURDAY, Fleet, at, make_fleet
from tests.support.counts import row_counts
from tests.support.records import Record
from tests.support.texts import alert_text
from tests.support.world import World

MakeCustomer = Callable[..., Awaitable[Record]]
Kind = models.AlertKind


@pytest.fixture
async def fleet(db: AsyncSession, world: World) -> Fleet:
    return await make_fleet(db, world)


async def alerts_of(db: AsyncSession, user_id: int) -> list[models.Alert]:
    rows = await db.scalars(
        select(models.Alert).where(models.Alert.user_id == user_id).order_by(models.Alert.id)
    )
    return list(rows)


async def test_sales_preempts_a_saturday_service_booking_into_a_backup_car_and_both_are_told(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    displaced = await book_car(
        db,
        advisor,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    await db.commit()
    taking = await preempt_booking(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 9),
        ends_at=at(SATURDAY, 11),
        reason="VIP 试驾",
        now=clock.now(),
    )
    await db.commit()
    assert taking.car_id == fleet.car_id and taking.preempted_booking_id == displaced.id
    assert displaced.car_id == fleet.backup_ids[0]
    assert displaced.status is models.BookingStatus.BOOKED
    assert [n["kind"] for n in displaced.notes] == ["moved"]
    assert displaced.notes[0]["params"]["reason"] == "VIP 试驾"
    assert [n["kind"] for n in taking.notes] == ["preempted"]
    [told_advisor] = await alerts_of(db, advisor.id)
    [told_sales] = await alerts_of(db, sales.id)
    assert told_advisor.kind is Kind.CAR_BOOKING_PREEMPTED
    assert told_sales.kind is Kind.CAR_PREEMPTION_MADE
    title, body = await alert_text(db, told_advisor, "en")
    assert fleet.car.plate in title and "VIP 试驾" in body
    assert f"moved to backup car {fleet.backup[0].plate}" in body
    assert told_advisor.url.startswith("/cars?booking=")


async def test_with_no_backup_car_free_the_displaced_booking_needs_a_car_and_the_manager_hears(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    manager = await as_user("store_manager")
    for car_id in fleet.backup_ids:
        await book_car(
            db,
            advisor,
            car_id,
            starts_at=at(SATURDAY, 8),
            ends_at=at(SATURDAY, 18),
            now=clock.now(),
        )
    displaced = await book_car(
        db,
        advisor,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    await db.commit()
    await preempt_booking(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        reason="VIP",
        now=clock.now(),
    )
    await db.commit()
    assert displaced.status is models.BookingStatus.NEEDS_CAR
    assert displaced.car_id == fleet.car_id
    assert [a.kind for a in await alerts_of(db, manager.id)] == [Kind.CAR_NEEDED]
    [told] = await alerts_of(db, advisor.id)
    assert "store manager" in (await alert_text(db, told, "en"))[1]


async def refused_preemption(
    db: AsyncSession,
    actor: object,
    car_id: int,
    starts_at: object,
    ends_at: object,
    now: object,
    reason: str = "VIP",
) -> RuleViolation:
    before = await row_counts(db, *CAR_TABLES, models.Alert)
    with pytest.raises(RuleViolation) as refused:
        async with db.begin_nested():
            await preempt_booking(
                db, actor, car_id, starts_at=starts_at, ends_at=ends_at, reason=reason, now=now
            )  # type: ignore[arg-type]
    assert await row_counts(db, *CAR_TABLES, models.Alert) == before
    return refused.value


async def test_a_preemption_outside_the_department_window_is_refused_naming_the_window(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
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
    refused = await refused_preemption(
        db, advisor, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12), clock.now()
    )
    assert [r.code for r in refused.reasons] == ["outside_priority_window"]
    said = Reader("en", "Asia/Shanghai").say(refused.reasons[0].key, refused.reasons[0].params)
    assert "working days 08:00–18:00" in said


async def test_service_preempts_on_a_weekday_up_to_exactly_1800_but_not_a_minute_past(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    await book_car(
        db, sales, fleet.car_id, starts_at=at(FRIDAY, 16), ends_at=at(FRIDAY, 17), now=clock.now()
    )
    await db.commit()
    refused = await refused_preemption(
        db, advisor, fleet.car_id, at(FRIDAY, 16), at(FRIDAY, 18, 1), clock.now()
    )
    assert [r.code for r in refused.reasons] == ["outside_priority_window"]
    taking = await preempt_booking(
        db,
        advisor,
        fleet.car_id,
        starts_at=at(FRIDAY, 16),
        ends_at=at(FRIDAY, 18),
        reason="客户保养代步",
        now=clock.now(),
    )
    assert taking.department is models.BookingDepartment.SERVICE


async def test_sales_preempts_from_exactly_1800_on_a_weekday(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    await book_car(
        db, advisor, fleet.car_id, starts_at=at(FRIDAY, 17), ends_at=at(FRIDAY, 20), now=clock.now()
    )
    await db.commit()
    refused = await refused_preemption(
        db, sales, fleet.car_id, at(FRIDAY, 17, 59), at(FRIDAY, 20), clock.now()
    )
    assert [r.code for r in refused.reasons] == ["outside_priority_window"]
    await preempt_booking(
        db,
        sales,
        fleet.car_id,
        starts_at=at(FRIDAY, 18),
        ends_at=at(FRIDAY, 20),
        reason="VIP",
        now=clock.now(),
    )


async def test_a_short_notice_booking_never_preempts(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    await book_car(
        db, advisor, fleet.car_id, starts_at=at(24, 19), ends_at=at(24, 21), now=clock.now()
    )
    await db.commit()
    refused = await refused_preemption(db, sales, fleet.car_id, at(24, 19), at(24, 21), clock.now())
    assert [r.code for r in refused.reasons] == ["short_notice_cannot_preempt"]


async def test_a_department_cannot_preempt_its_own_booking(
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
    refused = await refused_preemption(
        db, sales, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12), clock.now()
    )
    assert [r.code for r in refused.reasons] == ["overlap"]


async def test_a_preemption_needs_a_reason(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    with pytest.raises(ValidationFailed) as refused:
        await preempt_booking(
            db,
            sales,
            fleet.car_id,
            starts_at=at(SATURDAY, 10),
            ends_at=at(SATURDAY, 12),
            reason="  ",
            now=clock.now(),
        )
    assert [p.path for p in refused.value.problems] == ["input.reason"]


async def visit_of(db: AsyncSession, record: Record) -> int:
    visit_id = await db.scalar(
        select(models.ServiceVisit.id).where(models.ServiceVisit.customer_id == record.customer.id)
    )
    assert visit_id is not None
    return visit_id


async def test_a_loaner_request_books_a_backup_car_first_for_the_visit(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet, make_customer: MakeCustomer
) -> None:
    record = await make_customer(visits=1)
    advisor = await as_user("service_advisor")
    request = await request_loaner(
        db,
        advisor,
        await visit_of(db, record),
        starts_at=at(FRIDAY, 9),
        ends_at=at(FRIDAY, 17),
        now=clock.now(),
    )
    await db.commit()
    assert request.status is models.LoanerStatus.BOOKED
    booking = await db.get(models.CarBooking, request.booking_id)
    assert booking is not None and booking.car_id == fleet.backup_ids[0]
    assert booking.customer_id == record.customer.id
    assert booking.department is models.BookingDepartment.SERVICE


async def test_a_loaner_request_with_no_car_free_is_recorded_unmet_with_the_reason(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet, make_customer: MakeCustomer
) -> None:
    record = await make_customer(visits=1)
    sales = await as_user("sales_consultant")
    advisor = await as_user("service_advisor")
    for car_id in (fleet.car_id, fleet.second_id, *fleet.backup_ids):
        await book_car(db, sales, car_id, starts_at=at(24, 8), ends_at=at(24, 20), now=clock.now())
    await db.commit()
    request = await request_loaner(
        db,
        advisor,
        await visit_of(db, record),
        starts_at=at(24, 9),
        ends_at=at(24, 12),
        now=clock.now(),
    )
    await db.commit()
    assert (request.status, request.unmet_reason, request.booking_id) == (
        models.LoanerStatus.UNMET,
        "no_car_free",
        None,
    )


async def test_a_loaner_for_another_stores_visit_is_not_found(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet, make_customer: MakeCustomer
) -> None:
    record = await make_customer(store="B", visits=1)
    advisor = await as_user("service_advisor", store="A")
    with pytest.raises(NotFound):
        await request_loaner(
            db,
            advisor,
            await visit_of(db, record),
            starts_at=at(FRIDAY, 9),
            ends_at=at(FRIDAY, 17),
            now=clock.now(),
        )


async def test_a_loaner_starting_in_the_past_is_refused_not_recorded_unmet(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet, make_customer: MakeCustomer
) -> None:
    record = await make_customer(visits=1)
    advisor = await as_user("service_advisor")
    visit_id = await visit_of(db, record)
    with pytest.raises(RuleViolation) as refused:
        async with db.begin_nested():
            await request_loaner(
                db,
                advisor,
                visit_id,
                starts_at=clock.now() - timedelta(hours=1),
                ends_at=at(23, 17),
                now=clock.now(),
            )
    assert [r.code for r in refused.value.reasons] == ["starts_in_past"]
    assert (await row_counts(db, models.LoanerRequest)) == {"LoanerRequest": 0}
