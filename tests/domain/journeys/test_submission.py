"""Submitting an order: the signed checklist is the gate, and the hot handover starts."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.errors import RuleViolation
from baton.domain.journeys import submission
from tests.conftest import AsUser
from tests.support.counts import row_counts
from tests.support.orders import HANDOVER, OrderRecord, submitted, tasks_by_kind
from tests.support.texts import subject_now

MakeOrder = Callable[..., Awaitable[OrderRecord]]
S = models.PromiseStatus


async def test_order_cannot_be_submitted_without_a_signed_current_list(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=2)
    delivery = await as_user("delivery_specialist")
    before = await row_counts(db)
    with pytest.raises(RuleViolation) as refused:
        await submission.submit_order(
            db,
            record.sales,
            record.order.id,
            delivery_specialist_id=delivery.id,
            expected_version=record.order.version,
            now=clock.now(),
        )
    assert [r.code for r in refused.value.reasons] == ["checklist_unsigned"]
    await db.rollback()
    assert await row_counts(db) == before


async def test_submit_sets_off_briefing_intro_and_pre_delivery_tasks_with_owners_and_deadlines(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=3)
    order = await submitted(db, record, as_user, clock)
    delivery = await as_user("delivery_specialist")
    found = await tasks_by_kind(db, order.id)
    now = clock.now()
    expected = {
        "brief_delivery": (record.sales.id, now + timedelta(hours=24)),
        "three_way_intro": (delivery.id, now + timedelta(days=3)),
        "pre_delivery_care_call": (record.sales.id, HANDOVER - timedelta(days=7)),
        "three_party_confirmation": (delivery.id, HANDOVER - timedelta(hours=72)),
        "prepare_promised_items": (delivery.id, HANDOVER - timedelta(days=3)),
    }
    assert {k: (t.assignee_id, t.due_at) for k, t in found.items()} == expected
    # The entitlement is used at service visits, not prepared for the handover.
    assert (await subject_now(db, found["prepare_promised_items"])).endswith(
        "全车脚垫；家用充电桩安装"
    )
    assert order.status is models.OrderStatus.SUBMITTED
