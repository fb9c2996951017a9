"""Staff, stores and my logins."""

from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.abilities import Ability
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.access import role_abilities
from baton.domain.auth import is_current

Role = strawberry.enum(models.Role)
Department = strawberry.enum(models.Department)


@strawberry.type(name="Store")
class StoreType(Node):
    code: str
    name: str
    time_zone: str

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Store)


@strawberry.type(name="User")
class UserType(Node):
    username: str
    display_name: str
    role: Role  # type: ignore[valid-type]
    department: Department  # type: ignore[valid-type]
    language: str
    is_active: bool

    @strawberry.field
    @staticmethod
    async def store(root: Parent[models.User], info: Info) -> StoreType | None:
        if root.store_id is None:
            return None
        return orm_root(await info.context.loaders.store.load(root.store_id))

    @strawberry.field(description="What this user's role may do in their stores.")
    @staticmethod
    def abilities(root: Parent[models.User]) -> list[Ability]:  # type: ignore[valid-type]
        return role_abilities(root)

    @strawberry.field(
        description="The IANA time zone this user reads times in: their store's, or the "
        "server's default (BATON_DEFAULT_TIME_ZONE) for staff without a store."
    )
    @staticmethod
    async def time_zone(root: Parent[models.User], info: Info) -> str:
        return (await info.context.facts.clock_of_store(root.store_id)).time_zone

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.User)


@strawberry.type(name="UserSession", description="One of my logins: a phone or a browser.")
class UserSessionType(Node):
    created_at: datetime
    expires_at: datetime

    @strawberry.field(description="The login this request was made with.")
    @staticmethod
    def current(root: Parent[models.UserSession], info: Info) -> bool:
        return is_current(root, info.context.session_token)

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.UserSession)
