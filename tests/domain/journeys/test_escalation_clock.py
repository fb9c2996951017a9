"""Escalation reads the store's clock: a level lasts a day of the store's zone, whatever
BATON_DEFAULT_TIME_ZONE says; only a case whose store is not found reads the default zone
(never UTC)."""

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.journeys.cases.escalation import sweep_escalations
from baton.domain.journeys.cases.raising import raise_case
from baton.settings import get_settings
from tests.support.cases import OrgChart, org_chart, touchpoint
from tests.support.records import Record
from tests.support.world import World

MakeCustomer = Callable[..., Awaitable[Record]]
SECOND = timedelta(seconds=1)
# Fri 30 Oct 2026 10:00 in New York (EDT); clocks go back at 02:00 on Sunday 1 November.
RAISED = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)


@pytest.fixture
def default_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def set_to(name: str) -> None:
        monkeypatch.setenv("BATON_DEFAULT_TIME_ZONE", name)
        get_settings.cache_clear()

    yield set_to
    monkeypatch.undo()
    get_settings.cache_clear()


async def open_case(
    db: AsyncSession, world: World, org: OrgChart, make_customer: MakeCustomer
) -> models.Case:
    record = await make_customer()
    case = await raise_case(
        db,
        org.sales,
        customer_id=record.customer.id,
        touchpoint_id=await touchpoint(db, world, "temporary_plate"),
        summary="临牌没办好",
        now=RAISED,
    )
    await db.commit()
    return case


async def test_the_sweep_dates_the_next_level_by_the_stores_zone_not_the_default(
    db: AsyncSession,
    world: World,
    clock: ManualClock,
    make_customer: MakeCustomer,
    default_zone: Callable[[str], None],
) -> None:
    default_zone("Asia/Tokyo")
    world.stores["A"].time_zone = "America/New_York"
    await db.commit()
    org = await org_chart(db, world)
    case = await open_case(db, world, org, make_customer)
    level_2 = RAISED + timedelta(hours=24)  # Sat 10:00 EDT
    level_3 = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)  # Sun 10:00 EST: 25 h, not Tokyo's 24
    assert case.level_due_at == level_2

    assert await sweep_escalations(db, now=level_2) == 1
    await db.refresh(case)
    assert case.level == 2 and case.level_due_at == level_3
    assert await sweep_escalations(db, now=level_3 - SECOND) == 0
    assert await sweep_escalations(db, now=level_3) == 1


async def test_a_case_whose_store_is_not_found_reads_the_default_zone_not_utc(
    db: AsyncSession,
    world: World,
    clock: ManualClock,
    make_customer: MakeCustomer,
    default_zone: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    default_zone("America/New_York")
    org = await org_chart(db, world)  # store A keeps Asia/Shanghai
    case = await open_case(db, world, org, make_customer)
    level_2 = RAISED + timedelta(hours=24)  # Sat 22:00 in Shanghai
    assert case.level_due_at == level_2

    found = db.get

    async def store_not_found(model: Any, *args: Any, **kwargs: Any) -> Any:
        return None if model is models.Store else await found(model, *args, **kwargs)

    monkeypatch.setattr(db, "get", store_not_found)
    assert await sweep_escalations(db, now=level_2) == 1
    await db.refresh(case)
    # Sat 10:00 EDT → Sun 10:00 EST in BATON_DEFAULT_TIME_ZONE (UTC would say 24 h).
    assert case.level == 2
    assert case.level_due_at == datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
