"""Orders (订单): create one."""

from datetime import date
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.orders import OrderType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain import orders


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


OrderPayload = Annotated[OrderSuccess | MutationError, strawberry.union("OrderPayload")]


def order_success(order: models.Order) -> OrderSuccess:
    return OrderSuccess(order=orm_root(order))


@strawberry.type
class OrderMutations:
    @strawberry.mutation
    async def create_order(self, info: Info, input: CreateOrderInput) -> OrderPayload:
        return await run_mutation(
            info,
            input,
            lambda act: orders.create_order(
                act.session,
                act.actor,
                expect_id(input.customer_id, "Customer", "input.customerId"),
                model_name=input.model_name,
                planned_delivery_date=input.planned_delivery_date,
                vehicle_id=optional_id(input.vehicle_id, "Vehicle", "input.vehicleId"),
                now=act.now,
            ),
            success=order_success,
        )
