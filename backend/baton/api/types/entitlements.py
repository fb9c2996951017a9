"""Entitlement uses (权益使用) recorded at service visits."""

from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.org import UserType
from baton.api.types.promises import PromiseType
from baton.api.types.relay import Node, orm_root
from baton.db import models


@strawberry.type(name="EntitlementUse")
class EntitlementUseType(Node):
    used_at: datetime

    @strawberry.field
    @staticmethod
    async def recorded_by(root: Parent[models.EntitlementUse], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.recorded_by_id))

    @strawberry.field(description="The entitlement that was used (one of the customer's promises).")
    @staticmethod
    async def promise(root: Parent[models.EntitlementUse], info: Info) -> PromiseType:
        # The customer's promises, which the record loads anyway: no statement of its own.
        promises = await info.context.loaders.promises_of_customer.load(root.customer_id)
        return orm_root(next(p for p in promises if p.id == root.promise_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.EntitlementUse)
