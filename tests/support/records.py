"""Customer records built through the real domain functions, as staff would build them."""

import itertools
import random
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.demo.people import make_vin
from baton.domain import customers, vehicles
from baton.domain.access import Actor
from baton.domain.journeys import check_in

_phones = itertools.count(13800000000)
_rng = random.Random(7)


def next_phone() -> str:
    return str(next(_phones))


def valid_vin() -> str:
    return make_vin(_rng)


@dataclass
class Record:
    customer: models.Customer
    vehicle: models.Vehicle | None


async def make_record(
    session: AsyncSession,
    actor: Actor,
    clock: ManualClock,
    *,
    name: str = "张伟",
    phone: str | None = None,
    vin: str | None = None,
    plate: str | None = None,
    visits: int = 0,
    store_id: int | None = None,
) -> Record:
    customer = await customers.create_customer(
        session,
        actor,
        customers.CustomerFields(name=name, phone=phone or next_phone()),
        store_id=store_id or actor.user.store_id or 0,
        now=clock.now(),
    )
    vehicle = None
    if vin or plate or visits:
        vehicle = await vehicles.add_vehicle(
            session,
            actor,
            customer.id,
            vin=vin or valid_vin(),
            plate=plate,
            model_name="Model Y",
            now=clock.now(),
        )
    for number in range(visits):
        await check_in.check_in_for_service(
            session,
            actor,
            customer.id,
            vehicle_id=vehicle.id if vehicle else None,
            mileage_km=1000 * (number + 1),
            complaint=f"保养 {number}",
            now=clock.now(),
        )
    await session.commit()
    return Record(customer, vehicle)
