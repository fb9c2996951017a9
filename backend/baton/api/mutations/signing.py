"""The customer signs the checklist (客户签字)."""

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.orders import OrderType
from baton.api.types.promises import (
    ChecklistSignatureType,
)
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.journeys import signing


@strawberry.input
class SignChecklistInput:
    order_id: strawberry.ID
    checklist_version: int = strawberry.field(description="The version the customer was shown.")
    signer_name: str
    strokes: str = strawberry.field(
        description="Compact JSON [[[x, y, tMs], ...], ...]; at most 64 KB and 2,000 points."
    )
    confirm_no_promises: bool = strawberry.field(
        default=False, description="Required, and only allowed, when the list is empty."
    )
    client_mutation_id: str | None = None


@strawberry.type
class SignChecklistSuccess:
    signature: ChecklistSignatureType

    @strawberry.field
    async def order(self, info: Info) -> OrderType:
        order_id = self.signature.order_id  # type: ignore[attr-defined]
        return orm_root(await info.context.loaders.order.load(order_id))


@strawberry.type
class SigningMutations:
    @mutation(ability=Action.COLLECT_SIGNATURE, success=SignChecklistSuccess)
    async def sign_checklist(
        input: SignChecklistInput, acting: Acting
    ) -> models.ChecklistSignature:
        return await signing.sign_checklist(
            acting.session,
            acting.actor,
            expect_id(input.order_id, "Order", "input.orderId"),
            checklist_version=input.checklist_version,
            signer_name=input.signer_name,
            strokes=input.strokes,
            confirm_no_promises=input.confirm_no_promises,
            now=acting.now,
        )
