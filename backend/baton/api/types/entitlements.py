"""Entitlement uses (权益使用) recorded at service visits."""

from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.org import UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models


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
