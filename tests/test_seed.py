"""The demo seed: realistic, deterministic, loaded once."""

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.domain.vin import normalise_vin
from baton.seed import CUSTOMERS_PER_STORE, STAFF, seed_demo
from baton.seed_orders import PLANS as CHECKLIST_PLANS

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


async def test_demo_seed_loads_staff_for_every_role_and_valid_customers_once(
    db: AsyncSession,
) -> None:
    logins = await seed_demo(db, now=NOW)
    assert {role for _, role, _ in logins} == {role.value for role in models.Role}
    assert await db.scalar(select(func.count()).select_from(models.Customer)) == (
        2 * (CUSTOMERS_PER_STORE + len(CHECKLIST_PLANS))
    )
    for vin in await db.scalars(select(models.Vehicle.vin)):
        assert normalise_vin(vin) == vin
    names = list(await db.scalars(select(models.Customer.name).order_by(models.Customer.id)))
    assert all("\u4e00" <= name[0] <= "\u9fff" for name in names)
    assert await db.scalar(select(func.count()).select_from(models.SpecialCircumstance)), (
        "some customers should be high priority"
    )
    assert await seed_demo(db, now=NOW) == []
    assert len(logins) == len(STAFF)


async def test_demo_seed_is_deterministic(db: AsyncSession, tmp_path: object) -> None:
    from baton.db.engine import create_engine, create_sessionmaker

    await seed_demo(db, now=NOW)
    first = list(await db.scalars(select(models.Vehicle.vin).order_by(models.Vehicle.id)))
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/again.db")
    async with engine.begin() as connection:
        await connection.run_sync(models.Base.metadata.create_all)
    async with create_sessionmaker(engine)() as again:
        await seed_demo(again, now=NOW)
        second = list(await again.scalars(select(models.Vehicle.vin).order_by(models.Vehicle.id)))
    await engine.dispose()
    assert first == second


async def test_demo_seed_has_an_order_in_each_checklist_state(db: AsyncSession) -> None:
    await seed_demo(db, now=NOW)
    statuses = sorted(
        await db.scalars(select(models.Order.status).where(models.Order.checklist_version >= 1))
    )
    blocked = await db.scalar(
        select(func.count())
        .select_from(models.Promise)
        .join(models.Order, models.Order.id == models.Promise.order_id)
        .where(
            models.Order.status == models.OrderStatus.SUBMITTED,
            models.Order.planned_delivery_date <= NOW.date(),
            models.Promise.due == models.PromiseDue.AT_HANDOVER,
            models.Promise.status == models.PromiseStatus.PENDING,
        )
    )
    signed = await db.scalar(select(func.count()).select_from(models.ChecklistSignature))
    assert models.OrderStatus.DRAFT in statuses and models.OrderStatus.DELIVERED in statuses
    assert blocked == 2  # one per store, its handover refused while the floor mats are owed
    assert signed == 2 * 3


async def test_demo_customers_have_learning_archives_with_automatic_parking_skipped(
    db: AsyncSession,
) -> None:
    await seed_demo(db, now=NOW)
    kinds = set(await db.scalars(select(models.TeachingSession.kind)))
    assert kinds == {
        models.TeachingKind.DELIVERY_TRAINING,
        models.TeachingKind.FIRST_SERVICE_TRAINING,
    }
    skipped = await db.scalars(
        select(models.LearningTopic.code)
        .join(models.TeachingEntry, models.TeachingEntry.topic_id == models.LearningTopic.id)
        .where(models.TeachingEntry.level.is_(None))
    )
    assert set(skipped) == {"automatic_parking"}
    assert all(at <= NOW for at in await db.scalars(select(models.TeachingSession.taught_at))), (
        "sessions lie in the past"
    )
