"""The handover (交车) and the briefs passed between departments."""

from datetime import date
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.handover import BriefKind, HandoverBriefType
from baton.api.types.orders import OrderType
from baton.api.types.relay import orm_root
from baton.domain.journeys import handover


@strawberry.input
class CompleteHandoverInput:
    order_id: strawberry.ID
    version: int
    customer_issues: str = strawberry.field(
        default="", description="What the customer raised at handover, passed to service."
    )
    service_advisor_id: strawberry.ID | None = None
    first_service_on: date | None = None
    client_mutation_id: str | None = None


@strawberry.type
class CompleteHandoverSuccess:
    order: OrderType


CompleteHandoverPayload = Annotated[
    CompleteHandoverSuccess | MutationError, strawberry.union("CompleteHandoverPayload")
]


@strawberry.input
class WriteBriefInput:
    order_id: strawberry.ID
    kind: BriefKind  # type: ignore[valid-type]
    personality: str = ""
    special_needs: str = ""
    concerns: str = ""
    issues: str = ""
    client_mutation_id: str | None = None


@strawberry.type
class WriteBriefSuccess:
    brief: HandoverBriefType


WriteBriefPayload = Annotated[
    WriteBriefSuccess | MutationError, strawberry.union("WriteBriefPayload")
]


@strawberry.type
class HandoverMutations:
    @strawberry.mutation(description="Refused, naming each open promise, while one is open.")
    async def complete_handover(
        self, info: Info, input: CompleteHandoverInput
    ) -> CompleteHandoverPayload:
        return await run_mutation(
            info,
            input,
            lambda act: handover.complete_handover(
                act.session,
                act.actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                expected_version=input.version,
                customer_issues=input.customer_issues,
                advisor_id=optional_id(input.service_advisor_id, "User", "input.serviceAdvisorId"),
                first_service_on=input.first_service_on,
                now=act.now,
            ),
            success=lambda order: CompleteHandoverSuccess(order=orm_root(order)),
        )

    @strawberry.mutation
    async def write_brief(self, info: Info, input: WriteBriefInput) -> WriteBriefPayload:
        return await run_mutation(
            info,
            input,
            lambda act: handover.write_brief(
                act.session,
                act.actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                input.kind,
                handover.BriefFields(
                    personality=input.personality,
                    special_needs=input.special_needs,
                    concerns=input.concerns,
                    issues=input.issues,
                ),
                now=act.now,
            ),
            success=lambda brief: WriteBriefSuccess(brief=orm_root(brief)),
        )
