"""Check-in: the advisor is told at once when the customer has something to remember."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.errors import ValidationFailed
from baton.domain.journeys import check_in
from baton.domain.localtime import PHONE_CLOCK_SKEW
from baton.domain.visits import CHECKED_IN_MAX_AGE
from tests.domain.test_alerts import count_alerts
from tests.support.counts import row_counts
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


async def _check_in_at(
    db: AsyncSession, advisor: Actor, customer_id: int, clock: ManualClock, at: object
) -> models.ServiceVisit:
    return await check_in.check_in_for_service(
        db,
        advisor,
        customer_id,
        vehicle_id=None,
        mileage_km=None,
        complaint="",
        now=clock.now(),
        checked_in_at=at,  # type: ignore[arg-type]
    )


async def test_a_check_in_queued_offline_keeps_the_time_it_was_tapped(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    advisor = await as_user("service_advisor")
    tapped = clock.now() - timedelta(hours=3)
    visit = await _check_in_at(db, advisor, record.customer.id, clock, tapped)
    await db.commit()
    assert visit.checked_in_at == tapped
    event = await db.scalar(
        select(models.TimelineEvent).where(models.TimelineEvent.kind == "service_check_in")
    )
    assert event is not None and event.at == tapped


async def test_a_check_in_without_a_tap_time_is_the_servers_time(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    advisor = await as_user("service_advisor")
    visit = await _check_in_at(db, advisor, record.customer.id, clock, None)
    assert visit.checked_in_at == clock.now()


async def test_a_tap_time_a_little_ahead_of_the_server_is_taken_as_now(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    advisor = await as_user("service_advisor")
    ahead = clock.now() + PHONE_CLOCK_SKEW - timedelta(seconds=1)
    visit = await _check_in_at(db, advisor, record.customer.id, clock, ahead)
    assert visit.checked_in_at == clock.now()


@pytest.mark.parametrize(
    ("offset", "code"),
    [
        (PHONE_CLOCK_SKEW + timedelta(seconds=1), "in_future"),
        (-(CHECKED_IN_MAX_AGE + timedelta(seconds=1)), "too_old"),
    ],
)
async def test_a_tap_time_in_the_future_or_older_than_the_queue_is_refused(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    make_customer: MakeCustomer,
    offset: timedelta,
    code: str,
) -> None:
    record = await make_customer()
    advisor = await as_user("service_advisor")
    before = await row_counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await _check_in_at(db, advisor, record.customer.id, clock, clock.now() + offset)
    [problem] = refused.value.problems
    assert (problem.path, problem.code) == ("input.checkedInAt", code)
    await db.rollback()
    assert await row_counts(db) == before


async def test_a_tap_time_without_a_time_zone_is_refused(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    record = await make_customer()
    advisor = await as_user("service_advisor")
    with pytest.raises(ValidationFailed) as refused:
        await _check_in_at(db, advisor, record.customer.id, clock, clock.now().replace(tzinfo=None))
    assert [p.path for p in refused.value.problems] == ["input.checkedInAt"]
