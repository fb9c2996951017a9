"""The handover gate, its completion, and the briefs and care cadence it sets off."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import orders, promises
from baton.domain.errors import RuleViolation
from baton.domain.journeys import handover
from baton.texts import Reader
from tests.conftest import AsUser
from tests.support.counts import row_counts
from tests.support.orders import HANDOVER, OrderRecord, sign, submitted, tasks_by_kind
from tests.support.texts import task_subject

MakeOrder = Callable[..., Awaitable[OrderRecord]]
S = models.PromiseStatus


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
    first = refused.value.reasons[0]
    assert "全车脚垫" in Reader("zh-CN", "Asia/Shanghai").say(first.key, first.params)
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
