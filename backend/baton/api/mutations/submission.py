"""Submitting an order (提交订单): the signed checklist is the gate."""

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import run_mutation
from baton.api.mutations.orders import OrderPayload, order_success
from baton.domain.journeys import submission


@strawberry.input
class SubmitOrderInput:
    order_id: strawberry.ID
    version: int
    delivery_specialist_id: strawberry.ID
    client_mutation_id: str | None = None


@strawberry.type
class SubmissionMutations:
    @strawberry.mutation
    async def submit_order(self, info: Info, input: SubmitOrderInput) -> OrderPayload:
        return await run_mutation(
            info,
            input,
            lambda act: submission.submit_order(
                act.session,
                act.actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                delivery_specialist_id=expect_id(
                    input.delivery_specialist_id, "User", "input.deliverySpecialistId"
                ),
                expected_version=input.version,
                now=act.now,
            ),
            success=order_success,
        )
