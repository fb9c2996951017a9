"""Demo data for the shared car calendar: each store's test-drive fleet and backup pool, last
month used as seed 001 describes it (sales test drives in the evenings and at weekends,
service loaners on weekday daytime, two damages, loaner requests mostly met), a car out on a
loaner now, and a Saturday loaner booking that sales can preempt into a backup car."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models import BookingDepartment, BookingStatus, CarPool, CarStatus, Role
from baton.demo.people import make_vin
from baton.domain.stores import StoreClock, clock_of

TEST_DRIVE_MODELS = ["Model 3 后驱", "Model 3 长续航", "Model Y 后驱", "Model Y 高性能"]
BACKUP_MODELS = ["Model 3 后驱", "Model Y 后驱"]
TURNAROUND = timedelta(minutes=60)
# Weekday loaners last month that found no car (seed 001: 90 % met).
UNMET_EVERY = 10


class _Fleet:
    def __init__(self, session: AsyncSession, store: models.Store, clock: StoreClock) -> None:
        self.session = session
        self.store = store
        self.clock = clock

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return self.clock.at(day, time(hour, minute))

    async def used(
        self,
        car: models.Car,
        user: models.User,
        department: BookingDepartment,
        starts_at: datetime,
        ends_at: datetime,
        *,
        customer_id: int | None = None,
        damage: tuple[int, str] | None = None,
    ) -> models.CarBooking:
        """A booking that was checked out, returned, washed and inspected."""
        booking = models.CarBooking(
            store_id=self.store.id,
            car_id=car.id,
            department=department,
            booked_by_id=user.id,
            customer_id=customer_id,
            starts_at=starts_at,
            ends_at=ends_at,
            blocked_until=ends_at + TURNAROUND,
            short_notice=False,
            status=BookingStatus.RETURNED,
            purpose="",
            notes=[],
            created_at=starts_at - timedelta(days=4),
        )
        self.session.add(booking)
        await self.session.flush()
        driven = 20 + int((ends_at - starts_at).total_seconds() // 3600) * 15
        self.session.add(
            models.CarUse(
                booking_id=booking.id,
                car_id=car.id,
                store_id=self.store.id,
                department=department,
                checked_out_at=starts_at,
                checked_out_by_id=user.id,
                odometer_out_km=car.odometer_km,
                charge_out_percent=90,
                condition_out="",
                photos_out=[],
                returned_at=ends_at,
                returned_by_id=user.id,
                odometer_in_km=car.odometer_km + driven,
                charge_in_percent=55,
                condition_in="",
                photos_in=[],
                damage_yuan=damage[0] if damage else 0,
                damage_note=damage[1] if damage else "",
                washed_at=ends_at + timedelta(minutes=30),
                inspected_at=ends_at + timedelta(minutes=50),
            )
        )
        car.odometer_km += driven
        return booking


async def seed_cars(
    session: AsyncSession,
    store: models.Store,
    staff: dict[Role, models.User],
    plate_prefix: str,
    now: datetime,
) -> None:
    rng = random.Random(f"cars-{store.code}")
    clock = clock_of(store)
    fleet = _Fleet(session, store, clock)
    today = clock.today(now)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    cars = [
        models.Car(
            store_id=store.id,
            plate=f"{plate_prefix}{index:03d}",
            vin=make_vin(rng),
            model=model,
            pool=pool,
            status=CarStatus.AVAILABLE,
            odometer_km=rng.randrange(3000, 12000),
            charge_percent=rng.randrange(70, 100),
            in_fleet_from=last_month - timedelta(days=200),
        )
        for index, (model, pool) in enumerate(
            [(m, CarPool.TEST_DRIVE) for m in TEST_DRIVE_MODELS]
            + [(m, CarPool.BACKUP) for m in BACKUP_MODELS],
            start=1,
        )
    ]
    session.add_all(cars)
    session.add(
        models.CarPolicy(
            store_id=store.id,
            service_window_start=time(8),
            service_window_end=time(18),
            opening_start=time(8),
            opening_end=time(21),
            advance_days=3,
            turnaround_minutes=60,
            max_booking_hours=72,
            usage_fee_yuan=1000,
            usage_fees=[],
            holidays=["2026-10-01", "2026-10-02", "2026-10-05", "2027-01-01"],
        )
    )
    await session.flush()
    test_drive, backup = cars[:4], cars[4:]
    sales, advisor = staff[Role.SALES_CONSULTANT], staff[Role.SERVICE_ADVISOR]
    visits = [
        (int(visit_id), int(customer_id))
        for visit_id, customer_id in (
            await session.execute(
                select(models.ServiceVisit.id, models.ServiceVisit.customer_id)
                .join(models.Customer, models.Customer.id == models.ServiceVisit.customer_id)
                .where(models.Customer.store_id == store.id)
                .order_by(models.ServiceVisit.id)
            )
        ).all()
    ]
    # The two damages, on days every month has: its first Saturday, its first weekday from the 12th.
    sales_damage_day = last_month + timedelta(days=(5 - last_month.weekday()) % 7)
    service_damage_day = last_month.replace(day=12)
    while service_damage_day.weekday() >= 5:
        service_damage_day += timedelta(days=1)
    day = last_month
    loaner_number = 0
    while day.month == last_month.month:
        weekend = day.weekday() >= 5
        if weekend:
            for car in test_drive:
                for start, end in ((10, 12), (13, 15), (16, 18), (19, 21)):
                    if rng.random() < 0.85:
                        await fleet.used(
                            car,
                            sales,
                            BookingDepartment.SALES,
                            fleet.at(day, start),
                            fleet.at(day, end),
                        )
            if day == sales_damage_day:
                await fleet.used(
                    backup[0],
                    sales,
                    BookingDepartment.SALES,
                    fleet.at(day, 10),
                    fleet.at(day, 12),
                    damage=(300, "左前轮毂刮伤"),
                )
        else:
            # The shared calendar: service takes test-drive cars on weekday daytime too.
            for car in (*backup, *test_drive):
                if (
                    car.pool is CarPool.TEST_DRIVE
                    and car is not test_drive[3]
                    and rng.random() < 0.2
                ):
                    continue
                visit_id, customer_id = visits[loaner_number % len(visits)]
                loaner_number += 1
                starts, ends = fleet.at(day, 9), fleet.at(day, 17)
                booking = None
                damaged = car is test_drive[3] and day == service_damage_day
                if loaner_number % UNMET_EVERY or damaged:
                    booking = await fleet.used(
                        car,
                        advisor,
                        BookingDepartment.SERVICE,
                        starts,
                        ends,
                        customer_id=customer_id,
                        damage=(800, "后保险杠划痕") if damaged else None,
                    )
                session.add(
                    models.LoanerRequest(
                        store_id=store.id,
                        visit_id=visit_id,
                        customer_id=customer_id,
                        requested_by_id=advisor.id,
                        starts_at=starts,
                        ends_at=ends,
                        status=models.LoanerStatus.BOOKED if booking else models.LoanerStatus.UNMET,
                        booking_id=booking.id if booking else None,
                        unmet_reason="" if booking else "no_car_free",
                        created_at=starts - timedelta(days=2),
                    )
                )
            for car in test_drive:
                if rng.random() < 0.85:
                    await fleet.used(
                        car,
                        sales,
                        BookingDepartment.SALES,
                        fleet.at(day, 18, 30),
                        fleet.at(day, 20, 30),
                    )
        day += timedelta(days=1)
    await _upcoming(session, fleet, test_drive, backup, sales, advisor, visits, now)


async def _upcoming(
    session: AsyncSession,
    fleet: _Fleet,
    test_drive: list[models.Car],
    backup: list[models.Car],
    sales: models.User,
    advisor: models.User,
    visits: list[tuple[int, int]],
    now: datetime,
) -> None:
    today = fleet.clock.today(now)
    # A backup car out on a loaner now: the advisor returns it in the demo.
    out = models.CarBooking(
        store_id=fleet.store.id,
        car_id=backup[1].id,
        department=BookingDepartment.SERVICE,
        booked_by_id=advisor.id,
        customer_id=visits[0][1] if visits else None,
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=3),
        blocked_until=now + timedelta(hours=3) + TURNAROUND,
        short_notice=False,
        status=BookingStatus.CHECKED_OUT,
        purpose="",
        notes=[],
        created_at=now - timedelta(days=4),
    )
    session.add(out)
    await session.flush()
    session.add(
        models.CarUse(
            booking_id=out.id,
            car_id=backup[1].id,
            store_id=fleet.store.id,
            department=BookingDepartment.SERVICE,
            checked_out_at=now - timedelta(hours=2),
            checked_out_by_id=advisor.id,
            odometer_out_km=backup[1].odometer_km,
            charge_out_percent=92,
            condition_out="",
            photos_out=[],
            photos_in=[],
        )
    )
    backup[1].status = CarStatus.IN_USE
    # A Saturday loaner on a test-drive car, 4+ days ahead: sales may preempt it for a VIP.
    saturday = today + timedelta(days=4)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    session.add(
        models.CarBooking(
            store_id=fleet.store.id,
            car_id=test_drive[0].id,
            department=BookingDepartment.SERVICE,
            booked_by_id=advisor.id,
            customer_id=visits[1][1] if len(visits) > 1 else None,
            starts_at=fleet.at(saturday, 10),
            ends_at=fleet.at(saturday, 16),
            blocked_until=fleet.at(saturday, 16) + TURNAROUND,
            short_notice=False,
            status=BookingStatus.BOOKED,
            purpose="",
            notes=[],
            created_at=now - timedelta(hours=5),
        )
    )
    # Sales test drives booked on the evenings ahead.
    for offset, car in ((1, test_drive[1]), (2, test_drive[2]), (5, test_drive[1])):
        day = today + timedelta(days=offset)
        session.add(
            models.CarBooking(
                store_id=fleet.store.id,
                car_id=car.id,
                department=BookingDepartment.SALES,
                booked_by_id=sales.id,
                starts_at=fleet.at(day, 18, 30),
                ends_at=fleet.at(day, 20),
                blocked_until=fleet.at(day, 20) + TURNAROUND,
                short_notice=offset < 3,
                status=BookingStatus.BOOKED,
                purpose="",
                notes=[],
                created_at=now - timedelta(hours=3),
            )
        )
    await session.flush()
