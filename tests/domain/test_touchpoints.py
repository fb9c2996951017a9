"""Touchpoints: 33 steps in four stages, 18 across departments; managers edit owners, audited."""

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.db.models import Department, JourneyStage
from baton.domain.cases import touchpoints
from baton.domain.errors import Forbidden, NotFound, ValidationFailed
from tests.support.cases import org_chart, touchpoint
from tests.support.world import World


async def test_a_store_journey_has_33_touchpoints_in_four_stages_18_across_departments(
    db: AsyncSession, world: World
) -> None:
    rows = await touchpoints.set_up_journey(db, world.stores["A"].id)
    assert [tp.number for tp in rows] == list(range(1, 34))
    assert Counter(tp.stage for tp in rows) == {
        JourneyStage.PURCHASE: 8,
        JourneyStage.DELIVERY: 8,
        JourneyStage.USAGE: 8,
        JourneyStage.RENEWAL: 9,
    }
    assert sum(tp.cross_department for tp in rows) == 18
    assert all(bool(tp.collaborating_departments) == tp.cross_department for tp in rows)
    again = await touchpoints.set_up_journey(db, world.stores["A"].id)
    assert [tp.id for tp in again] == [tp.id for tp in rows]


async def test_a_store_manager_names_an_owner_and_the_change_is_audited(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    org = await org_chart(db, world)
    point_id = await touchpoint(db, world, "temporary_plate")
    point = await touchpoints.set_touchpoint_owners(
        db,
        org.store_manager,
        point_id,
        owner_department=Department.DELIVERY,
        collaborating_departments=[Department.SALES, Department.SERVICE],
        owner_id=org.delivery.id,
        expected_version=1,
        now=clock.now(),
    )
    await db.commit()
    assert point.owner_id == org.delivery.id
    assert point.collaborating_departments == ["sales", "service"]
    entry = await db.scalar(
        select(models.AuditEntry).where(models.AuditEntry.action == "set_touchpoint_owners")
    )
    assert entry is not None and entry.entity_id == point_id
    assert entry.changes["before"]["owner_id"] is None
    assert entry.changes["after"]["owner_id"] == org.delivery.id


async def test_only_a_manager_edits_owners_and_the_owner_works_in_the_owner_department(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    org = await org_chart(db, world)
    point_id = await touchpoint(db, world, "temporary_plate")
    with pytest.raises(Forbidden):
        await touchpoints.set_touchpoint_owners(
            db,
            org.sales,
            point_id,
            owner_department=Department.SALES,
            collaborating_departments=[],
            owner_id=None,
            expected_version=1,
            now=clock.now(),
        )
    with pytest.raises(ValidationFailed) as refused:
        await touchpoints.set_touchpoint_owners(
            db,
            org.store_manager,
            point_id,
            owner_department=Department.DELIVERY,
            collaborating_departments=[Department.DELIVERY],
            owner_id=org.sales.id,
            expected_version=1,
            now=clock.now(),
        )
    assert {p.path for p in refused.value.problems} == {
        "input.collaboratingDepartments.0",
        "input.ownerId",
    }


async def test_another_stores_journey_is_not_found(
    db: AsyncSession, world: World, clock: ManualClock
) -> None:
    org = await org_chart(db, world)
    await org_chart(db, world, "B")
    with pytest.raises(NotFound):
        await touchpoints.journey_map(db, org.sales, world.stores["B"].id)
    with pytest.raises(NotFound):
        await touchpoints.set_touchpoint_owners(
            db,
            org.store_manager,
            await touchpoint(db, world, "order", store="B"),
            owner_department=Department.SALES,
            collaborating_departments=[],
            owner_id=None,
            expected_version=1,
            now=clock.now(),
        )
    rows = await touchpoints.journey_map(db, org.sales, world.stores["A"].id)
    assert len(rows) == 33 and all(row.open_cases == 0 for row in rows)
