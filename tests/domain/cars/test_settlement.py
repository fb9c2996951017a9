"""The monthly settlement of a past month, checked to the yuan on a fixed fixture, and the
utilisation and loaner fulfilment it reports."""

from datetime import date, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.cars.policy import update_policy
from baton.domain.cars.settlement import monthly_statement, statement_csv
from baton.domain.errors import Forbidden, ValidationFailed
from tests.conftest import AsUser
from tests.support.cars import Fleet, at, make_car, make_fleet
from tests.support.records import Record
from tests.support.world import World

SALES = models.BookingDepartment.SALES
SERVICE = models.BookingDepartment.SERVICE
OCTOBER = date(2026, 10, 1)


def october(day: int, hour: int, minute: int = 0) -> datetime:
    return at(day, hour, minute, month=10)


async def past_use(
    db: AsyncSession,
    user: Actor,
    car: models.Car,
    department: models.BookingDepartment,
    starts_at: datetime,
    ends_at: datetime,
    *,
    damage_yuan: int = 0,
) -> None:
    """A booking used and returned in the past, written as the journeys left it."""
    booking = models.CarBooking(
        store_id=car.store_id,
        car_id=car.id,
        department=department,
        booked_by_id=user.id,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_until=ends_at,
        short_notice=False,
        status=models.BookingStatus.RETURNED,
        notes=[],
        created_at=starts_at,
    )
    db.add(booking)
    await db.flush()
    db.add(
        models.CarUse(
            booking_id=booking.id,
            car_id=car.id,
            store_id=car.store_id,
            department=department,
            checked_out_at=starts_at,
            checked_out_by_id=user.id,
            odometer_out_km=1000,
            charge_out_percent=90,
            photos_out=[],
            returned_at=ends_at,
            returned_by_id=user.id,
            odometer_in_km=1100,
            charge_in_percent=50,
            photos_in=[],
            damage_yuan=damage_yuan,
            damage_note="划痕" if damage_yuan else "",
        )
    )


@pytest.fixture
async def settled_october(
    db: AsyncSession, world: World, as_user: AsUser, make_customer: object
) -> Fleet:
    """Store A in October 2026: 2 test-drive cars and 2 backup cars in the fleet all month,
    a test-drive car that only joined in November, one retired in September."""
    fleet = await make_fleet(db, world)
    store = world.stores["A"]
    joined = make_car(store, models.CarPool.TEST_DRIVE)
    joined.in_fleet_from = date(2026, 11, 1)
    retired = make_car(store, models.CarPool.TEST_DRIVE)
    retired.retired_on = date(2026, 9, 30)
    retired.status = models.CarStatus.RETIRED
    db.add_all([joined, retired])
    sales = await as_user("sales_consultant")
    advisor = await as_user("service_advisor")
    test_drive, backup = fleet.test_drive[0], fleet.backup[0]
    # Service borrowed a test-drive car on a weekday and scratched it: ¥800 to sales.
    await past_use(db, advisor, test_drive, SERVICE, october(9, 9), october(9, 17), damage_yuan=800)
    # Sales on its own car at the weekend, with ¥500 damage: stays within sales.
    await past_use(db, sales, test_drive, SALES, october(17, 10), october(17, 14), damage_yuan=500)
    # Sales took a backup car and dented it: ¥300 from sales to service.
    await past_use(db, sales, backup, SALES, october(24, 7), october(24, 9), damage_yuan=300)
    # Returned on 1 November 00:30 store-local: November's, not October's.
    await past_use(db, sales, backup, SALES, october(31, 20), at(1, 0, 30), damage_yuan=2000)
    await db.commit()
    return fleet


async def test_last_months_statement_is_right_to_the_yuan(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, settled_october: Fleet
) -> None:
    manager = await as_user("store_manager")
    statement = await monthly_statement(
        db, manager, manager.user.store_id or 0, OCTOBER, now=clock.now()
    )
    assert statement.usage_fee_yuan == 1000
    assert len(statement.fee_cars) == 2 and statement.usage_total_yuan == 2000
    assert [(d.charged_to, d.payable_to, d.amount_yuan) for d in statement.damages] == [
        (SERVICE, SALES, 800),
        (SALES, SALES, 500),
        (SALES, SERVICE, 300),
    ]
    assert statement.service_pays_sales_yuan == 2000 + 800 - 300
    csv_text = statement_csv(statement)
    assert csv_text.splitlines()[-1] == "2026-10,net_service_to_sales,,service,sales,2500,"
    assert csv_text.count("usage_fee") == 2


