"""Briefs (交接简报) passed between departments about a customer."""

from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.org import UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models

BriefKind = strawberry.enum(models.BriefKind)


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
