"""Briefs between departments and delivery date changes."""

from datetime import date, datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.org import UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models

BriefKind = strawberry.enum(models.BriefKind)
DateChangeStatus = strawberry.enum(models.DateChangeStatus)


@strawberry.type(name="HandoverBrief")
class HandoverBriefType(Node):
    kind: BriefKind  # type: ignore[valid-type]
    personality: str
    special_needs: str
    concerns: str
    issues: str
    created_at: datetime

    @strawberry.field
    @staticmethod
    async def written_by(root: Parent[models.HandoverBrief], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.written_by_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.HandoverBrief)


@strawberry.type(name="DeliveryDateChange")
class DeliveryDateChangeType(Node):
    old_date: date | None
    new_date: date
    reason: str
    customer_told: bool
    customer_told_how: str
    status: DateChangeStatus  # type: ignore[valid-type]
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str
    version: int

    @strawberry.field
    @staticmethod
    async def requested_by(root: Parent[models.DeliveryDateChange], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.requested_by_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.DeliveryDateChange)


@strawberry.type(name="EntitlementUse")
class EntitlementUseType(Node):
    used_at: datetime

    @strawberry.field
    @staticmethod
    async def recorded_by(root: Parent[models.EntitlementUse], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.recorded_by_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.EntitlementUse)
