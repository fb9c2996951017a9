"""Check-in (接车): the customer arrives for service, and the advisor sees at once what was
promised to them and what to take care of."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import CustomerTag, ServiceVisit
from baton.domain.access import Actor
from baton.domain.customers import active_circumstance_customer_ids
from baton.domain.events import CustomerCheckedIn
from baton.domain.journeys.who_is_told import tell
from baton.domain.promises import open_promises_of_customers
from baton.domain.stores import store_clock
from baton.domain.visits import open_visit


async def check_in_for_service(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    vehicle_id: int | None,
    mileage_km: int | None,
    complaint: str,
    now: datetime,
    checked_in_at: datetime | None = None,
) -> ServiceVisit:
    """`checked_in_at`: when an offline check-in was tapped (bounded in `open_visit`); the
    advisor is told now, when the server hears of it."""
    visit, customer = await open_visit(
        session,
        actor,
        customer_id,
        vehicle_id=vehicle_id,
        mileage_km=mileage_km,
        complaint=complaint,
        now=now,
        checked_in_at=checked_in_at,
    )
    today = (await store_clock(session, customer.store_id)).day_of(visit.checked_in_at)
    notes = []
    if await active_circumstance_customer_ids(session, [customer.id], today):
        notes.append("circumstance")
    if CustomerTag.VIP.value in customer.tags:
        notes.append("vip")
    promised = [p.description for p in await open_promises_of_customers(session, [customer.id])]
    await tell(
        session,
        CustomerCheckedIn(visit, customer, promised, notes, actor_id=actor.id),
        now=now,
    )
    return visit
