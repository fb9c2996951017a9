"""Using an entitlement at a service visit (权益使用)."""

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.entitlements import EntitlementUseType
from baton.api.types.promises import PromiseType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.journeys import entitlement_use


@strawberry.input
class RecordEntitlementUseInput:
    visit_id: strawberry.ID
    promise_id: strawberry.ID
    client_mutation_id: str | None = None


@strawberry.type
class RecordEntitlementUseSuccess:
    use: EntitlementUseType

    @strawberry.field(description="The entitlement with its uses counted.")
    async def promise(self, info: Info) -> PromiseType:
        promise_id = self.use.promise_id  # type: ignore[attr-defined]
        return orm_root(await info.context.session.get(models.Promise, promise_id))


@strawberry.type
class EntitlementUseMutations:
    @mutation(ability=Action.RECORD_ENTITLEMENT_USE, success=RecordEntitlementUseSuccess)
    async def record_entitlement_use(
        input: RecordEntitlementUseInput, acting: Acting
    ) -> models.EntitlementUse:
        return await entitlement_use.record_entitlement_use(
            acting.session,
            acting.actor,
            expect_id(input.visit_id, "ServiceVisit", "input.visitId"),
            expect_id(input.promise_id, "Promise", "input.promiseId"),
            now=acting.now,
        )
