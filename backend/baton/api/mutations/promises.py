"""The promise checklist (承诺清单): add, reword and move promises along."""

from datetime import date
from typing import cast

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.orders import OrderType
from baton.api.types.promises import (
    PromiseCategory,
    PromiseDue,
    PromiseStatus,
    PromiseType,
)
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain import promises
from baton.domain.access import Action


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


def _terms(terms: PromiseTermsInput) -> promises.PromiseTerms:
    return promises.PromiseTerms(
        category=terms.category,
        description=terms.description,
        due=terms.due,
        due_on=terms.due_on,
        entitlement_total=terms.entitlement_total,
        entitlement_valid_until=terms.entitlement_valid_until,
    )


@strawberry.type
class PromiseMutations:
    @mutation(ability=Action.EDIT_PROMISES, success=PromiseSuccess)
    async def add_promise(input: AddPromiseInput, acting: Acting) -> models.Promise:
        return await promises.add_promise(
            acting.session,
            acting.actor,
            expect_id(input.order_id, "Order", "input.orderId"),
            _terms(input.terms),
            now=acting.now,
        )

    @mutation(ability=Action.EDIT_PROMISES, success=PromiseSuccess)
    async def update_promise(input: UpdatePromiseInput, acting: Acting) -> models.Promise:
        return await promises.update_promise(
            acting.session,
            acting.actor,
            expect_id(input.id, "Promise", "input.id"),
            _terms(input.terms),
            expected_version=input.version,
            now=acting.now,
        )

    @mutation(
        ability=Action.EDIT_PROMISES,
        success=PromiseSuccess,
        description="Fulfil, partly fulfil, defer (new date), waive or cancel a promise.",
    )
    async def change_promise_status(
        input: ChangePromiseStatusInput, acting: Acting
    ) -> models.Promise:
        return await promises.change_promise_status(
            acting.session,
            acting.actor,
            expect_id(input.id, "Promise", "input.id"),
            input.status,
            expected_version=input.version,
            deferred_to=input.deferred_to,
            note=input.note,
            photo_ids=[
                expect_id(photo, "Upload", f"input.photoIds.{index}")
                for index, photo in enumerate(input.photo_ids)
            ],
            now=acting.now,
        )
