"""The promise checklist as the phone shows it: promises, signed versions, entitlements."""

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.org import UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.promises import uses_left
from baton.ids import global_id

PromiseCategory = strawberry.enum(models.PromiseCategory)
PromiseDue = strawberry.enum(models.PromiseDue)
PromiseStatus = strawberry.enum(models.PromiseStatus)


@strawberry.type(name="Promise")
class PromiseType(Node):
    category: PromiseCategory  # type: ignore[valid-type]
    description: str
    due: PromiseDue  # type: ignore[valid-type]
    due_on: date | None
    entitlement_total: int | None
    entitlement_used: int
    entitlement_valid_until: date | None
    status: PromiseStatus  # type: ignore[valid-type]
    deferred_to: date | None
    evidence_note: str
    created_at: datetime
    updated_at: datetime
    fulfilled_at: datetime | None
    version: int

    @strawberry.field
    @staticmethod
    async def made_by(root: Parent[models.Promise], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.made_by_id))

    @strawberry.field(description="Uses left today; 0 for promises that are not entitlements.")
    @staticmethod
    async def entitlement_remaining(root: Parent[models.Promise], info: Info) -> int:
        customer = await info.context.loaders.customer.load(root.customer_id)
        assert customer is not None
        return uses_left(root, await info.context.facts.today_in(customer.store_id))

    @strawberry.field(description="IDs of evidence photos, fetched from /uploads/{id}.")
    @staticmethod
    async def photo_ids(root: Parent[models.Promise], info: Info) -> list[strawberry.ID]:
        photos = await info.context.loaders.photos_of_promise.load(root.id)
        return [strawberry.ID(global_id("Upload", photo.id)) for photo in photos]

    @strawberry.field
    @staticmethod
    def order_id(root: Parent[models.Promise]) -> strawberry.ID:
        return strawberry.ID(global_id("Order", root.order_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Promise)


@strawberry.type
class SignedPromise:
    """One promise as it stood in a signed version of the list."""

    id: strawberry.ID
    category: PromiseCategory  # type: ignore[valid-type]
    description: str
    due: PromiseDue  # type: ignore[valid-type]
    due_on: date | None
    entitlement_total: int | None
    entitlement_valid_until: date | None
    deferred_to: date | None
    waived: bool


def _signed(item: dict[str, Any]) -> SignedPromise:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return SignedPromise(
        id=strawberry.ID(global_id("Promise", item["id"])),
        category=models.PromiseCategory(item["category"]),
        description=item["description"],
        due=models.PromiseDue(item["due"]),
        due_on=day(item["dueOn"]),
        entitlement_total=item["entitlementTotal"],
        entitlement_valid_until=day(item["entitlementValidUntil"]),
        deferred_to=day(item["deferredTo"]),
        waived=item["waived"],
    )


@strawberry.type(name="ChecklistSignature")
class ChecklistSignatureType(Node):
    checklist_version: int
    signer_name: str
    signed_at: datetime
    content_hash: str = strawberry.field(
        description="SHA-256 of the canonical JSON of the list version signed."
    )
    no_promises: bool
    point_count: int
    strokes: str = strawberry.field(description="Compact JSON: [[[x, y, tMs], ...], ...].")

    @strawberry.field
    @staticmethod
    async def witness(root: Parent[models.ChecklistSignature], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.witness_id))

    @strawberry.field(description="The promises exactly as signed in this version.")
    @staticmethod
    def promises(root: Parent[models.ChecklistSignature]) -> list[SignedPromise]:
        return [_signed(item) for item in root.content["promises"]]

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.ChecklistSignature)
