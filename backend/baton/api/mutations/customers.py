"""One customer, one record (一个客户，一条记录): create, edit, special circumstances."""

from datetime import date

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.customers import (
    CircumstanceKind,
    CustomerTag,
    CustomerType,
    SpecialCircumstanceType,
)
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain import customers
from baton.domain.access import Action


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


def _tags(values: list[models.CustomerTag] | None) -> list[str] | None:
    return None if values is None else [tag.value for tag in values]


def _fields(input: CreateCustomerInput | UpdateCustomerInput) -> customers.CustomerFields:
    return customers.CustomerFields(
        name=input.name, phone=input.phone, address=input.address, tags=_tags(input.tags)
    )


@strawberry.type
class CustomerMutations:
    @mutation(ability=Action.EDIT_CUSTOMER, success=CustomerSuccess)
    async def create_customer(input: CreateCustomerInput, acting: Acting) -> models.Customer:
        return await customers.create_customer(
            acting.session,
            acting.actor,
            _fields(input),
            store_id=optional_id(input.store_id, "Store", "input.storeId"),
            now=acting.now,
            phone_region=acting.context.settings.default_phone_region,
        )

    @mutation(ability=Action.EDIT_CUSTOMER, success=CustomerSuccess)
    async def update_customer(input: UpdateCustomerInput, acting: Acting) -> models.Customer:
        return await customers.update_customer(
            acting.session,
            acting.actor,
            expect_id(input.id, "Customer", "input.id"),
            _fields(input),
            expected_version=input.version,
            now=acting.now,
            phone_region=acting.context.settings.default_phone_region,
        )

    @mutation(
        ability=Action.RECORD_CIRCUMSTANCE,
        success=SpecialCircumstanceSuccess,
        description="Makes the customer high priority while it is active.",
    )
    async def record_special_circumstance(
        input: RecordSpecialCircumstanceInput, acting: Acting
    ) -> models.SpecialCircumstance:
        return await customers.record_special_circumstance(
            acting.session,
            acting.actor,
            expect_id(input.customer_id, "Customer", "input.customerId"),
            kind=input.kind,
            note=input.note,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            now=acting.now,
        )
