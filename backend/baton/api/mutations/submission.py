"""Submitting an order (提交订单): the signed checklist is the gate."""

import strawberry

from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.mutations.orders import OrderSuccess
from baton.db import models
from baton.domain.access import Action
from baton.domain.journeys import submission


@strawberry.input
class SubmitOrderInput:
    order_id: strawberry.ID
    version: int
    delivery_specialist_id: strawberry.ID
    client_mutation_id: str | None = None


@strawberry.type
class SubmissionMutations:
    @mutation(ability=Action.MANAGE_ORDER, success=OrderSuccess)
    async def submit_order(input: SubmitOrderInput, acting: Acting) -> models.Order:
        return await submission.submit_order(
            acting.session,
            acting.actor,
            expect_id(input.order_id, "Order", "input.orderId"),
            delivery_specialist_id=expect_id(
                input.delivery_specialist_id, "User", "input.deliverySpecialistId"
            ),
            expected_version=input.version,
            now=acting.now,
        )
