"""Changing the delivery date (改期) and the store manager's decision."""

from datetime import date

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.delivery_dates import DeliveryDateChangeType
from baton.api.types.orders import OrderType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
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


@strawberry.type
class DeliveryDateMutations:
    @mutation(
        ability=Action.RESCHEDULE_DELIVERY,
        success=DeliveryDateChangeSuccess,
        description="Applies at once, or waits for a store manager when the customer has an "
        "active special circumstance.",
    )
    async def reschedule_delivery(
        input: RescheduleDeliveryInput, acting: Acting
    ) -> models.DeliveryDateChange:
        return await delivery_dates.reschedule_delivery(
            acting.session,
            acting.actor,
            expect_id(input.order_id, "Order", "input.orderId"),
            new_date=input.new_date,
            customer_told=input.customer_told,
            customer_told_how=input.customer_told_how,
            reason=input.reason,
            expected_version=input.version,
            now=acting.now,
        )

    @mutation(ability=Action.APPROVE_DATE_CHANGE, success=DeliveryDateChangeSuccess)
    async def decide_delivery_date_change(
        input: DecideDeliveryDateChangeInput, acting: Acting
    ) -> models.DeliveryDateChange:
        return await delivery_dates.decide_date_change(
            acting.session,
            acting.actor,
            expect_id(input.id, "DeliveryDateChange", "input.id"),
            approve=input.approve,
            note=input.note,
            expected_version=input.version,
            now=acting.now,
        )
