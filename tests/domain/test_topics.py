"""The topic catalogue: seeded per store in a suggested order; managers add, rename,
reorder and retire; a retired topic stays readable and is never offered again."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from baton.domain.learning import topics
from baton.texts import render
from tests.conftest import AsUser
from tests.support.counts import row_counts
from tests.support.learning import catalogue
from tests.support.world import World


async def test_each_store_starts_from_the_ev_catalogue_in_order_with_stage_and_department(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    codes = [code for code, _, _ in topics.DEFAULT_CATALOGUE]
    assert list(found) == codes
    assert [t.position for t in found.values()] == list(range(1, len(codes) + 1))
    parking = found["automatic_parking"]
    assert (parking.stage, parking.department) == (
        models.TopicStage.DELIVERY,
        models.Department.DELIVERY,
    )
    assert found["maintenance_intervals"].stage is models.TopicStage.FIRST_SERVICE
    assert found["winter_range"].stage is models.TopicStage.LATER
    # Seeding again adds nothing; store B has a catalogue of its own.
    again = await topics.seed_default_catalogue(db, world.stores["A"].id, now=clock.now())
    assert len(again) == len(codes)
    assert len(await catalogue(db, world.stores["B"], clock)) == len(codes)


async def test_a_seeded_topic_is_named_in_the_readers_language(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    text = topics.topic_text(found["automatic_parking"])
    assert isinstance(text, dict)
    assert render(text["key"], {}, "zh-CN", time_zone="Asia/Shanghai") == "自动泊车"
    assert render(text["key"], {}, "en", time_zone="Asia/Shanghai") == "Automatic parking"


async def test_a_manager_adds_a_topic_at_a_position_and_the_others_move_down(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    manager = await as_user("store_manager")
    added = await topics.add_topic(
        db,
        manager,
        world.stores["A"].id,
        topics.NewTopic(
            " V2L 外放电 ", models.TopicStage.FIRST_SERVICE, models.Department.SERVICE, 2
        ),
        now=clock.now(),
    )
    await db.commit()
    assert (added.name, added.position, added.code) == ("V2L 外放电", 2, None)
    assert topics.topic_text(added) == "V2L 外放电"
    assert found["home_charging"].position == 3
    listed = await topics.catalogue(db, manager, world.stores["A"].id)
    assert [t.position for t in listed] == list(range(1, len(listed) + 1))
    audit = await db.scalar(
        select(models.AuditEntry).where(models.AuditEntry.action == "add_topic")
    )
    assert audit is not None and audit.entity_id == added.id


async def test_a_manager_renames_and_moves_a_topic(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    manager = await as_user("store_manager")
    parking = found["automatic_parking"]
    await topics.rename_topic(
        db, manager, parking.id, version=parking.version, name="自动泊车与遥控泊车", now=clock.now()
    )
    await topics.move_topic(
        db, manager, parking.id, version=parking.version, position=1, now=clock.now()
    )
    await db.commit()
    listed = await topics.catalogue(db, manager, world.stores["A"].id)
    assert listed[0].id == parking.id
    assert topics.topic_text(listed[0]) == "自动泊车与遥控泊车"
    assert listed[1].code == "app_and_key_card"
    assert [t.position for t in listed] == list(range(1, len(listed) + 1))


async def test_a_retired_topic_stays_readable_but_leaves_the_active_catalogue(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    manager = await as_user("store_manager")
    summon = found["summon"]
    await topics.retire_topic(db, manager, summon.id, version=summon.version, now=clock.now())
    await db.commit()
    active = await topics.catalogue(db, manager, world.stores["A"].id)
    everything = await topics.catalogue(db, manager, world.stores["A"].id, include_retired=True)
    assert summon.id not in {t.id for t in active}
    assert summon.id in {t.id for t in everything}
    advisor = await as_user("service_advisor")
    assert (await topics.get_topic(db, advisor, summon.id)).retired_at == clock.now()


@pytest.mark.parametrize("role", ["service_advisor", "delivery_specialist", "technician", "parts"])
async def test_only_managers_manage_topics(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock, role: str
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    actor = await as_user(role)
    before = await row_counts(db)
    with pytest.raises(Forbidden):
        await topics.add_topic(
            db,
            actor,
            world.stores["A"].id,
            topics.NewTopic("x", models.TopicStage.LATER, models.Department.SERVICE),
            now=clock.now(),
        )
    with pytest.raises(Forbidden):
        await topics.retire_topic(
            db, actor, found["summon"].id, version=found["summon"].version, now=clock.now()
        )
    await db.rollback()
    assert await row_counts(db) == before


async def test_another_stores_manager_finds_no_topic_and_no_store(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    manager_b = await as_user("store_manager", store="B")
    with pytest.raises(NotFound) as refused:
        await topics.rename_topic(
            db, manager_b, found["summon"].id, version=1, name="x", now=clock.now()
        )
    assert refused.value.path == "input.id"
    with pytest.raises(NotFound):
        await topics.catalogue(db, manager_b, world.stores["A"].id)


async def test_a_stale_version_or_a_bad_name_changes_nothing(
    db: AsyncSession, world: World, as_user: AsUser, clock: ManualClock
) -> None:
    found = await catalogue(db, world.stores["A"], clock)
    manager = await as_user("store_manager")
    summon = found["summon"]
    with pytest.raises(Conflict):
        await topics.rename_topic(
            db, manager, summon.id, version=summon.version + 1, name="x", now=clock.now()
        )
    with pytest.raises(ValidationFailed) as refused:
        await topics.rename_topic(
            db, manager, summon.id, version=summon.version, name="长" * 101, now=clock.now()
        )
    assert refused.value.problems[0].path == "input.name"
    with pytest.raises(ValidationFailed) as refused:
        await topics.add_topic(
            db,
            manager,
            world.stores["A"].id,
            topics.NewTopic("  ", models.TopicStage.LATER, models.Department.SERVICE, 0),
            now=clock.now(),
        )
    assert {p.path for p in refused.value.problems} == {"input.name", "input.position"}
    await db.rollback()
    assert (await topics.get_topic(db, manager, summon.id)).name is None
