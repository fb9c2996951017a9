"""The car calendar's writes: book a car, preempt inside the priority window, cancel, loaner
requests; using a car (check-out, return with damage, wash and inspection); the store
manager's car policy; the private calendar address (issue a new one, revoke it)."""

from collections.abc import Awaitable
from datetime import date, datetime, time
from typing import cast
from weakref import WeakKeyDictionary

import strawberry

from baton.api.cars.types import (
    BookingDepartment,
    CalendarFeedType,
    CarBookingType,
    CarPolicyType,
    CarType,
    LoanerRequestType,
    policy_type,
)
from baton.api.context import Info
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.org import StoreType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.cars import feeds
from baton.domain.cars.policy import store_policy, update_policy
from baton.domain.errors import FieldProblem, ValidationFailed
from baton.domain.journeys.cars import booking, loaners, preemption, use

# Booking a car: book, preempt inside the priority window, cancel, loaner requests.


@strawberry.input
class BookCarInput:
    car_id: strawberry.ID
    starts_at: datetime
    ends_at: datetime
    department: BookingDepartment | None = None  # type: ignore[valid-type]
    customer_id: strawberry.ID | None = None
    purpose: str = ""
    client_mutation_id: str | None = None


@strawberry.input
class PreemptBookingInput:
    car_id: strawberry.ID
    starts_at: datetime
    ends_at: datetime
    reason: str
    department: BookingDepartment | None = None  # type: ignore[valid-type]
    customer_id: strawberry.ID | None = None
    purpose: str = ""
    client_mutation_id: str | None = None


@strawberry.input
class CancelCarBookingInput:
    booking_id: strawberry.ID
    client_mutation_id: str | None = None


@strawberry.input
class RequestLoanerInput:
    visit_id: strawberry.ID
    starts_at: datetime
    ends_at: datetime
    client_mutation_id: str | None = None


@strawberry.type
class CarBookingSuccess:
    booking: CarBookingType


@strawberry.type
class LoanerRequestSuccess:
    request: LoanerRequestType


@strawberry.type
class BookingMutations:
    @mutation(
        ability=Action.BOOK_CAR,
        success=CarBookingSuccess,
        description="Book a free car; under the store's advance notice it only takes a free car.",
    )
    async def book_car(input: BookCarInput, acting: Acting) -> models.CarBooking:
        return await booking.book_car(
            acting.session,
            acting.actor,
            expect_id(input.car_id, "Car", "input.carId"),
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            department=input.department,
            customer_id=optional_id(input.customer_id, "Customer", "input.customerId"),
            purpose=input.purpose,
            now=acting.now,
        )

    @mutation(
        ability=Action.BOOK_CAR,
        success=CarBookingSuccess,
        description="Inside its priority window, take a car the other department booked; the "
        "displaced booking moves to a free backup car or needs a car.",
    )
    async def preempt_booking(input: PreemptBookingInput, acting: Acting) -> models.CarBooking:
        return await preemption.preempt_booking(
            acting.session,
            acting.actor,
            expect_id(input.car_id, "Car", "input.carId"),
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            reason=input.reason,
            department=input.department,
            customer_id=optional_id(input.customer_id, "Customer", "input.customerId"),
            purpose=input.purpose,
            now=acting.now,
        )

    @mutation(ability=Action.CANCEL_BOOKING, success=CarBookingSuccess)
    async def cancel_car_booking(input: CancelCarBookingInput, acting: Acting) -> models.CarBooking:
        return await booking.cancel_booking(
            acting.session,
            acting.actor,
            expect_id(input.booking_id, "CarBooking", "input.bookingId"),
            now=acting.now,
        )

    @mutation(
        ability=Action.BOOK_CAR,
        success=LoanerRequestSuccess,
        description="A loaner for a service visit: booked on a free car, or recorded unmet.",
    )
    async def request_loaner(input: RequestLoanerInput, acting: Acting) -> models.LoanerRequest:
        return await loaners.request_loaner(
            acting.session,
            acting.actor,
            expect_id(input.visit_id, "ServiceVisit", "input.visitId"),
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            now=acting.now,
        )


# Using a car: check-out, return (with damage), wash and inspection.


@strawberry.input
class CheckOutCarInput:
    booking_id: strawberry.ID
    odometer_km: int
    charge_percent: int
    condition: str = ""
    photo_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    client_mutation_id: str | None = None


@strawberry.input
class ReturnCarInput:
    booking_id: strawberry.ID
    odometer_km: int
    charge_percent: int
    condition: str = ""
    photo_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    damage_yuan: int = 0
    damage_note: str = ""
    client_mutation_id: str | None = None


@strawberry.input
class RecordCarTurnaroundInput:
    car_id: strawberry.ID
    washed: bool = False
    inspected: bool = False
    client_mutation_id: str | None = None


@strawberry.type
class CarUseSuccess:
    booking: CarBookingType

    @strawberry.field
    async def car(self, info: Info) -> CarType:
        car_id = cast(models.CarBooking, self.booking).car_id
        return orm_root(await info.context.loaders.car.load(car_id))


@strawberry.type
class CarSuccess:
    car: CarType


def _photo_ids(values: list[strawberry.ID]) -> list[int]:
    return [expect_id(v, "Upload", f"input.photoIds.{n}") for n, v in enumerate(values)]


