"""One customer, one record (一个客户，一条记录): create, edit, special circumstances."""

from datetime import date
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
from baton.db import models
from baton.domain import customers


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
        fields = customers.CustomerFields(
            name=input.name, phone=input.phone, address=input.address, tags=_tags(input.tags)
        )
        return await run_mutation(
            info,
            input,
            lambda act: customers.create_customer(
                act.session,
                act.actor,
                fields,
                store_id=optional_id(input.store_id, "Store", "input.storeId"),
                now=act.now,
                phone_region=info.context.settings.default_phone_region,
            ),
            success=lambda c: CustomerSuccess(customer=orm_root(c)),
        )

    @strawberry.mutation
    async def update_customer(self, info: Info, input: UpdateCustomerInput) -> CustomerPayload:
        fields = customers.CustomerFields(
            name=input.name, phone=input.phone, address=input.address, tags=_tags(input.tags)
        )
        return await run_mutation(
            info,
            input,
            lambda act: customers.update_customer(
                act.session,
                act.actor,
                expect_id(input.id, "Customer", "input.id"),
                fields,
                expected_version=input.version,
                now=act.now,
                phone_region=info.context.settings.default_phone_region,
            ),
            success=lambda c: CustomerSuccess(customer=orm_root(c)),
        )

    @strawberry.mutation(description="Makes the customer high priority while it is active.")
    async def record_special_circumstance(
        self, info: Info, input: RecordSpecialCircumstanceInput
    ) -> SpecialCircumstancePayload:
        return await run_mutation(
            info,
            input,
            lambda act: customers.record_special_circumstance(
                act.session,
                act.actor,
                expect_id(input.customer_id, "Customer", "input.customerId"),
                kind=input.kind,
                note=input.note,
                starts_on=input.starts_on,
                ends_on=input.ends_on,
                now=act.now,
            ),
            success=lambda sc: SpecialCircumstanceSuccess(special_circumstance=orm_root(sc)),
        )
