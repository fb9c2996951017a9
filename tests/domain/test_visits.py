"""Service visits: who is in the workshop today (今日在店)."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.journeys import check_in
from baton.domain.visits import in_workshop_today
from tests.support.records import Record

AsUser = Callable[..., Awaitable[Actor]]
MakeCustomer = Callable[..., Awaitable[Record]]


async def _visit(
    db: AsyncSession, advisor: Actor, record: Record, complaint: str, clock: ManualClock
) -> models.ServiceVisit:
    return await check_in.check_in_for_service(
        db,
        advisor,
        record.customer.id,
        vehicle_id=None,
        mileage_km=None,
        complaint=complaint,
        now=clock.now(),
    )


async def test_in_workshop_today_is_todays_open_visits_of_the_own_store_only(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    advisor = await as_user("service_advisor")
    elsewhere = await as_user("service_advisor", store="B")
    here, there = await make_customer(name="本店客户"), await make_customer(store="B", name="他店")
    clock.advance(timedelta(days=-1))
    await _visit(db, advisor, here, "昨天来的", clock)
    clock.advance(timedelta(days=1))
    earlier = await _visit(db, advisor, here, "今天早些", clock)
    clock.advance(timedelta(hours=1))
    later = await _visit(db, advisor, here, "今天晚些", clock)
    done = await _visit(db, advisor, here, "已完工", clock)
    done.status = models.VisitStatus.COMPLETED
    await _visit(db, elsewhere, there, "别的店", clock)
    await db.commit()

    found = await in_workshop_today(db, advisor, now=clock.now())
    assert [visit.id for visit in found] == [later.id, earlier.id]
    found_there = await in_workshop_today(db, elsewhere, now=clock.now())
    assert [visit.complaint for visit in found_there] == ["别的店"]


async def test_a_regional_director_without_a_store_sees_no_workshop(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    advisor = await as_user("service_advisor")
    await _visit(db, advisor, await make_customer(), "保养", clock)
    await db.commit()
    director = await as_user("regional_director")
    assert await in_workshop_today(db, director, now=clock.now()) == []
