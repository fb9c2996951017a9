"""Check-in: the advisor is told at once when the customer has something to remember."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.journeys import check_in
from tests.domain.test_alerts import count_alerts
from tests.support.records import Record
from tests.support.texts import alert_text

AsUser = Callable[..., Awaitable[Actor]]
MakeCustomer = Callable[..., Awaitable[Record]]
LEAD = timedelta(hours=2)


async def test_check_in_of_a_vip_alerts_the_advisor_now_even_in_quiet_hours(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    record.customer.tags = ["vip"]
    await db.commit()
    advisor = await as_user("service_advisor")
    clock.advance(timedelta(hours=12, minutes=30))  # 22:30 Shanghai
    visit = await check_in.check_in_for_service(
        db,
        advisor,
        record.customer.id,
        vehicle_id=None,
        mileage_km=None,
        complaint="",
        now=clock.now(),
    )
    await db.commit()
    [alert] = await db.scalars(select(models.Alert))
    assert alert.kind is models.AlertKind.CUSTOMER_HERE and alert.urgent
    assert alert.user_id == advisor.id and alert.due_at == clock.now()
    assert (alert.subject_type, alert.subject_id) == ("ServiceVisit", visit.id)
    assert "VIP" in (await alert_text(db, alert, "en"))[1]


async def test_check_in_of_an_ordinary_customer_raises_no_alert(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    advisor = await as_user("service_advisor")
    await check_in.check_in_for_service(
        db,
        advisor,
        record.customer.id,
        vehicle_id=None,
        mileage_km=None,
        complaint="",
        now=clock.now(),
    )
    await db.commit()
    assert await count_alerts(db) == 0
