"""Vehicles (车辆) on the customer record."""

import strawberry

from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.vehicles import VehicleType
from baton.db import models
from baton.domain import vehicles
from baton.domain.access import Action


@strawberry.input
class AddVehicleInput:
    customer_id: strawberry.ID
    vin: str
    model_name: str
    plate: str | None = None
    client_mutation_id: str | None = None


@strawberry.input
class UpdateVehicleInput:
    id: strawberry.ID
    version: int
    vin: str | None = None
    model_name: str | None = None
    plate: str | None = strawberry.field(default=None, description="Empty string clears it.")
    client_mutation_id: str | None = None


@strawberry.type
class VehicleSuccess:
    vehicle: VehicleType


@strawberry.type
class VehicleMutations:
    @mutation(ability=Action.EDIT_VEHICLE, success=VehicleSuccess)
    async def add_vehicle(input: AddVehicleInput, acting: Acting) -> models.Vehicle:
        return await vehicles.add_vehicle(
            acting.session,
            acting.actor,
            expect_id(input.customer_id, "Customer", "input.customerId"),
            vin=input.vin,
            plate=input.plate,
            model_name=input.model_name,
            now=acting.now,
        )

    @mutation(ability=Action.EDIT_VEHICLE, success=VehicleSuccess)
    async def update_vehicle(input: UpdateVehicleInput, acting: Acting) -> models.Vehicle:
        return await vehicles.update_vehicle(
            acting.session,
            acting.actor,
            expect_id(input.id, "Vehicle", "input.id"),
            expected_version=input.version,
            vin=input.vin,
            plate=input.plate,
            model_name=input.model_name,
            now=acting.now,
        )
