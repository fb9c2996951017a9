"""The shared car calendar: cars, bookings, their uses, loaner requests, the week view."""

from datetime import UTC, date, datetime, time
from typing import Any

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.abilities import Ability
from baton.api.types.customers import CustomerType
from baton.api.types.org import StoreType, UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.access import Subject
from baton.domain.cars.bookings import CarDay, CarWeek, booking_subject
from baton.domain.cars.policy import Policy
from baton.domain.cars.settlement import Statement, statement_csv
from baton.ids import global_id

CarPool = strawberry.enum(models.CarPool)
CarStatus = strawberry.enum(models.CarStatus)
BookingDepartment = strawberry.enum(models.BookingDepartment)
BookingStatus = strawberry.enum(models.BookingStatus)
LoanerStatus = strawberry.enum(models.LoanerStatus)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


@strawberry.type(name="Car")
class CarType(Node):
    plate: str
    vin: str
    model: str
    pool: CarPool  # type: ignore[valid-type]
    status: CarStatus  # type: ignore[valid-type]
    odometer_km: int
    charge_percent: int
    version: int

    @strawberry.field(description="What the viewer may do with this car.")
    @staticmethod
    async def viewer_can(root: Parent[models.Car], info: Info) -> list[Ability]:  # type: ignore[valid-type]
        return await info.context.facts.viewer_can("Car", Subject(store_id=root.store_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Car)


@strawberry.type(description="What happened to a booking; the PWA words it from `kind`.")
class BookingNote:
    kind: str
    at: datetime
    reason: str
    from_plate: str | None
    to_plate: str | None


@strawberry.type(name="CarUse")
class CarUseType:
    checked_out_at: datetime
    odometer_out_km: int
    charge_out_percent: int
    condition_out: str
    returned_at: datetime | None
    odometer_in_km: int | None
    charge_in_percent: int | None
    condition_in: str
    damage_yuan: int
    damage_note: str
    department: BookingDepartment  # type: ignore[valid-type]
    washed_at: datetime | None
    inspected_at: datetime | None

    @strawberry.field(description="Upload IDs of the photos at check-out (GET /uploads/<id>).")
    @staticmethod
    def photos_out(root: Parent[models.CarUse]) -> list[strawberry.ID]:
        return [strawberry.ID(global_id("Upload", n)) for n in root.photos_out]

    @strawberry.field(description="Upload IDs of the photos at return.")
    @staticmethod
    def photos_in(root: Parent[models.CarUse]) -> list[strawberry.ID]:
        return [strawberry.ID(global_id("Upload", n)) for n in root.photos_in]


@strawberry.type(name="CarBooking")
class CarBookingType(Node):
    department: BookingDepartment  # type: ignore[valid-type]
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime = strawberry.field(
        description="The end plus the turnaround buffer for wash and inspection."
    )
    short_notice: bool
    status: BookingStatus  # type: ignore[valid-type]
    purpose: str
    version: int

    @strawberry.field
    @staticmethod
    async def car(root: Parent[models.CarBooking], info: Info) -> CarType:
        return orm_root(await info.context.loaders.car.load(root.car_id))

    @strawberry.field
    @staticmethod
    async def booked_by(root: Parent[models.CarBooking], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.booked_by_id))

    @strawberry.field
    @staticmethod
    async def customer(root: Parent[models.CarBooking], info: Info) -> CustomerType | None:
        if root.customer_id is None:
            return None
        return orm_root(await info.context.loaders.customer.load(root.customer_id))

    @strawberry.field
    @staticmethod
    async def use(root: Parent[models.CarBooking], info: Info) -> CarUseType | None:
        found = await info.context.loaders.use_of_booking.load(root.id)
        return orm_root(found[0]) if found else None

    @strawberry.field
    @staticmethod
    def notes(root: Parent[models.CarBooking]) -> list[BookingNote]:
        return [_note(note) for note in root.notes]

    @strawberry.field(description="What the viewer may do with this booking.")
    @staticmethod
    async def viewer_can(root: Parent[models.CarBooking], info: Info) -> list[Ability]:  # type: ignore[valid-type]
        policy = await info.context.facts.car_policy(root.store_id)
        return await info.context.facts.viewer_can("CarBooking", booking_subject(root, policy))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.CarBooking)


def _note(note: dict[str, Any]) -> BookingNote:
    params = note.get("params", {})
    return BookingNote(
        kind=note["kind"],
        at=datetime.fromisoformat(note["at"]),
        reason=params.get("reason", ""),
        from_plate=params.get("from"),
        to_plate=params.get("to"),
    )


