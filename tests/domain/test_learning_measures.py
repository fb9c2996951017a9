"""Capability 4's measures: delivery training at handover, topics mastered by day 30, and
the skips nobody checked ("I know Autopilot" taken on trust)."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import measures
from baton.domain.errors import Forbidden, NotFound
from tests.conftest import AsUser
from tests.support.learning import catalogue, teach
from tests.support.records import Record
from tests.support.world import World

MakeCustomer = Callable[..., Awaitable[Record]]


async def _handed_over(
    db: AsyncSession, as_user: AsUser, record: Record, clock: ManualClock, days_ago: int
) -> None:
    sales = await as_user("sales_consultant")
    delivery = await as_user("delivery_specialist")
    order = models.Order(
        customer_id=record.customer.id,
        sales_consultant_id=sales.id,
        model_name="Model 3",
        status=models.OrderStatus.DELIVERED,
        created_at=clock.now() - timedelta(days=days_ago + 10),
    )
    db.add(order)
    await db.flush()
    db.add(
        models.Delivery(
            order_id=order.id,
            customer_id=record.customer.id,
            delivery_specialist_id=delivery.id,
            status=models.DeliveryStatus.COMPLETED,
            completed_at=clock.now() - timedelta(days=days_ago),
        )
    )
    await db.commit()


async def test_delivery_training_share_and_topics_mastered_within_30_days(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    delivery = await as_user("delivery_specialist")
    manager = await as_user("store_manager")
    trained = await make_customer(name="甲")
    untrained = await make_customer(name="乙")
    recent = await make_customer(name="丙")
    for record, days in ((trained, 50), (untrained, 45), (recent, 10)):
        await _handed_over(db, as_user, record, clock, days)
    handover = clock.now() - timedelta(days=50)
    await teach(
        db,
        delivery,
        trained.customer.id,
        clock.now(),
        taught={found["app_and_key_card"]: "mastered", found["home_charging"]: "practised"},
        taught_at=handover,
    )
    # Mastered on day 35: too late to count for day 30.
    await teach(
        db,
        delivery,
        trained.customer.id,
        clock.now(),
        kind="ad_hoc",
        taught={found["home_charging"]: "mastered"},
        taught_at=handover + timedelta(days=35),
    )
    await teach(db, delivery, recent.customer.id, clock.now(), taught={found["summon"]: "mastered"})
    start, end = (clock.now() - timedelta(days=60)).date(), clock.now().date()
    share = await measures.delivery_training_share(db, manager, world.stores["A"].id, start, end)
    assert (share.due, share.on_time) == (3, 2)
    by_30 = await measures.topics_mastered_by_day_30(
        db, manager, world.stores["A"].id, start, end, now=clock.now()
    )
    # The customer handed over 10 days ago is not counted yet: their 30 days are still open.
    assert (by_30.customers, by_30.topics_mastered, by_30.per_customer) == (2, 1, 0.5)


async def test_skips_count_until_someone_teaches_the_topic(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    delivery = await as_user("delivery_specialist")
    manager = await as_user("store_manager")
    parking, summon = found["automatic_parking"], found["summon"]
    first, second = await make_customer(name="甲"), await make_customer(name="乙")
    for record in (first, second):
        await teach(db, delivery, record.customer.id, clock.now(), skipped={parking: "knows_it"})
    await teach(db, delivery, first.customer.id, clock.now(), skipped={summon: "declined"})
    found_skips = await measures.unconfirmed_skips(db, manager, world.stores["A"].id)
    assert [(s.topic.code, s.customers) for s in found_skips] == [
        ("automatic_parking", 2),
        ("summon", 1),
    ]
    await teach(db, delivery, first.customer.id, clock.now(), taught={parking: "introduced"})
    found_skips = await measures.unconfirmed_skips(db, manager, world.stores["A"].id)
    assert [(s.topic.code, s.customers) for s in found_skips] == [
        ("automatic_parking", 1),
        ("summon", 1),
    ]


async def test_learning_measures_are_for_managers_of_the_store(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    manager_b = await as_user("store_manager", store="B")
    day = clock.now().date()
    with pytest.raises(Forbidden):
        await measures.unconfirmed_skips(db, advisor, world.stores["A"].id)
    with pytest.raises(Forbidden):
        await measures.delivery_training_share(db, advisor, world.stores["A"].id, day, day)
    with pytest.raises(NotFound):
        await measures.unconfirmed_skips(db, manager_b, world.stores["A"].id)
