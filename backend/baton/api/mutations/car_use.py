"""Using a car: check-out, return (with damage), wash and inspection."""

from collections.abc import Awaitable
from typing import cast

import strawberry

from baton.api.cars.types import CarBookingType, CarType
from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.journeys.cars import use as car_use


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


async def _booking_of(act: Acting, use: Awaitable[models.CarUse]) -> models.CarBooking:
    """The booking is the mutation's result (a node, so a replay finds it); its use hangs off."""
    found = await act.session.get(models.CarBooking, (await use).booking_id)
    assert found is not None
    return found


@strawberry.type
class CarUseMutations:
    @mutation(ability=Action.HAND_OVER_CAR, success=CarUseSuccess)
    async def check_out_car(input: CheckOutCarInput, acting: Acting) -> models.CarBooking:
        return await _booking_of(
            acting,
            car_use.check_out(
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
            car_use.return_car(
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
        return await car_use.record_turnaround(
            acting.session,
            acting.actor,
            expect_id(input.car_id, "Car", "input.carId"),
            washed=input.washed,
            inspected=input.inspected,
            now=acting.now,
        )
