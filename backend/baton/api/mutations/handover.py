"""Handover, briefs, delivery date changes, entitlement uses and completing tasks."""

from datetime import date, datetime
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.handover import (
    BriefKind,
    DeliveryDateChangeType,
    EntitlementUseType,
    HandoverBriefType,
)
from baton.api.types.promises import PromiseType
from baton.api.types.relay import orm_root
from baton.api.types.sales import OrderType
from baton.api.types.tasks import TaskType
from baton.db import models
from baton.domain import delivery_dates, entitlements, handover, tasks
from baton.domain.access import Actor


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


RecordEntitlementUsePayload = Annotated[
    RecordEntitlementUseSuccess | MutationError, strawberry.union("RecordEntitlementUsePayload")
]


@strawberry.input
class CompleteTaskInput:
    id: strawberry.ID
    version: int
    outcome: str
    note: str = ""
    client_mutation_id: str | None = None


@strawberry.type
class CompleteTaskSuccess:
    task: TaskType


CompleteTaskPayload = Annotated[
    CompleteTaskSuccess | MutationError, strawberry.union("CompleteTaskPayload")
]


def _change_success(change: models.DeliveryDateChange) -> DeliveryDateChangeSuccess:
    return DeliveryDateChangeSuccess(change=orm_root(change))


@strawberry.type
class HandoverMutations:
    @strawberry.mutation(description="Refused, naming each open promise, while one is open.")
    async def complete_handover(
        self, info: Info, input: CompleteHandoverInput
    ) -> CompleteHandoverPayload:
        async def apply(actor: Actor, now: datetime) -> models.Order:
            return await handover.complete_handover(
                info.context.session,
                actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                expected_version=input.version,
                customer_issues=input.customer_issues,
                advisor_id=optional_id(input.service_advisor_id, "User", "input.serviceAdvisorId"),
                first_service_on=input.first_service_on,
                now=now,
            )

        return await run_mutation(
            info,
            operation="completeHandover",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda order: CompleteHandoverSuccess(order=orm_root(order)),
        )

    @strawberry.mutation
    async def write_brief(self, info: Info, input: WriteBriefInput) -> WriteBriefPayload:
        async def apply(actor: Actor, now: datetime) -> models.HandoverBrief:
            return await handover.write_brief(
                info.context.session,
                actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                input.kind,
                handover.BriefFields(
                    personality=input.personality,
                    special_needs=input.special_needs,
                    concerns=input.concerns,
                    issues=input.issues,
                ),
                now=now,
            )

        return await run_mutation(
            info,
            operation="writeBrief",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda brief: WriteBriefSuccess(brief=orm_root(brief)),
        )

    @strawberry.mutation(
        description="Applies at once, or waits for a store manager when the customer has an "
        "active special circumstance."
    )
    async def reschedule_delivery(
        self, info: Info, input: RescheduleDeliveryInput
    ) -> DeliveryDateChangePayload:
        async def apply(actor: Actor, now: datetime) -> models.DeliveryDateChange:
            return await delivery_dates.reschedule_delivery(
                info.context.session,
                actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                new_date=input.new_date,
                customer_told=input.customer_told,
                customer_told_how=input.customer_told_how,
                reason=input.reason,
                expected_version=input.version,
                now=now,
            )

        return await run_mutation(
            info,
            operation="rescheduleDelivery",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=_change_success,
        )

    @strawberry.mutation
    async def decide_delivery_date_change(
        self, info: Info, input: DecideDeliveryDateChangeInput
    ) -> DeliveryDateChangePayload:
        async def apply(actor: Actor, now: datetime) -> models.DeliveryDateChange:
            return await delivery_dates.decide_date_change(
                info.context.session,
                actor,
                expect_id(input.id, "DeliveryDateChange", "input.id"),
                approve=input.approve,
                note=input.note,
                expected_version=input.version,
                now=now,
            )

        return await run_mutation(
            info,
            operation="decideDeliveryDateChange",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=_change_success,
        )

    @strawberry.mutation
    async def record_entitlement_use(
        self, info: Info, input: RecordEntitlementUseInput
    ) -> RecordEntitlementUsePayload:
        async def apply(actor: Actor, now: datetime) -> models.EntitlementUse:
            return await entitlements.record_entitlement_use(
                info.context.session,
                actor,
                expect_id(input.visit_id, "ServiceVisit", "input.visitId"),
                expect_id(input.promise_id, "Promise", "input.promiseId"),
                now=now,
            )

        return await run_mutation(
            info,
            operation="recordEntitlementUse",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda use: RecordEntitlementUseSuccess(use=orm_root(use)),
        )

    @strawberry.mutation
    async def complete_task(self, info: Info, input: CompleteTaskInput) -> CompleteTaskPayload:
        async def apply(actor: Actor, now: datetime) -> models.Task:
            return await tasks.complete_task(
                info.context.session,
                actor,
                expect_id(input.id, "Task", "input.id"),
                outcome=input.outcome,
                note=input.note,
                expected_version=input.version,
                now=now,
            )

        return await run_mutation(
            info,
            operation="completeTask",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda task: CompleteTaskSuccess(task=orm_root(task)),
        )
