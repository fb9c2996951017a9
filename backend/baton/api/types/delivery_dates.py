"""Delivery date changes (改期) as the record shows them."""

from datetime import date, datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.org import UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models

DateChangeStatus = strawberry.enum(models.DateChangeStatus)


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
