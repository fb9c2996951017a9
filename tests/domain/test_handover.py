"""Submit and handover gates, and the hot-handover / care-cadence tasks they set off."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import orders, promises
from baton.domain.journeys import handover, submission
from baton.domain.errors import RuleViolation
from tests.conftest import AsUser
from tests.support.counts import row_counts
from tests.support.orders import OrderRecord, sign
from tests.support.texts import subject_now, task_subject

MakeOrder = Callable[..., Awaitable[OrderRecord]]
S = models.PromiseStatus
# The handover of an order placed 2026-11-23 for 14 days later: 2026-12-07 10:00 Shanghai.
HANDOVER = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


async def submitted(
    db: AsyncSession, record: OrderRecord, as_user: AsUser, clock: ManualClock
) -> models.Order:
    delivery = await as_user("delivery_specialist")
    await sign(db, record.sales, clock, record.order)
    order = await submission.submit_order(
        db,
        record.sales,
        record.order.id,
        delivery_specialist_id=delivery.id,
        expected_version=record.order.version,
        now=clock.now(),
    )
    await db.commit()
    return order


async def tasks_by_kind(db: AsyncSession, order_id: int) -> dict[str, models.Task]:
    rows = await db.scalars(select(models.Task).where(models.Task.order_id == order_id))
    return {task.kind: task for task in rows}


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
    assert (await subject_now(db, found["prepare_promised_items"])).endswith("全车脚垫；家用充电桩安装")
    assert order.status is models.OrderStatus.SUBMITTED


async def test_handover_refused_while_promise_pending_names_each_open_promise(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    await promises.add_promise(
        db,
        record.sales,
        record.order.id,
        promises.PromiseTerms(models.PromiseCategory.OTHER, "贴膜", models.PromiseDue.AT_HANDOVER),
        now=clock.now(),
    )
    await db.commit()
    order = await submitted(db, record, as_user, clock)
    mats, film = await promises.promises_of_order(db, order.id)
    subjects = [f"Promise:{mats.id}", f"Promise:{film.id}"]
    await promises.change_promise_status(
        db, record.sales, film.id, S.PARTIALLY_FULFILLED, expected_version=1, now=clock.now()
    )
    await db.commit()
    delivery = await as_user("delivery_specialist")
    before = await row_counts(db)
    with pytest.raises(RuleViolation) as refused:
        await handover.complete_handover(
            db,
            delivery,
            order.id,
            expected_version=order.version,
            customer_issues="",
            now=clock.now(),
        )
    await db.rollback()
    assert [(r.code, r.subject_id) for r in refused.value.reasons] == [
        ("promise_open", subject) for subject in subjects
    ]
    assert "全车脚垫" in refused.value.reasons[0].message
    assert await row_counts(db) == before


async def test_deferral_without_the_customers_signature_still_blocks_the_handover(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    mats = record.promises[0]
    await promises.change_promise_status(
        db,
        record.sales,
        mats.id,
        S.DEFERRED,
        expected_version=mats.version,
        deferred_to=record.today(clock) + timedelta(days=30),
        now=clock.now(),
    )
    await db.commit()
    delivery = await as_user("delivery_specialist")
    with pytest.raises(RuleViolation) as refused:
        await handover.complete_handover(
            db,
            delivery,
            order.id,
            expected_version=order.version,
            customer_issues="",
            now=clock.now(),
        )
    assert [r.code for r in refused.value.reasons] == ["checklist_unsigned"]


async def test_signed_waiver_lets_the_handover_complete_recording_who_when_and_final_list(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    mats = record.promises[0]
    await promises.change_promise_status(
        db, record.sales, mats.id, S.WAIVED, expected_version=mats.version, now=clock.now()
    )
    await db.commit()
    final = await sign(db, record.sales, clock, order)
    delivery = await as_user("delivery_specialist")
    advisor = await as_user("service_advisor")
    clock.set(HANDOVER)
    await handover.complete_handover(
        db,
        delivery,
        order.id,
        expected_version=order.version,
        customer_issues="车机蓝牙连不上",
        now=clock.now(),
    )
    await db.commit()
    handed = await orders.delivery_of(db, order)
    assert handed is not None
    assert (
        handed.status,
        handed.completed_by_id,
        handed.completed_at,
        handed.final_signature_id,
    ) == (models.DeliveryStatus.COMPLETED, delivery.id, HANDOVER, final.id)
    assert order.status is models.OrderStatus.DELIVERED
    found = await tasks_by_kind(db, order.id)
    assert {k: (found[k].assignee_id, found[k].due_at) for k in handover_tasks} == {
        "brief_service_advisor": (delivery.id, HANDOVER + timedelta(hours=24)),
        "welcome_callback": (advisor.id, HANDOVER + timedelta(days=3)),
        "sales_follow_up_call": (record.sales.id, HANDOVER + timedelta(days=3)),
        # First service 90 days after the handover, reminder 3 days before it.
        "first_service_reminder": (record.sales.id, HANDOVER + timedelta(days=87)),
    }
    assert "车机蓝牙连不上" in task_subject(found["brief_service_advisor"])


handover_tasks = (
    "brief_service_advisor",
    "welcome_callback",
    "sales_follow_up_call",
    "first_service_reminder",
)


async def test_brief_fields_are_kept_and_complete_the_briefing_task(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=1)
    order = await submitted(db, record, as_user, clock)
    brief = await handover.write_brief(
        db,
        record.sales,
        order.id,
        models.BriefKind.SALES_TO_DELIVERY,
        handover.BriefFields(personality="爽快", special_needs="带婴儿座椅", concerns="续航"),
        now=clock.now(),
    )
    await db.commit()
    assert (brief.personality, brief.special_needs, brief.concerns) == (
        "爽快",
        "带婴儿座椅",
        "续航",
    )
    task = (await tasks_by_kind(db, order.id))["brief_delivery"]
    assert (task.state, task.outcome) == (models.TaskState.DONE, "brief_written")
