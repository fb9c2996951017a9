"""The car calendar: book a car, preempt inside the priority window, cancel, loaner requests."""

from datetime import datetime

import strawberry

from baton.api.cars.types import BookingDepartment, CarBookingType, LoanerRequestType
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.db import models
from baton.domain.access import Action
from baton.domain.journeys.cars import booking


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
        return await booking.preempt_booking(
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
        return await booking.request_loaner(
            acting.session,
            acting.actor,
            expect_id(input.visit_id, "ServiceVisit", "input.visitId"),
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            now=acting.now,
        )
