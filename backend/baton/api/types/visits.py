"""Service visits."""

from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.entitlements import EntitlementUseType
from baton.api.types.org import UserType
from baton.api.types.promises import PromiseType
from baton.api.types.relay import Node, orm_root
from baton.api.types.vehicles import VehicleType
from baton.db import models

VisitStatus = strawberry.enum(models.VisitStatus)


@strawberry.type(name="ServiceVisit")
class ServiceVisitType(Node):
    checked_in_at: datetime
    mileage_km: int | None
    complaint: str
    status: VisitStatus  # type: ignore[valid-type]
    version: int

    @strawberry.field
    @staticmethod
    async def advisor(root: Parent[models.ServiceVisit], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.advisor_id))

    @strawberry.field
    @staticmethod
    async def vehicle(root: Parent[models.ServiceVisit], info: Info) -> VehicleType | None:
        if root.vehicle_id is None:
            return None
        return orm_root(await info.context.loaders.vehicle.load(root.vehicle_id))

    @strawberry.field(description="The entitlements used at this visit, oldest first.")
    @staticmethod
    async def entitlement_uses(
        root: Parent[models.ServiceVisit], info: Info
    ) -> list[EntitlementUseType]:
        return orm_root(await info.context.loaders.uses_of_visit.load(root.id))

    @strawberry.field(
        description="The customer's promises still owed, entitlements with uses left included."
    )
    @staticmethod
    async def open_promises(root: Parent[models.ServiceVisit], info: Info) -> list[PromiseType]:
        return orm_root(await info.context.facts.owed_promises(root.customer_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.ServiceVisit)
