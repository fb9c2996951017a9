"""Create and edit the shared customer record, its vehicles and special circumstances."""

from datetime import date, datetime
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.customers import (
    CircumstanceKind,
    CustomerTag,
    CustomerType,
    SpecialCircumstanceType,
)
from baton.api.types.relay import orm_root
from baton.api.types.vehicles import VehicleType
from baton.db import models
from baton.domain import customers, vehicles
from baton.domain.access import Actor
from baton.domain.localtime import local_date


@strawberry.input
class CreateCustomerInput:
    name: str
    phone: str
    address: str | None = None
    tags: list[CustomerTag] | None = None  # type: ignore[valid-type]
    store_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the caller's store."
    )
    client_mutation_id: str | None = None


@strawberry.input
class UpdateCustomerInput:
    id: strawberry.ID
    version: int
    name: str | None = None
    phone: str | None = None
    address: str | None = strawberry.field(default=None, description="Empty string clears it.")
    tags: list[CustomerTag] | None = None  # type: ignore[valid-type]
    client_mutation_id: str | None = None


@strawberry.type
class CustomerSuccess:
    customer: CustomerType


CustomerPayload = Annotated[CustomerSuccess | MutationError, strawberry.union("CustomerPayload")]


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


@strawberry.input
class RecordSpecialCircumstanceInput:
    customer_id: strawberry.ID
    kind: CircumstanceKind  # type: ignore[valid-type]
    note: str = ""
    starts_on: date | None = strawberry.field(default=None, description="Defaults to today.")
    ends_on: date | None = None
    client_mutation_id: str | None = None


@strawberry.type
class SpecialCircumstanceSuccess:
    special_circumstance: SpecialCircumstanceType

    @strawberry.field(description="The customer, whose priority may have changed.")
    async def customer(self, info: Info) -> CustomerType:
        customer_id = self.special_circumstance.customer_id  # type: ignore[attr-defined]
        return orm_root(await info.context.loaders.customer.load(customer_id))


SpecialCircumstancePayload = Annotated[
    SpecialCircumstanceSuccess | MutationError, strawberry.union("SpecialCircumstancePayload")
]


def _tags(values: list[models.CustomerTag] | None) -> list[str] | None:
    return None if values is None else [tag.value for tag in values]


@strawberry.type
class CustomerMutations:
    @strawberry.mutation
    async def create_customer(self, info: Info, input: CreateCustomerInput) -> CustomerPayload:
        async def apply(actor: Actor, now: datetime) -> models.Customer:
            store_id = optional_id(input.store_id, "Store", "input.storeId") or actor.user.store_id
            fields = customers.CustomerFields(
                name=input.name, phone=input.phone, address=input.address, tags=_tags(input.tags)
            )
            return await customers.create_customer(
                info.context.session,
                actor,
                fields,
                store_id=store_id or 0,
                now=now,
                phone_region=info.context.settings.default_phone_region,
            )

        return await run_mutation(
            info,
            operation="createCustomer",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda c: CustomerSuccess(customer=orm_root(c)),
        )

    @strawberry.mutation
    async def update_customer(self, info: Info, input: UpdateCustomerInput) -> CustomerPayload:
        async def apply(actor: Actor, now: datetime) -> models.Customer:
            fields = customers.CustomerFields(
                name=input.name, phone=input.phone, address=input.address, tags=_tags(input.tags)
            )
            return await customers.update_customer(
                info.context.session,
                actor,
                expect_id(input.id, "Customer", "input.id"),
                fields,
                expected_version=input.version,
                now=now,
                phone_region=info.context.settings.default_phone_region,
            )

        return await run_mutation(
            info,
            operation="updateCustomer",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda c: CustomerSuccess(customer=orm_root(c)),
        )

    @strawberry.mutation
    async def add_vehicle(self, info: Info, input: AddVehicleInput) -> VehiclePayload:
        async def apply(actor: Actor, now: datetime) -> models.Vehicle:
            return await vehicles.add_vehicle(
                info.context.session,
                actor,
                expect_id(input.customer_id, "Customer", "input.customerId"),
                vin=input.vin,
                plate=input.plate,
                model_name=input.model_name,
                now=now,
            )

        return await run_mutation(
            info,
            operation="addVehicle",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda v: VehicleSuccess(vehicle=orm_root(v)),
        )

    @strawberry.mutation
    async def update_vehicle(self, info: Info, input: UpdateVehicleInput) -> VehiclePayload:
        async def apply(actor: Actor, now: datetime) -> models.Vehicle:
            return await vehicles.update_vehicle(
                info.context.session,
                actor,
                expect_id(input.id, "Vehicle", "input.id"),
                expected_version=input.version,
                vin=input.vin,
                plate=input.plate,
                model_name=input.model_name,
                now=now,
            )

        return await run_mutation(
            info,
            operation="updateVehicle",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda v: VehicleSuccess(vehicle=orm_root(v)),
        )

    @strawberry.mutation(description="Makes the customer high priority while it is active.")
    async def record_special_circumstance(
        self, info: Info, input: RecordSpecialCircumstanceInput
    ) -> SpecialCircumstancePayload:
        session = info.context.session

        async def apply(actor: Actor, now: datetime) -> models.SpecialCircumstance:
            customer_id = expect_id(input.customer_id, "Customer", "input.customerId")
            customer = await customers.get_customer(
                session, actor, customer_id, path="input.customerId"
            )
            store = await info.context.loaders.store.load(customer.store_id)
            assert store is not None
            today = local_date(now, store.time_zone)
            return await customers.record_special_circumstance(
                session,
                actor,
                customer_id,
                kind=input.kind,
                note=input.note,
                starts_on=input.starts_on or today,
                ends_on=input.ends_on,
                now=now,
            )

        return await run_mutation(
            info,
            operation="recordSpecialCircumstance",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda sc: SpecialCircumstanceSuccess(special_circumstance=orm_root(sc)),
        )
