"""The handover (交车) and the briefs passed between departments."""

from datetime import date

import strawberry

from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.handover import BriefKind, HandoverBriefType
from baton.api.types.orders import OrderType
from baton.db import models
from baton.domain.access import Action
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


@strawberry.type
class HandoverMutations:
    @mutation(
        ability=Action.COMPLETE_HANDOVER,
        success=CompleteHandoverSuccess,
        description="Refused, naming each open promise, while one is open.",
    )
    async def complete_handover(input: CompleteHandoverInput, acting: Acting) -> models.Order:
        return await handover.complete_handover(
            acting.session,
            acting.actor,
            expect_id(input.order_id, "Order", "input.orderId"),
            expected_version=input.version,
            customer_issues=input.customer_issues,
            advisor_id=optional_id(input.service_advisor_id, "User", "input.serviceAdvisorId"),
            first_service_on=input.first_service_on,
            now=acting.now,
        )

    # Who writes a brief depends on its kind: WRITE_SALES_BRIEF or WRITE_DELIVERY_BRIEF.
    @mutation(ability=None, success=WriteBriefSuccess)
    async def write_brief(input: WriteBriefInput, acting: Acting) -> models.HandoverBrief:
        return await handover.write_brief(
            acting.session,
            acting.actor,
            expect_id(input.order_id, "Order", "input.orderId"),
            input.kind,
            handover.BriefFields(
                personality=input.personality,
                special_needs=input.special_needs,
                concerns=input.concerns,
                issues=input.issues,
            ),
            now=acting.now,
        )
