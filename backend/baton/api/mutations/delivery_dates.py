"""Changing the delivery date (改期) and the store manager's decision."""

from datetime import date
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id
from baton.api.mutation import run_mutation
from baton.api.types.delivery_dates import DeliveryDateChangeType
from baton.api.types.orders import OrderType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.journeys import delivery_dates


@strawberry.input
class RescheduleDeliveryInput:
    order_id: strawberry.ID
    version: int
    new_date: date
    customer_told: bool
    customer_told_how: str = ""
    reason: str = ""
    client_mutation_id: str | None = None


@strawberry.input
class DecideDeliveryDateChangeInput:
    id: strawberry.ID
    version: int
    approve: bool
    note: str = strawberry.field(default="", description="Required to reject.")
    client_mutation_id: str | None = None


@strawberry.type
class DeliveryDateChangeSuccess:
    change: DeliveryDateChangeType

    @strawberry.field
    async def order(self, info: Info) -> OrderType:
        order_id = self.change.order_id  # type: ignore[attr-defined]
        return orm_root(await info.context.loaders.order.load(order_id))


DeliveryDateChangePayload = Annotated[
    DeliveryDateChangeSuccess | MutationError, strawberry.union("DeliveryDateChangePayload")
]


def _change_success(change: models.DeliveryDateChange) -> DeliveryDateChangeSuccess:
    return DeliveryDateChangeSuccess(change=orm_root(change))


@strawberry.type
class DeliveryDateMutations:
    @strawberry.mutation(
        description="Applies at once, or waits for a store manager when the customer has an "
        "active special circumstance."
    )
    async def reschedule_delivery(
        self, info: Info, input: RescheduleDeliveryInput
    ) -> DeliveryDateChangePayload:
        return await run_mutation(
            info,
            input,
            lambda act: delivery_dates.reschedule_delivery(
                act.session,
                act.actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                new_date=input.new_date,
                customer_told=input.customer_told,
                customer_told_how=input.customer_told_how,
                reason=input.reason,
                expected_version=input.version,
                now=act.now,
            ),
            success=_change_success,
        )

    @strawberry.mutation
    async def decide_delivery_date_change(
        self, info: Info, input: DecideDeliveryDateChangeInput
    ) -> DeliveryDateChangePayload:
        return await run_mutation(
            info,
            input,
            lambda act: delivery_dates.decide_date_change(
                act.session,
                act.actor,
                expect_id(input.id, "DeliveryDateChange", "input.id"),
                approve=input.approve,
                note=input.note,
                expected_version=input.version,
                now=act.now,
            ),
            success=_change_success,
        )
