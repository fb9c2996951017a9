"""The monthly car settlement (月度结算) and the calendar's measures.

Each month service pays sales the usage fee for every test-drive car in the fleet that month
(default ¥1,000 per car, per store policy); damage found at a return is charged to the
department that used the car, payable to the car's owner (sales owns the test-drive cars,
service the backup pool). A statement reads only rows dated inside the month, so a past
month's statement is the same whenever it is asked for.

Utilisation is booked hours / available hours inside opening hours (every day of the month,
store-local); loaner fulfilment is the loaner requests booked / all requested that month."""

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    HOLDING,
    BookingDepartment,
    Car,
    CarBooking,
    CarPool,
    CarUse,
    LoanerRequest,
    LoanerStatus,
)
from baton.domain.access import Action, Actor
from baton.domain.cars.policy import Policy, store_policy
from baton.domain.errors import FieldProblem, NotFound, ValidationFailed

OWNER = {CarPool.TEST_DRIVE: BookingDepartment.SALES, CarPool.BACKUP: BookingDepartment.SERVICE}


@dataclass(frozen=True)
class DamageLine:
    car_plate: str
    returned_at: datetime
    charged_to: BookingDepartment
    payable_to: BookingDepartment
    amount_yuan: int
    note: str


@dataclass(frozen=True)
class CarUtilisation:
    car: Car
    booked_hours: float
    available_hours: float
    hours_by_department: dict[BookingDepartment, float]

    @property
    def rate(self) -> float:
        return self.booked_hours / self.available_hours if self.available_hours else 0.0


@dataclass(frozen=True)
class Statement:
    store_id: int
    month: date
    usage_fee_yuan: int
    fee_cars: list[str]
    damages: list[DamageLine]
    cars: list[CarUtilisation]
    loaner_requests: int
    loaners_booked: int

    @property
    def usage_total_yuan(self) -> int:
        return self.usage_fee_yuan * len(self.fee_cars)

    def damage_yuan(self, charged_to: BookingDepartment, payable_to: BookingDepartment) -> int:
        return sum(
            d.amount_yuan
            for d in self.damages
            if d.charged_to is charged_to and d.payable_to is payable_to
        )

    @property
    def service_pays_sales_yuan(self) -> int:
        """The net transfer: the fee and service's damage to sales cars, less sales' damage to
        service's backup cars (damage within a department stays within it)."""
        sales, service = BookingDepartment.SALES, BookingDepartment.SERVICE
        return (
            self.usage_total_yuan
            + self.damage_yuan(service, sales)
            - self.damage_yuan(sales, service)
        )

    @property
    def utilisation(self) -> float:
        available = sum(c.available_hours for c in self.cars)
        return sum(c.booked_hours for c in self.cars) / available if available else 0.0

    def department_utilisation(self, department: BookingDepartment) -> float:
        available = sum(c.available_hours for c in self.cars)
        booked = sum(c.hours_by_department.get(department, 0.0) for c in self.cars)
        return booked / available if available else 0.0

    @property
    def loaner_fulfilment(self) -> float | None:
        return self.loaners_booked / self.loaner_requests if self.loaner_requests else None


def month_days(month: date) -> list[date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


def _opening_windows(policy: Policy, days: Sequence[date]) -> list[tuple[datetime, datetime]]:
    return [policy.clock.opening_hours_on(day, policy) for day in days]


def _hours_inside(
    starts_at: datetime, ends_at: datetime, windows: Sequence[tuple[datetime, datetime]]
) -> float:
    seconds = 0.0
    for opens, closes in windows:
        overlap = min(ends_at, closes) - max(starts_at, opens)
        seconds += max(overlap.total_seconds(), 0.0)
    return seconds / 3600


def _in_fleet(car: Car, first: date, last: date) -> bool:
    return car.in_fleet_from <= last and (car.retired_on is None or car.retired_on >= first)


async def monthly_statement(
    session: AsyncSession, actor: Actor, store_id: int, month: date, *, now: datetime
) -> Statement:
    if not actor.sees_store(store_id):
        raise NotFound("Store", "storeId")
    actor.ensure(Action.READ_CAR_SETTLEMENT)
    policy = await store_policy(session, store_id)
    days = month_days(month)
    if days[-1] >= policy.clock.today(now):
        raise ValidationFailed([FieldProblem("month", "not_ended")])
    start, end = policy.clock.days_bounds(days[0], days[-1])
    cars = [
        car
        for car in await session.scalars(
            select(Car).where(Car.store_id == store_id).order_by(Car.pool.desc(), Car.plate)
        )
        if _in_fleet(car, days[0], days[-1])
    ]
    plates = {car.id: car for car in cars}
    bookings = await session.scalars(
        select(CarBooking).where(
            CarBooking.store_id == store_id,
            CarBooking.status.in_(HOLDING),
            CarBooking.starts_at < end,
            CarBooking.ends_at > start,
        )
    )
    windows = _opening_windows(policy, days)
    booked: dict[int, dict[BookingDepartment, float]] = defaultdict(lambda: defaultdict(float))
    for booking in bookings:
        hours = _hours_inside(booking.starts_at, booking.ends_at, windows)
        booked[booking.car_id][booking.department] += hours
    uses = await session.scalars(
        select(CarUse)
        .where(
            CarUse.store_id == store_id,
            CarUse.returned_at >= start,
            CarUse.returned_at < end,
            CarUse.damage_yuan > 0,
        )
        .order_by(CarUse.returned_at, CarUse.id)
    )
    damages = []
    for use in uses:
        used = plates.get(use.car_id) or await session.get(Car, use.car_id)
        assert used is not None and use.returned_at is not None
        damages.append(
            DamageLine(
                car_plate=used.plate,
                returned_at=use.returned_at,
                charged_to=use.department,
                payable_to=OWNER[used.pool],
                amount_yuan=use.damage_yuan,
                note=use.damage_note,
            )
        )
    available = _hours_inside(start, end, windows)
    loaners = list(
        await session.scalars(
            select(LoanerRequest.status).where(
                LoanerRequest.store_id == store_id,
                LoanerRequest.starts_at >= start,
                LoanerRequest.starts_at < end,
            )
        )
    )
    return Statement(
        store_id=store_id,
        month=days[0],
        usage_fee_yuan=policy.fee_for(days[0]),
        fee_cars=[car.plate for car in cars if car.pool is CarPool.TEST_DRIVE],
        damages=damages,
        cars=[
            CarUtilisation(
                car=car,
                booked_hours=sum(booked[car.id].values()),
                available_hours=available,
                hours_by_department=dict(booked[car.id]),
            )
            for car in cars
        ],
        loaner_requests=len(loaners),
        loaners_booked=sum(1 for status in loaners if status is LoanerStatus.BOOKED),
    )


def statement_csv(statement: Statement) -> str:
    """One line per item, amounts in whole yuan: what finance imports."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    month = statement.month.strftime("%Y-%m")
    writer.writerow(["month", "item", "car", "from", "to", "amount_yuan", "note"])
    for plate in statement.fee_cars:
        writer.writerow(
            [month, "usage_fee", plate, "service", "sales", statement.usage_fee_yuan, ""]
        )
    for line in statement.damages:
        writer.writerow(
            [
                month,
                "damage",
                line.car_plate,
                line.charged_to.value,
                line.payable_to.value,
                line.amount_yuan,
                line.note,
            ]
        )
    writer.writerow(
        [
            month,
            "net_service_to_sales",
            "",
            "service",
            "sales",
            statement.service_pays_sales_yuan,
            "",
        ]
    )
    return out.getvalue()
