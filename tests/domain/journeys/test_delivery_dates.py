"""Delivery date changes: sales and delivery told, T-x tasks moved, manager approval when the
customer has an active special circumstance."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import customers
from baton.domain.errors import Forbidden
from baton.domain.journeys import delivery_dates
from tests.conftest import AsUser
from tests.support.orders import HANDOVER, OrderRecord, submitted, tasks_by_kind
from tests.support.texts import timeline_summary

MakeOrder = Callable[..., Awaitable[OrderRecord]]


async def test_new_date_moves_the_t_minus_tasks_and_tells_delivery(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    change = await delivery_dates.reschedule_delivery(
        db,
        record.sales,
        order.id,
        new_date=record.today(clock) + timedelta(days=21),
        customer_told=True,
        customer_told_how="电话",
        reason="车辆到港延迟",
        expected_version=order.version,
        now=clock.now(),
    )
    await db.commit()
    assert change.status is models.DateChangeStatus.APPLIED
    later = HANDOVER + timedelta(days=7)
    found = await tasks_by_kind(db, order.id)
    assert found["pre_delivery_care_call"].due_at == later - timedelta(days=7)
    assert found["three_party_confirmation"].due_at == later - timedelta(hours=72)
    assert found["prepare_promised_items"].due_at == later - timedelta(days=3)
    delivery = await as_user("delivery_specialist")
    assert found["delivery_date_changed"].assignee_id == delivery.id
    event = await db.scalar(
        select(models.TimelineEvent).where(models.TimelineEvent.kind == "delivery_date_changed")
    )
    assert event is not None and "已告知客户（电话）" in timeline_summary(event)


async def test_change_for_customer_with_special_circumstance_waits_for_the_manager(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    manager = await as_user("store_manager")
    await customers.record_special_circumstance(
        db,
        record.sales,
        record.customer.id,
        kind=models.CircumstanceKind.SOLD_OLD_CAR,
        note="旧车已卖",
        starts_on=record.today(clock),
        ends_on=None,
        now=clock.now(),
    )
    await db.commit()
    planned = order.planned_delivery_date
    new_date = record.today(clock) + timedelta(days=20)
    change = await delivery_dates.reschedule_delivery(
        db,
        record.sales,
        order.id,
        new_date=new_date,
        customer_told=False,
        customer_told_how="",
        reason="",
        expected_version=order.version,
        now=clock.now(),
    )
    await db.commit()
    assert change.status is models.DateChangeStatus.PENDING_APPROVAL
    assert order.planned_delivery_date == planned
    manager = await as_user("store_manager")
    approval = (await tasks_by_kind(db, order.id))["approve_delivery_date_change"]
    assert approval.assignee_id == manager.id
    with pytest.raises(Forbidden):
        await delivery_dates.decide_date_change(
            db, record.sales, change.id, approve=True, note="", expected_version=1, now=clock.now()
        )
    await delivery_dates.decide_date_change(
        db,
        manager,
        change.id,
        approve=True,
        note="",
        expected_version=change.version,
        now=clock.now(),
    )
    await db.commit()
    assert (change.status, change.decided_by_id) == (models.DateChangeStatus.APPROVED, manager.id)
    assert order.planned_delivery_date == new_date
    assert approval.state is models.TaskState.DONE


async def test_rejected_change_keeps_the_date(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    manager = await as_user("store_manager")
    await customers.record_special_circumstance(
        db,
        record.sales,
        record.customer.id,
        kind=models.CircumstanceKind.TOOK_LEAVE,
        note="",
        starts_on=record.today(clock),
        ends_on=None,
        now=clock.now(),
    )
    planned = order.planned_delivery_date
    change = await delivery_dates.reschedule_delivery(
        db,
        record.sales,
        order.id,
        new_date=record.today(clock) + timedelta(days=20),
        customer_told=True,
        customer_told_how="微信",
        reason="",
        expected_version=order.version,
        now=clock.now(),
    )
    manager = await as_user("store_manager")
    await delivery_dates.decide_date_change(
        db,
        manager,
        change.id,
        approve=False,
        note="客户已请假，不能改",
        expected_version=change.version,
        now=clock.now(),
    )
    await db.commit()
    assert change.status is models.DateChangeStatus.REJECTED
    assert order.planned_delivery_date == planned
