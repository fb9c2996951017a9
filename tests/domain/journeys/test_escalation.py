"""Escalation by the clock: level 1 for one store-local day, then the department managers,
then the regional director; each rise once, told and on the timeline, even with two sweeps."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from baton.clock import ManualClock
from baton.db import models
from baton.db.engine import create_engine, create_sessionmaker
from baton.db.models import AlertKind, ConfirmationChannel, Department
from baton.domain.cases import ladder, lifecycle
from baton.domain.journeys.cases.escalation import sweep_escalations
from baton.domain.journeys.cases.raising import bring_in_collaborator, raise_case
from baton.domain.stores import StoreClock
from tests.support.cases import OrgChart, org_chart, touchpoint
from tests.support.records import Record
from tests.support.world import World

MakeCustomer = Callable[..., Awaitable[Record]]
SECOND = timedelta(seconds=1)


async def open_case(
    db: AsyncSession,
    world: World,
    org: OrgChart,
    make_customer: MakeCustomer,
    at: datetime,
    store: str = "A",
) -> models.Case:
    record = await make_customer(store=store)
    case = await raise_case(
        db,
        org.sales,
        customer_id=record.customer.id,
        touchpoint_id=await touchpoint(db, world, "temporary_plate", store=store),
        summary="临牌没办好",
        now=at,
    )
    await db.commit()
    return case


async def told(db: AsyncSession, kind: AlertKind) -> set[int]:
    rows = await db.scalars(select(models.Alert.user_id).where(models.Alert.kind == kind))
    return set(rows)


async def escalations_on_timeline(db: AsyncSession, case: models.Case) -> list[datetime]:
    rows = await db.scalars(
        select(models.TimelineEvent.at)
        .where(
            models.TimelineEvent.customer_id == case.customer_id,
            models.TimelineEvent.kind == "case_escalated",
        )
        .order_by(models.TimelineEvent.at)
    )
    return list(rows)


async def test_in_shanghai_a_case_rises_at_exactly_24_and_48_hours_across_midnight(
    db: AsyncSession, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    org = await org_chart(db, world)
    raised = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
    case = await open_case(db, world, org, make_customer, raised)
    await bring_in_collaborator(
        db,
        org.delivery_supervisor,
        case.id,
        department=Department.SALES,
        user_id=None,
        now=raised,
    )
    await db.commit()

    assert await sweep_escalations(db, now=raised + timedelta(hours=24) - SECOND) == 0
    assert await sweep_escalations(db, now=raised + timedelta(hours=24)) == 1
    await db.refresh(case)
    assert case.level == 2
    assert await told(db, AlertKind.CASE_ESCALATED) == org.ids("delivery_manager", "sales_manager")
    assert await told(db, AlertKind.CASE_ESCALATED_OWNER) == org.ids("delivery_supervisor", "sales")
    assert await sweep_escalations(db, now=raised + timedelta(hours=24)) == 0

    assert await sweep_escalations(db, now=raised + timedelta(hours=48) - SECOND) == 0
    assert await sweep_escalations(db, now=raised + timedelta(hours=48)) == 1
    await db.refresh(case)
    assert case.level == 3 and case.level_due_at is None
    assert org.director.id in await told(db, AlertKind.CASE_ESCALATED)
    assert await escalations_on_timeline(db, case) == [
        raised + timedelta(hours=24),
        raised + timedelta(hours=48),
    ]
    assert await sweep_escalations(db, now=raised + timedelta(days=30)) == 0


async def test_in_berlin_a_level_is_one_store_day_so_it_is_23_hours_over_the_spring_change(
    db: AsyncSession, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    world.stores["A"].time_zone = "Europe/Berlin"
    await db.commit()
    org = await org_chart(db, world)
    # Sat 27 Mar 2027 23:30 CET (22:30 UTC); clocks go forward at 02:00 on Sunday the 28th.
    raised = datetime(2027, 3, 27, 22, 30, tzinfo=UTC)
    case = await open_case(db, world, org, make_customer, raised)
    level_2 = datetime(2027, 3, 28, 21, 30, tzinfo=UTC)  # Sun 23:30 CEST, 23 h later
    level_3 = datetime(2027, 3, 29, 21, 30, tzinfo=UTC)  # Mon 23:30 CEST, 24 h after that
    assert case.level_due_at == level_2

    assert await sweep_escalations(db, now=level_2 - SECOND) == 0
    assert await sweep_escalations(db, now=level_2) == 1
    await db.refresh(case)
    assert case.level == 2 and case.level_due_at == level_3
    assert await told(db, AlertKind.CASE_ESCALATED) == org.ids("delivery_manager")
    assert await sweep_escalations(db, now=level_3 - SECOND) == 0
    assert await sweep_escalations(db, now=level_3) == 1
    assert await told(db, AlertKind.CASE_ESCALATED) == org.ids("delivery_manager", "director")


async def test_in_berlin_over_the_autumn_change_a_level_is_25_hours(
    db: AsyncSession, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    world.stores["A"].time_zone = "Europe/Berlin"
    await db.commit()
    org = await org_chart(db, world)
    raised = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)  # Sat 10:00 CEST
    case = await open_case(db, world, org, make_customer, raised)
    assert case.level_due_at == raised + timedelta(hours=25)  # Sun 10:00 CET


async def test_a_case_found_late_rises_through_each_level_dated_as_each_ran_out(
    db: AsyncSession, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    org = await org_chart(db, world)
    case = await open_case(db, world, org, make_customer, clock.now())
    assert await sweep_escalations(db, now=clock.now() + timedelta(hours=50)) == 2
    await db.refresh(case)
    assert case.level == 3
    assert case.level_since == clock.now() + timedelta(hours=48)
    assert await escalations_on_timeline(db, case) == [
        clock.now() + timedelta(hours=24),
        clock.now() + timedelta(hours=48),
    ]
    held = ladder.held_time(await ladder.spells_of(db, case.id), clock.now() + timedelta(hours=50))
    assert [(h.level, h.department, h.user_id, h.seconds) for h in held] == [
        (1, Department.DELIVERY, org.delivery_supervisor.id, 24 * 3600),
        (2, Department.DELIVERY, org.delivery_manager.id, 24 * 3600),
        (3, Department.MANAGEMENT, org.director.id, 2 * 3600),
    ]


async def test_a_closed_case_does_not_escalate(
    db: AsyncSession, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    org = await org_chart(db, world)
    case = await open_case(db, world, org, make_customer, clock.now())
    await lifecycle.close_case(
        db,
        org.delivery_supervisor,
        case.id,
        resolution="办好了",
        confirmed_by="张伟",
        confirmed_via=ConfirmationChannel.PHONE,
        expected_version=case.version,
        now=clock.now(),
    )
    await db.commit()
    assert await sweep_escalations(db, now=clock.now() + timedelta(days=3)) == 0


async def test_two_sweeps_on_one_database_raise_each_level_exactly_once(
    db: AsyncSession,
    engine: AsyncEngine,
    world: World,
    clock: ManualClock,
    make_customer: MakeCustomer,
) -> None:
    org = await org_chart(db, world)
    opened = [await open_case(db, world, org, make_customer, clock.now()) for _ in range(6)]
    # A second replica: its own engine and connection pool on the same database.
    other = create_engine(engine.url.render_as_string(hide_password=False))
    mine, theirs = create_sessionmaker(engine), create_sessionmaker(other)

    async def sweep(sessions: async_sessionmaker[AsyncSession], moment: datetime) -> int:
        async with sessions() as session:
            return await sweep_escalations(session, now=moment)

    try:
        for hours in (24, 48):
            moment = clock.now() + timedelta(hours=hours)
            rises = await asyncio.gather(sweep(mine, moment), sweep(theirs, moment))
            assert sum(rises) == len(opened)
    finally:
        await other.dispose()
    db.expire_all()
    levels = await db.scalars(select(models.Case.level))
    assert set(levels) == {3}
    timeline = await db.scalar(
        select(func.count()).where(models.TimelineEvent.kind == "case_escalated")
    )
    assert timeline == 2 * len(opened)
    spells = await db.scalar(select(func.count()).select_from(models.CaseSpell))
    assert spells == 3 * len(opened)
    escalated = await db.scalar(
        select(func.count()).where(models.Alert.kind == AlertKind.CASE_ESCALATED)
    )
    assert escalated == 2 * len(opened)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_only_the_last_level_has_no_deadline(level: int) -> None:
    since = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)  # 00:30 in Shanghai
    deadline = ladder.next_deadline(level, since, StoreClock("Asia/Shanghai"))
    assert deadline == (None if level == 3 else since + timedelta(days=1))


async def test_a_department_brought_in_at_level_2_has_its_manager_join_the_level(
    db: AsyncSession, world: World, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    org = await org_chart(db, world)
    case = await open_case(db, world, org, make_customer, clock.now())
    await sweep_escalations(db, now=clock.now() + timedelta(days=1))
    await bring_in_collaborator(
        db,
        org.delivery_supervisor,
        case.id,
        department=Department.SERVICE,
        user_id=None,
        now=clock.now() + timedelta(days=1, hours=2),
    )
    await db.commit()
    open_spells = {
        (s.level, s.user_id) for s in await ladder.spells_of(db, case.id) if s.ended_at is None
    }
    assert open_spells == {(2, org.delivery_manager.id), (2, org.service_manager.id)}
