"""Orders and deliveries as the record shows them."""

from datetime import date, datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.errors import RuleReason, rule_reason
from baton.api.types.abilities import Ability
from baton.api.types.delivery_dates import DeliveryDateChangeType
from baton.api.types.handover import HandoverBriefType
from baton.api.types.org import UserType
from baton.api.types.promises import ChecklistSignatureType, PromiseType
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.access import Subject
from baton.domain.handover import handover_blockers

OrderStatus = strawberry.enum(models.OrderStatus)
DeliveryStatus = strawberry.enum(models.DeliveryStatus)


async def _store_of(order: models.Order, info: Info) -> Subject:
    customer = await info.context.loaders.customer.load(order.customer_id)
    return Subject(store_id=customer.store_id if customer else None)


@strawberry.type(name="Order")
class OrderType(Node):
    model_name: str
    planned_delivery_date: date | None
    status: OrderStatus  # type: ignore[valid-type]
    created_at: datetime
    submitted_at: datetime | None
    checklist_version: int = strawberry.field(
        description="Bumped when a signed list changes; a new signature is then needed."
    )
    version: int

    @strawberry.field
    @staticmethod
    async def sales_consultant(root: Parent[models.Order], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.sales_consultant_id))

    @strawberry.field(description="The promise checklist (承诺清单), cancelled ones included.")
    @staticmethod
    async def promises(root: Parent[models.Order], info: Info) -> list[PromiseType]:
        return orm_root(await info.context.loaders.promises_of_order.load(root.id))

    @strawberry.field(description="Every signed version of the checklist, newest first.")
    @staticmethod
    async def signatures(root: Parent[models.Order], info: Info) -> list[ChecklistSignatureType]:
        return orm_root(await info.context.loaders.signatures_of_order.load(root.id))

    @strawberry.field(description="The signature over the current version, if signed.")
    @staticmethod
    async def current_signature(
        root: Parent[models.Order], info: Info
    ) -> ChecklistSignatureType | None:
        return orm_root(await info.context.facts.current_signature(root))

    @strawberry.field
    @staticmethod
    async def delivery(root: Parent[models.Order], info: Info) -> "DeliveryType | None":
        found = await info.context.loaders.deliveries_of_order.load(root.id)
        return orm_root(found[0] if found else None)

    @strawberry.field
    @staticmethod
    async def briefs(root: Parent[models.Order], info: Info) -> list[HandoverBriefType]:
        return orm_root(await info.context.loaders.briefs_of_order.load(root.id))

    @strawberry.field(
        description="Why the handover cannot be completed now, each open promise named; empty "
        "when it can. The same rule completeHandover enforces."
    )
    @staticmethod
    async def handover_blockers(root: Parent[models.Order], info: Info) -> list[RuleReason]:
        promises = await info.context.loaders.promises_of_order.load(root.id)
        current = await info.context.facts.current_signature(root)
        reader = info.context.reader()
        return [rule_reason(r, reader) for r in handover_blockers(root, promises, current)]

    @strawberry.field(description="Newest first.")
    @staticmethod
    async def date_changes(root: Parent[models.Order], info: Info) -> list[DeliveryDateChangeType]:
        return orm_root(await info.context.loaders.date_changes_of_order.load(root.id))

    @strawberry.field(description="What the viewer may do with this order.")
    @staticmethod
    async def viewer_can(root: Parent[models.Order], info: Info) -> list[Ability]:  # type: ignore[valid-type]
        return await info.context.facts.viewer_can("Order", await _store_of(root, info))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Order)


@strawberry.type(name="Delivery")
class DeliveryType(Node):
    scheduled_at: datetime | None
    status: DeliveryStatus  # type: ignore[valid-type]
    completed_at: datetime | None
    customer_issues: str
    first_service_on: date | None
    version: int

    @strawberry.field
    @staticmethod
    async def completed_by(root: Parent[models.Delivery], info: Info) -> UserType | None:
        if root.completed_by_id is None:
            return None
        return orm_root(await info.context.loaders.user.load(root.completed_by_id))

    @strawberry.field(description="The checklist as signed when the car was handed over.")
    @staticmethod
    async def final_signature(
        root: Parent[models.Delivery], info: Info
    ) -> ChecklistSignatureType | None:
        if root.final_signature_id is None:
            return None
        return orm_root(await info.context.loaders.signature.load(root.final_signature_id))

    @strawberry.field
    @staticmethod
    async def delivery_specialist(root: Parent[models.Delivery], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.delivery_specialist_id))

    @strawberry.field
    @staticmethod
    async def order(root: Parent[models.Delivery], info: Info) -> OrderType:
        return orm_root(await info.context.loaders.order.load(root.order_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Delivery)