async def test_utilisation_counts_booked_hours_inside_opening_hours(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, settled_october: Fleet
) -> None:
    manager = await as_user("store_manager")
    statement = await monthly_statement(
        db, manager, manager.user.store_id or 0, OCTOBER, now=clock.now()
    )
    by_plate = {c.car.plate: c for c in statement.cars}
    used = by_plate[settled_october.test_drive[0].plate]
    # 08:00-21:00 for 31 days; 8 h service + 4 h sales.
    assert used.available_hours == 13 * 31
    assert used.hours_by_department == {SERVICE: 8.0, SALES: 4.0}
    # 07:00-09:00 counts from the 08:00 opening; 20:00-00:30 until the 21:00 closing.
    assert by_plate[settled_october.backup[0].plate].booked_hours == 1 + 1
    assert statement.utilisation == pytest.approx(14 / (13 * 31 * 4))


async def test_the_statement_of_a_past_month_stays_the_same_after_the_fee_and_fleet_change(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, settled_october: Fleet, world: World
) -> None:
    manager = await as_user("store_manager")
    store_id = manager.user.store_id or 0
    before = statement_csv(await monthly_statement(db, manager, store_id, OCTOBER, now=clock.now()))
    await update_policy(
        db,
        manager,
        store_id,
        service_window_start=time(8),
        service_window_end=time(18),
        advance_days=3,
        turnaround_minutes=60,
        max_booking_hours=72,
        usage_fee_yuan=1500,
        holidays=[],
        now=clock.now(),
    )
    added = make_car(world.stores["A"], models.CarPool.TEST_DRIVE)
    added.in_fleet_from = date(2026, 11, 23)
    db.add(added)
    await db.commit()
    assert (
        statement_csv(await monthly_statement(db, manager, store_id, OCTOBER, now=clock.now()))
        == before
    )
    clock.set(datetime(2027, 1, 5, 2, tzinfo=clock.now().tzinfo))
    december = await monthly_statement(db, manager, store_id, date(2026, 12, 1), now=clock.now())
    assert december.usage_fee_yuan == 1500


async def test_a_month_not_yet_ended_has_no_statement(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, settled_october: Fleet
) -> None:
    manager = await as_user("store_manager")
    with pytest.raises(ValidationFailed):
        await monthly_statement(
            db, manager, manager.user.store_id or 0, date(2026, 11, 1), now=clock.now()
        )


async def test_only_managers_read_the_settlement(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, settled_october: Fleet
) -> None:
    sales = await as_user("sales_consultant")
    with pytest.raises(Forbidden):
        await monthly_statement(db, sales, sales.user.store_id or 0, OCTOBER, now=clock.now())


async def test_loaner_fulfilment_is_booked_over_requested(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    settled_october: Fleet,
    make_customer: object,
) -> None:
    record: Record = await make_customer(visits=1)  # type: ignore[operator]
    advisor = await as_user("service_advisor")
    visit_id = await db.scalar(select(models.ServiceVisit.id))
    for n, status in enumerate([models.LoanerStatus.BOOKED] * 3 + [models.LoanerStatus.UNMET]):
        db.add(
            models.LoanerRequest(
                store_id=record.customer.store_id,
                visit_id=visit_id,
                customer_id=record.customer.id,
                requested_by_id=advisor.id,
                starts_at=october(5 + n, 9),
                ends_at=october(5 + n, 17),
                status=status,
                unmet_reason="" if status is models.LoanerStatus.BOOKED else "no_car_free",
                created_at=october(1, 9),
            )
        )
    await db.commit()
    manager = await as_user("store_manager")
    statement = await monthly_statement(
        db, manager, manager.user.store_id or 0, OCTOBER, now=clock.now()
    )
    assert (statement.loaners_booked, statement.loaner_requests) == (3, 4)
    assert statement.loaner_fulfilment == 0.75
