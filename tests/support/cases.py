"""An org chart for cases: supervisors (主管) and managers (经理) of sales, delivery and
service at a store, its store manager, the region's director, and the store's journey."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models import Position, Role
from baton.domain.access import Actor, load_actor
from baton.domain.cases.touchpoints import set_up_journey
from tests.support.world import World


@dataclass
class OrgChart:
    sales: Actor
    sales_supervisor: Actor
    sales_manager: Actor
    delivery: Actor
    delivery_supervisor: Actor
    delivery_manager: Actor
    advisor: Actor
    service_supervisor: Actor
    service_manager: Actor
    store_manager: Actor
    director: Actor

    def ids(self, *names: str) -> set[int]:
        return {getattr(self, name).id for name in names}


async def org_chart(session: AsyncSession, world: World, store: str = "A") -> OrgChart:
    async def person(role: Role, position: Position = Position.STAFF) -> Actor:
        return await load_actor(session, await world.staff(session, role, store, position))

    await set_up_journey(session, world.stores[store].id)
    await session.commit()
    return OrgChart(
        sales=await person(Role.SALES_CONSULTANT),
        sales_supervisor=await person(Role.SALES_CONSULTANT, Position.SUPERVISOR),
        sales_manager=await person(Role.SALES_CONSULTANT, Position.MANAGER),
        delivery=await person(Role.DELIVERY_SPECIALIST),
        delivery_supervisor=await person(Role.DELIVERY_SPECIALIST, Position.SUPERVISOR),
        delivery_manager=await person(Role.DELIVERY_SPECIALIST, Position.MANAGER),
        advisor=await person(Role.SERVICE_ADVISOR),
        service_supervisor=await person(Role.SERVICE_ADVISOR, Position.SUPERVISOR),
        service_manager=await person(Role.SERVICE_ADVISOR, Position.MANAGER),
        store_manager=await person(Role.STORE_MANAGER),
        director=await person(Role.REGIONAL_DIRECTOR),
    )


async def touchpoint(session: AsyncSession, world: World, key: str, store: str = "A") -> int:
    found = await session.scalar(
        select(models.Touchpoint.id).where(
            models.Touchpoint.store_id == world.stores[store].id, models.Touchpoint.key == key
        )
    )
    assert found is not None, key
    return found