@strawberry.type(name="LoanerRequest")
class LoanerRequestType(Node):
    starts_at: datetime
    ends_at: datetime
    status: LoanerStatus  # type: ignore[valid-type]
    unmet_reason: str

    @strawberry.field
    @staticmethod
    async def booking(root: Parent[models.LoanerRequest], info: Info) -> CarBookingType | None:
        if root.booking_id is None:
            return None
        return orm_root(await info.context.session.get(models.CarBooking, root.booking_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.LoanerRequest)


@strawberry.type(name="CarPolicy")
class CarPolicyType:
    service_window_start: str
    service_window_end: str
    opening_start: str
    opening_end: str
    advance_days: int
    turnaround_minutes: int
    max_booking_hours: int
    usage_fee_yuan: int
    holidays: list[date]
    time_zone: str


def policy_type(policy: Policy) -> CarPolicyType:
    return CarPolicyType(
        service_window_start=_hhmm(policy.service_window_start),
        service_window_end=_hhmm(policy.service_window_end),
        opening_start=_hhmm(policy.opening_start),
        opening_end=_hhmm(policy.opening_end),
        advance_days=policy.advance_days,
        turnaround_minutes=policy.turnaround_minutes,
        max_booking_hours=policy.max_booking_hours,
        usage_fee_yuan=policy.usage_fee_yuan,
        holidays=sorted(policy.holidays),
        time_zone=policy.time_zone,
    )


@strawberry.type
class PriorityWindow:
    starts_at: datetime
    ends_at: datetime


@strawberry.type(name="CarDay")
class CarDayType:
    date: date
    is_holiday: bool
    service_window: PriorityWindow | None = strawberry.field(
        description="Service has priority inside it; outside it (and all day when null) sales."
    )


def _day(day: CarDay) -> CarDayType:
    window = day.service_window
    return CarDayType(
        date=day.day,
        is_holiday=day.is_holiday,
        service_window=(
            PriorityWindow(starts_at=window[0].astimezone(UTC), ends_at=window[1].astimezone(UTC))
            if window
            else None
        ),
    )


@strawberry.type(name="CarWeek")
class CarWeekType:
    days: list[CarDayType]
    cars: list[CarType]
    bookings: list[CarBookingType]
    policy: CarPolicyType
    store_id: strawberry.Private[int]

    @strawberry.field
    async def store(self, info: Info) -> StoreType:
        return orm_root(await info.context.loaders.store.load(self.store_id))


def week_type(week: CarWeek) -> CarWeekType:
    return CarWeekType(
        days=[_day(day) for day in week.days],
        cars=orm_root(list(week.cars)),
        bookings=orm_root(list(week.bookings)),
        policy=policy_type(week.policy),
        store_id=week.store_id,
    )


@strawberry.type
class CarDamage:
    car_plate: str
    returned_at: datetime
    charged_to: BookingDepartment  # type: ignore[valid-type]
    payable_to: BookingDepartment  # type: ignore[valid-type]
    amount_yuan: int
    note: str


@strawberry.type(name="CarUtilisation")
class CarUtilisationType:
    car: CarType
    booked_hours: float
    available_hours: float
    rate: float


@strawberry.type(
    name="CarSettlement",
    description="A past month's statement: the usage fee per test-drive car from service to "
    "sales, damage charged to the department that used a car, utilisation, loaners met.",
)
class CarSettlementType:
    month: date
    usage_fee_yuan: int
    usage_total_yuan: int
    fee_cars: list[str]
    damages: list[CarDamage]
    service_pays_sales_yuan: int
    utilisation: float
    sales_utilisation: float
    service_utilisation: float
    cars: list[CarUtilisationType]
    loaner_requests: int
    loaners_booked: int
    loaner_fulfilment: float | None
    csv: str = strawberry.field(description="The statement as CSV (UTF-8, CRLF lines).")


def settlement_type(statement: Statement) -> CarSettlementType:
    return CarSettlementType(
        month=statement.month,
        usage_fee_yuan=statement.usage_fee_yuan,
        usage_total_yuan=statement.usage_total_yuan,
        fee_cars=statement.fee_cars,
        damages=[
            CarDamage(
                car_plate=d.car_plate,
                returned_at=d.returned_at,
                charged_to=d.charged_to,
                payable_to=d.payable_to,
                amount_yuan=d.amount_yuan,
                note=d.note,
            )
            for d in statement.damages
        ],
        service_pays_sales_yuan=statement.service_pays_sales_yuan,
        utilisation=statement.utilisation,
        sales_utilisation=statement.department_utilisation(models.BookingDepartment.SALES),
        service_utilisation=statement.department_utilisation(models.BookingDepartment.SERVICE),
        cars=[
            CarUtilisationType(
                car=orm_root(c.car),
                booked_hours=c.booked_hours,
                available_hours=c.available_hours,
                rate=c.rate,
            )
            for c in statement.cars
        ],
        loaner_requests=statement.loaner_requests,
        loaners_booked=statement.loaners_booked,
        loaner_fulfilment=statement.loaner_fulfilment,
        csv=statement_csv(statement),
    )


@strawberry.type(name="CalendarFeed")
class CalendarFeedType(Node):
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.CalendarFeed)
