"""Orders and their promise checklist: create, promise, sign, submit."""

from datetime import date, datetime
from typing import Annotated, cast

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.promises import (
    ChecklistSignatureType,
    PromiseCategory,
    PromiseDue,
    PromiseStatus,
    PromiseType,
)
from baton.api.types.relay import orm_root
from baton.api.types.sales import OrderType
from baton.db import models
from baton.domain import orders, promises, signatures
from baton.domain.access import Actor


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


@strawberry.input
class PromiseTermsInput:
    category: PromiseCategory  # type: ignore[valid-type]
    description: str
    due: PromiseDue  # type: ignore[valid-type]
    due_on: date | None = None
    entitlement_total: int | None = None
    entitlement_valid_until: date | None = None


@strawberry.input
class AddPromiseInput:
    order_id: strawberry.ID
    terms: PromiseTermsInput
    client_mutation_id: str | None = None


@strawberry.input
class UpdatePromiseInput:
    id: strawberry.ID
    version: int
    terms: PromiseTermsInput
    client_mutation_id: str | None = None


@strawberry.input
class ChangePromiseStatusInput:
    id: strawberry.ID
    version: int
    status: PromiseStatus  # type: ignore[valid-type]
    deferred_to: date | None = strawberry.field(default=None, description="For deferred.")
    note: str = ""
    photo_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Uploads from POST /uploads, as evidence."
    )
    client_mutation_id: str | None = None


@strawberry.type
class PromiseSuccess:
    promise: PromiseType

    @strawberry.field(description="The order, whose checklist version may have changed.")
    async def order(self, info: Info) -> OrderType:
        order_id = cast(models.Promise, self.promise).order_id
        return orm_root(await info.context.loaders.order.load(order_id))


PromisePayload = Annotated[PromiseSuccess | MutationError, strawberry.union("PromisePayload")]


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


SignChecklistPayload = Annotated[
    SignChecklistSuccess | MutationError, strawberry.union("SignChecklistPayload")
]


@strawberry.input
class SubmitOrderInput:
    order_id: strawberry.ID
    version: int
    delivery_specialist_id: strawberry.ID
    client_mutation_id: str | None = None


def _terms(terms: PromiseTermsInput) -> promises.PromiseTerms:
    return promises.PromiseTerms(
        category=terms.category,
        description=terms.description,
        due=terms.due,
        due_on=terms.due_on,
        entitlement_total=terms.entitlement_total,
        entitlement_valid_until=terms.entitlement_valid_until,
    )


def _order_success(order: models.Order) -> OrderSuccess:
    return OrderSuccess(order=orm_root(order))


def _promise_success(promise: models.Promise) -> PromiseSuccess:
    return PromiseSuccess(promise=orm_root(promise))


@strawberry.type
class PromiseMutations:
    @strawberry.mutation
    async def create_order(self, info: Info, input: CreateOrderInput) -> OrderPayload:
        async def apply(actor: Actor, now: datetime) -> models.Order:
            return await orders.create_order(
                info.context.session,
                actor,
                expect_id(input.customer_id, "Customer", "input.customerId"),
                model_name=input.model_name,
                planned_delivery_date=input.planned_delivery_date,
                vehicle_id=optional_id(input.vehicle_id, "Vehicle", "input.vehicleId"),
                now=now,
            )

        return await run_mutation(
            info,
            operation="createOrder",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=_order_success,
        )

    @strawberry.mutation
    async def add_promise(self, info: Info, input: AddPromiseInput) -> PromisePayload:
        async def apply(actor: Actor, now: datetime) -> models.Promise:
            return await promises.add_promise(
                info.context.session,
                actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                _terms(input.terms),
                now=now,
            )

        return await run_mutation(
            info,
            operation="addPromise",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=_promise_success,
        )

    @strawberry.mutation
    async def update_promise(self, info: Info, input: UpdatePromiseInput) -> PromisePayload:
        async def apply(actor: Actor, now: datetime) -> models.Promise:
            return await promises.update_promise(
                info.context.session,
                actor,
                expect_id(input.id, "Promise", "input.id"),
                _terms(input.terms),
                expected_version=input.version,
                now=now,
            )

        return await run_mutation(
            info,
            operation="updatePromise",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=_promise_success,
        )

    @strawberry.mutation(
        description="Fulfil, partly fulfil, defer (new date), waive or cancel a promise."
    )
    async def change_promise_status(
        self, info: Info, input: ChangePromiseStatusInput
    ) -> PromisePayload:
        async def apply(actor: Actor, now: datetime) -> models.Promise:
            return await promises.change_promise_status(
                info.context.session,
                actor,
                expect_id(input.id, "Promise", "input.id"),
                input.status,
                expected_version=input.version,
                deferred_to=input.deferred_to,
                note=input.note,
                photo_ids=[
                    expect_id(photo, "Upload", f"input.photoIds.{index}")
                    for index, photo in enumerate(input.photo_ids)
                ],
                now=now,
            )

        return await run_mutation(
            info,
            operation="changePromiseStatus",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=_promise_success,
        )

    @strawberry.mutation
    async def sign_checklist(self, info: Info, input: SignChecklistInput) -> SignChecklistPayload:
        async def apply(actor: Actor, now: datetime) -> models.ChecklistSignature:
            return await signatures.sign_checklist(
                info.context.session,
                actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                checklist_version=input.checklist_version,
                signer_name=input.signer_name,
                strokes=input.strokes,
                confirm_no_promises=input.confirm_no_promises,
                now=now,
            )

        return await run_mutation(
            info,
            operation="signChecklist",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda signature: SignChecklistSuccess(signature=orm_root(signature)),
        )

    @strawberry.mutation
    async def submit_order(self, info: Info, input: SubmitOrderInput) -> OrderPayload:
        async def apply(actor: Actor, now: datetime) -> models.Order:
            return await orders.submit_order(
                info.context.session,
                actor,
                expect_id(input.order_id, "Order", "input.orderId"),
                delivery_specialist_id=expect_id(
                    input.delivery_specialist_id, "User", "input.deliverySpecialistId"
                ),
                expected_version=input.version,
                now=now,
            )

        return await run_mutation(
            info,
            operation="submitOrder",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=_order_success,
        )
