"""The demo seed: realistic, deterministic, loaded once.

Seeding runs the real rules and takes seconds (tens on PostgreSQL), so the tests that read the
demo share one seeded database per kind and each works on a copy of it (`demo`)."""

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.engine import create_engine, create_sessionmaker
from baton.demo import seed_demo
from baton.demo.orders import PLANS as CHECKLIST_PLANS
from baton.demo.people import CUSTOMERS_PER_STORE, STAFF
from baton.domain.vin import normalise_vin
from tests.support.databases import DATABASES, create_schema, on_postgres_server, run_apart

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


async def _seed(url: str) -> None:
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        await seed_demo(session, now=NOW)
        await session.commit()
    await engine.dispose()


@pytest.fixture(scope="module")
def seeded_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    run_apart(_seed(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="module")
def seeded_postgres(postgres_url: str) -> Iterator[str]:
    """A database of its own holding the demo: the template each test's copy is made from."""
    name = f"{make_url(postgres_url).database}_demo"
    run_apart(on_postgres_server(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        run_apart(create_schema(url))
        run_apart(_seed(url))
        yield name
    finally:
        run_apart(on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=DATABASES)
async def demo(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncSession]:
    """A session on a fresh copy of a database the demo was seeded into at NOW."""
    if request.param == "sqlite":
        path = tmp_path / "demo.db"
        shutil.copy(request.getfixturevalue("seeded_sqlite"), path)
        url, copy = f"sqlite+aiosqlite:///{path}", None
    else:
        template = request.getfixturevalue("seeded_postgres")
        copy = f"{template}_{uuid.uuid4().hex[:8]}"
        await on_postgres_server(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
        server = make_url(request.getfixturevalue("postgres_url"))
        url = server.set(database=copy).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()
        if copy is not None:
            await on_postgres_server(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


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


async def test_demo_seed_is_deterministic(demo: AsyncSession, tmp_path: Path) -> None:
    first = list(await demo.scalars(select(models.Vehicle.vin).order_by(models.Vehicle.id)))
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/again.db")
    async with engine.begin() as connection:
        await connection.run_sync(models.Base.metadata.create_all)
    async with create_sessionmaker(engine)() as again:
        await seed_demo(again, now=NOW)
        second = list(await again.scalars(select(models.Vehicle.vin).order_by(models.Vehicle.id)))
    await engine.dispose()
    assert first and first == second


async def test_demo_seed_has_an_order_in_each_checklist_state(demo: AsyncSession) -> None:
    statuses = sorted(
        await demo.scalars(select(models.Order.status).where(models.Order.checklist_version >= 1))
    )
    blocked = await demo.scalar(
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
    signed = await demo.scalar(select(func.count()).select_from(models.ChecklistSignature))
    assert models.OrderStatus.DRAFT in statuses and models.OrderStatus.DELIVERED in statuses
    assert blocked == 2  # one per store, its handover refused while the floor mats are owed
    assert signed == 2 * 3


async def test_demo_cases_raised_30_and_50_hours_ago_sit_at_levels_2_and_3_with_alerts(
    demo: AsyncSession,
) -> None:
    store = await demo.scalar(select(models.Store).where(models.Store.code == "SH-PD"))
    assert store is not None
    open_cases = list(
        await demo.scalars(
            select(models.Case)
            .where(models.Case.store_id == store.id, models.Case.state == models.CaseState.OPEN)
            .order_by(models.Case.created_at.desc())
        )
    )
    assert [(NOW - c.created_at).total_seconds() / 3600 for c in open_cases] == [3, 30, 50]
    assert [c.level for c in open_cases] == [1, 2, 3]
    users = {u.id: u.username for u in await demo.scalars(select(models.User))}
    told = {
        (a.subject_id, users[a.user_id])
        for a in await demo.scalars(
            select(models.Alert).where(models.Alert.kind == models.AlertKind.CASE_ESCALATED)
        )
    }
    assert (open_cases[1].id, "delivery.mgr.a") in told
    assert (open_cases[1].id, "service.mgr.a") in told
    assert (open_cases[2].id, "director") in told
    closed = list(
        await demo.scalars(
            select(models.Case.resolved_level).where(
                models.Case.store_id == store.id, models.Case.state == models.CaseState.CLOSED
            )
        )
    )
    assert sorted(closed) == [1, 1, 1, 1, 2, 3]


async def test_the_measures_of_the_demo_cases(demo: AsyncSession) -> None:
    from datetime import timedelta

    from baton.domain import measures
    from baton.domain.access import load_actor

    director = await demo.scalar(select(models.User).where(models.User.username == "director"))
    store = await demo.scalar(select(models.Store).where(models.Store.code == "SH-PD"))
    assert director is not None and store is not None
    actor = await load_actor(demo, director)
    today = (NOW + timedelta(hours=8)).date()
    found = await measures.case_measures(
        demo, actor, store.id, today - timedelta(days=30), today, now=NOW
    )
    assert found.raised == 9
    assert found.resolved_at_level == {1: 4, 2: 1, 3: 1}
    assert found.median_hours_to_resolve == 28.0
    assert found.reopen_rate == 1 / 6
    assert found.bounce_attempts_refused == 1
    region = await measures.case_measures(
        demo, actor, None, today - timedelta(days=30), today, now=NOW
    )
    assert region.raised == 18


async def test_demo_customers_have_learning_archives_with_automatic_parking_skipped(
    demo: AsyncSession,
) -> None:
    kinds = set(await demo.scalars(select(models.TeachingSession.kind)))
    assert kinds == {
        models.TeachingKind.DELIVERY_TRAINING,
        models.TeachingKind.FIRST_SERVICE_TRAINING,
    }
    skipped = await demo.scalars(
        select(models.LearningTopic.code)
        .join(models.TeachingEntry, models.TeachingEntry.topic_id == models.LearningTopic.id)
        .where(models.TeachingEntry.level.is_(None))
    )
    assert set(skipped) == {"automatic_parking"}
    assert all(at <= NOW for at in await demo.scalars(select(models.TeachingSession.taught_at))), (
        "sessions lie in the past"
    )


async def test_demo_cars_settle_last_month_and_the_saturday_loaner_can_be_preempted(
    demo: AsyncSession,
) -> None:
    from datetime import date

    from baton.domain.access import load_actor
    from baton.domain.cars.settlement import monthly_statement
    from baton.domain.journeys.cars.preemption import preempt_booking

    manager = await demo.scalar(select(models.User).where(models.User.username == "manager.a"))
    sales = await demo.scalar(select(models.User).where(models.User.username == "sales.a"))
    assert manager is not None and sales is not None
    actor = await load_actor(demo, manager)
    statement = await monthly_statement(
        demo, actor, manager.store_id or 0, date(2026, 10, 1), now=NOW
    )
    assert statement.usage_total_yuan == 4000
    assert statement.service_pays_sales_yuan == 4000 + 800 - 300
    assert statement.loaner_fulfilment == pytest.approx(0.9, abs=0.02)
    assert 0.3 < statement.utilisation < 0.9
    saturday_loaner = await demo.scalar(
        select(models.CarBooking).where(
            models.CarBooking.store_id == manager.store_id,
            models.CarBooking.department == models.BookingDepartment.SERVICE,
            models.CarBooking.status == models.BookingStatus.BOOKED,
        )
    )
    assert saturday_loaner is not None
    taken = await preempt_booking(
        demo,
        await load_actor(demo, sales),
        saturday_loaner.car_id,
        starts_at=saturday_loaner.starts_at,
        ends_at=saturday_loaner.ends_at,
        reason="VIP 试驾",
        now=NOW,
    )
    assert taken.id and saturday_loaner.status is models.BookingStatus.BOOKED
    assert saturday_loaner.car_id != taken.car_id