async def _booking_of(act: Acting, used: Awaitable[models.CarUse]) -> models.CarBooking:
    """The booking is the mutation's result (a node, so a replay finds it); its use hangs off."""
    found = await act.session.get(models.CarBooking, (await used).booking_id)
    assert found is not None
    return found


@strawberry.type
class CarUseMutations:
    @mutation(ability=Action.HAND_OVER_CAR, success=CarUseSuccess)
    async def check_out_car(input: CheckOutCarInput, acting: Acting) -> models.CarBooking:
        return await _booking_of(
            acting,
            use.check_out(
                acting.session,
                acting.actor,
                expect_id(input.booking_id, "CarBooking", "input.bookingId"),
                odometer_km=input.odometer_km,
                charge_percent=input.charge_percent,
                condition=input.condition,
                photo_ids=_photo_ids(input.photo_ids),
                now=acting.now,
            ),
        )

    @mutation(
        ability=Action.HAND_OVER_CAR,
        success=CarUseSuccess,
        description="The car goes to cleaning and inspection; damage is charged to the "
        "department that used it.",
    )
    async def return_car(input: ReturnCarInput, acting: Acting) -> models.CarBooking:
        return await _booking_of(
            acting,
            use.return_car(
                acting.session,
                acting.actor,
                expect_id(input.booking_id, "CarBooking", "input.bookingId"),
                odometer_km=input.odometer_km,
                charge_percent=input.charge_percent,
                condition=input.condition,
                photo_ids=_photo_ids(input.photo_ids),
                damage_yuan=input.damage_yuan,
                damage_note=input.damage_note,
                now=acting.now,
            ),
        )

    @mutation(
        ability=Action.TURN_CAR_AROUND,
        success=CarSuccess,
        description="Wash and/or inspection; with both the car is available.",
    )
    async def record_car_turnaround(input: RecordCarTurnaroundInput, acting: Acting) -> models.Car:
        return await use.record_turnaround(
            acting.session,
            acting.actor,
            expect_id(input.car_id, "Car", "input.carId"),
            washed=input.washed,
            inspected=input.inspected,
            now=acting.now,
        )


# The store manager sets the store's car policy.


@strawberry.input
class UpdateCarPolicyInput:
    store_id: strawberry.ID
    service_window_start: str = "08:00"
    service_window_end: str = "18:00"
    advance_days: int = 3
    turnaround_minutes: int = 60
    max_booking_hours: int = 72
    usage_fee_yuan: int = 1000
    holidays: list[date] = strawberry.field(default_factory=list)
    client_mutation_id: str | None = None


@strawberry.type
class CarPolicySuccess:
    changed: strawberry.Private[models.Store]

    @strawberry.field
    async def policy(self, info: Info) -> CarPolicyType:
        async with info.context.turn():
            return policy_type(await store_policy(info.context.session, self.changed.id))

    @strawberry.field
    def store(self) -> StoreType:
        return orm_root(self.changed)


def _time(value: str, path: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed([FieldProblem(path, "bad_time")]) from None


@strawberry.type
class CarPolicyMutations:
    @mutation(ability=Action.MANAGE_CARS, success=CarPolicySuccess)
    async def update_car_policy(input: UpdateCarPolicyInput, acting: Acting) -> models.Store:
        store_id = expect_id(input.store_id, "Store", "input.storeId")
        await update_policy(
            acting.session,
            acting.actor,
            store_id,
            service_window_start=_time(input.service_window_start, "input.serviceWindowStart"),
            service_window_end=_time(input.service_window_end, "input.serviceWindowEnd"),
            advance_days=input.advance_days,
            turnaround_minutes=input.turnaround_minutes,
            max_booking_hours=input.max_booking_hours,
            usage_fee_yuan=input.usage_fee_yuan,
            holidays=input.holidays,
            now=acting.now,
        )
        store = await acting.session.get(models.Store, store_id)
        assert store is not None
        return store


# The private calendar address: issue a new one (the old stops working), revoke it.


# The token of a feed just issued, until its address is shown (the database keeps only the
# token's hash). Keyed by the issuing request's own ORM object and taken when shown: a replay
# reads the feed again, without a token.
_TO_SHOW: WeakKeyDictionary[models.CalendarFeed, str] = WeakKeyDictionary()


@strawberry.input
class CalendarFeedInput:
    client_mutation_id: str | None = None


@strawberry.type
class CalendarFeedSuccess:
    feed: CalendarFeedType

    @strawberry.field(
        description="The private address (a path on this server), shown once: a replay of "
        "the same clientMutationId answers null."
    )
    def url(self) -> str | None:
        token = _TO_SHOW.pop(cast(models.CalendarFeed, self.feed), None)
        return None if token is None else f"/calendar/{token}.ics"


# Each acts on the caller's own address: no Action.
@strawberry.type
class CalendarFeedMutations:
    @mutation(ability=None, success=CalendarFeedSuccess)
    async def issue_calendar_feed(input: CalendarFeedInput, acting: Acting) -> models.CalendarFeed:
        feed, token = await feeds.issue_feed(acting.session, acting.actor, now=acting.now)
        _TO_SHOW[feed] = token
        return feed

    @mutation(ability=None, success=CalendarFeedSuccess)
    async def revoke_calendar_feed(input: CalendarFeedInput, acting: Acting) -> models.CalendarFeed:
        return await feeds.revoke_feed(acting.session, acting.actor, now=acting.now)
