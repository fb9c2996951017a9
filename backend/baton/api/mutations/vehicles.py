"""Vehicles (车辆) on the customer record."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id
from baton.api.mutation import run_mutation
from baton.api.types.relay import orm_root
from baton.api.types.vehicles import VehicleType
from baton.domain import vehicles


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


VehiclePayload = Annotated[VehicleSuccess | MutationError, strawberry.union("VehiclePayload")]


@strawberry.type
class VehicleMutations:
    @strawberry.mutation
    async def add_vehicle(self, info: Info, input: AddVehicleInput) -> VehiclePayload:
        return await run_mutation(
            info,
            input,
            lambda act: vehicles.add_vehicle(
                act.session,
                act.actor,
                expect_id(input.customer_id, "Customer", "input.customerId"),
                vin=input.vin,
                plate=input.plate,
                model_name=input.model_name,
                now=act.now,
            ),
            success=lambda v: VehicleSuccess(vehicle=orm_root(v)),
        )

    @strawberry.mutation
    async def update_vehicle(self, info: Info, input: UpdateVehicleInput) -> VehiclePayload:
        return await run_mutation(
            info,
            input,
            lambda act: vehicles.update_vehicle(
                act.session,
                act.actor,
                expect_id(input.id, "Vehicle", "input.id"),
                expected_version=input.version,
                vin=input.vin,
                plate=input.plate,
                model_name=input.model_name,
                now=act.now,
            ),
            success=lambda v: VehicleSuccess(vehicle=orm_root(v)),
        )
