"""The car calendar: book a car, preempt inside the priority window, cancel, loaner requests."""

from datetime import datetime
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.cars import BookingDepartment, CarBookingType, LoanerRequestType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.journeys import booking


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


CarBookingPayload = Annotated[
    CarBookingSuccess | MutationError, strawberry.union("CarBookingPayload")
]
LoanerRequestPayload = Annotated[
    LoanerRequestSuccess | MutationError, strawberry.union("LoanerRequestPayload")
]


def _booked(found: models.CarBooking) -> CarBookingSuccess:
    return CarBookingSuccess(booking=orm_root(found))


@strawberry.type
class BookingMutations:
    @strawberry.mutation(
        description="Book a free car; under the store's advance notice it only takes a free car."
    )
    async def book_car(self, info: Info, input: BookCarInput) -> CarBookingPayload:
        return await run_mutation(
            info,
            input,
            lambda act: booking.book_car(
                act.session,
                act.actor,
                expect_id(input.car_id, "Car", "input.carId"),
                starts_at=input.starts_at,
                ends_at=input.ends_at,
                department=input.department,
                customer_id=optional_id(input.customer_id, "Customer", "input.customerId"),
                purpose=input.purpose,
                now=act.now,
            ),
            success=_booked,
        )

    @strawberry.mutation(
        description="Inside its priority window, take a car the other department booked; the "
        "displaced booking moves to a free backup car or needs a car."
    )
    async def preempt_booking(self, info: Info, input: PreemptBookingInput) -> CarBookingPayload:
        return await run_mutation(
            info,
            input,
            lambda act: booking.preempt_booking(
                act.session,
                act.actor,
                expect_id(input.car_id, "Car", "input.carId"),
                starts_at=input.starts_at,
                ends_at=input.ends_at,
                reason=input.reason,
                department=input.department,
                customer_id=optional_id(input.customer_id, "Customer", "input.customerId"),
                purpose=input.purpose,
                now=act.now,
            ),
            success=_booked,
        )

    @strawberry.mutation
    async def cancel_car_booking(
        self, info: Info, input: CancelCarBookingInput
    ) -> CarBookingPayload:
        return await run_mutation(
            info,
            input,
            lambda act: booking.cancel_booking(
                act.session,
                act.actor,
                expect_id(input.booking_id, "CarBooking", "input.bookingId"),
                now=act.now,
            ),
            success=_booked,
        )

    @strawberry.mutation(
        description="A loaner for a service visit: booked on a free car, or recorded unmet."
    )
    async def request_loaner(self, info: Info, input: RequestLoanerInput) -> LoanerRequestPayload:
        return await run_mutation(
            info,
            input,
            lambda act: booking.request_loaner(
                act.session,
                act.actor,
                expect_id(input.visit_id, "ServiceVisit", "input.visitId"),
                starts_at=input.starts_at,
                ends_at=input.ends_at,
                now=act.now,
            ),
            success=lambda found: LoanerRequestSuccess(request=orm_root(found)),
        )
