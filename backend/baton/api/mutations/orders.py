"""Orders (订单): create one."""

from datetime import date

import strawberry

from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.orders import OrderType
from baton.db import models
from baton.domain import orders
from baton.domain.access import Action


@strawberry.input
class CreateOrderInput:
    customer_id: strawberry.ID
    model_name: str
    planned_delivery_date: date | None = None
    vehicle_id: strawberry.ID | None = None
    client_mutation_id: str | None = None


@strawberry.type
class OrderSuccess:
    order: OrderType


@strawberry.type
class OrderMutations:
    @mutation(ability=Action.MANAGE_ORDER, success=OrderSuccess)
    async def create_order(input: CreateOrderInput, acting: Acting) -> models.Order:
        return await orders.create_order(
            acting.session,
            acting.actor,
            expect_id(input.customer_id, "Customer", "input.customerId"),
            model_name=input.model_name,
            planned_delivery_date=input.planned_delivery_date,
            vehicle_id=optional_id(input.vehicle_id, "Vehicle", "input.vehicleId"),
            now=acting.now,
        )
