"""One customer from order to first service: every promise followed to the end."""

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import measures, promises, tasks
from baton.domain.entitlements import usable_entitlements
from baton.domain.errors import RuleViolation
from baton.domain.journeys import check_in, entitlement_use, handover
from tests.conftest import AsUser
from tests.support.orders import HANDOVER, OrderRecord, sign, submitted, tasks_by_kind

MakeOrder = Callable[..., Awaitable[OrderRecord]]
S = models.PromiseStatus


async def test_order_to_first_service_walks_every_promise_and_leaves_the_timeline(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=3)
    mats, _charger, free_services = record.promises
    delivery = await as_user("delivery_specialist")
    advisor = await as_user("service_advisor")
    order = await submitted(db, record, as_user, clock)
    due = await tasks_by_kind(db, order.id)
    assert due["pre_delivery_care_call"].due_at == HANDOVER - timedelta(days=7)
    assert due["prepare_promised_items"].due_at == HANDOVER - timedelta(days=3)
    assert due["three_party_confirmation"].due_at == HANDOVER - timedelta(hours=72)

    clock.set(HANDOVER - timedelta(days=7))
    care = due["pre_delivery_care_call"]
    await tasks.complete_task(
        db,
        record.sales,
        care.id,
        outcome="已致电",
        note="",
        expected_version=care.version,
        now=clock.now(),
    )
    clock.set(HANDOVER)
    with pytest.raises(RuleViolation) as refused:
        await handover.complete_handover(
            db,
            delivery,
            order.id,
            expected_version=order.version,
            customer_issues="",
            now=clock.now(),
        )
    assert [(r.code, r.subject_id) for r in refused.value.reasons] == [
        ("promise_open", f"Promise:{mats.id}")
    ]

    await promises.change_promise_status(
        db,
        delivery,
        mats.id,
        S.DEFERRED,
        expected_version=mats.version,
        deferred_to=date(2026, 12, 14),
        note="脚垫缺货，下周到店领取",
        now=clock.now(),
    )
    await sign(db, delivery, clock, order)
    await handover.complete_handover(
        db,
        delivery,
        order.id,
        expected_version=order.version,
        customer_issues="想了解自动泊车",
        now=clock.now(),
    )
    await db.commit()
    after = await tasks_by_kind(db, order.id)
    assert {k for k in after} >= {
        "brief_service_advisor",
        "welcome_callback",
        "sales_follow_up_call",
        "first_service_reminder",
    }

    clock.set(HANDOVER + timedelta(days=30))
    visit = await check_in.check_in_for_service(
        db,
        advisor,
        record.customer.id,
        vehicle_id=None,
        mileage_km=3000,
        complaint="首保",
        now=clock.now(),
    )
    usable = await usable_entitlements(db, [record.customer.id], date(2027, 1, 6))
    assert [p.id for p in usable] == [free_services.id]
    await entitlement_use.record_entitlement_use(
        db, advisor, visit.id, free_services.id, now=clock.now()
    )
    await db.commit()
    assert (free_services.entitlement_used, free_services.status) == (1, S.PARTIALLY_FULFILLED)
    with pytest.raises(RuleViolation) as twice:
        await entitlement_use.record_entitlement_use(
            db, advisor, visit.id, free_services.id, now=clock.now()
        )
    assert twice.value.reasons[0].code == "used_this_visit"

    kinds = list(
        await db.scalars(
            select(models.TimelineEvent.kind)
            .where(models.TimelineEvent.customer_id == record.customer.id)
            .order_by(models.TimelineEvent.at, models.TimelineEvent.id)
        )
    )
    assert kinds[kinds.index("order_created") :] == [
        "order_created",
        "promise_added",
        "promise_added",
        "promise_added",
        "checklist_signed",
        "order_submitted",
        "task_completed",
        "promise_status_changed",
        "checklist_signed",
        "handover_completed",
        "service_check_in",
        "entitlement_used",
    ]


async def test_entitlement_never_exceeds_its_count_nor_outlives_its_validity(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=0)
    advisor = await as_user("service_advisor")
    today = record.today(clock)
    two = await promises.add_promise(
        db,
        record.sales,
        record.order.id,
        promises.PromiseTerms(
            models.PromiseCategory.SERVICE_PACKAGE,
            "2次免费洗车",
            models.PromiseDue.ENTITLEMENT,
            entitlement_total=2,
            entitlement_valid_until=today + timedelta(days=60),
        ),
        now=clock.now(),
    )
    for _ in range(2):
        visit = await check_in.check_in_for_service(
            db,
            advisor,
            record.customer.id,
            vehicle_id=None,
            mileage_km=None,
            complaint="",
            now=clock.now(),
        )
        await entitlement_use.record_entitlement_use(db, advisor, visit.id, two.id, now=clock.now())
    assert two.status is S.FULFILLED
    visit = await check_in.check_in_for_service(
        db,
        advisor,
        record.customer.id,
        vehicle_id=None,
        mileage_km=None,
        complaint="",
        now=clock.now(),
    )
    with pytest.raises(RuleViolation) as used_up:
        await entitlement_use.record_entitlement_use(db, advisor, visit.id, two.id, now=clock.now())
    assert used_up.value.reasons[0].code == "not_usable"
    one = await promises.add_promise(
        db,
        record.sales,
        record.order.id,
        promises.PromiseTerms(
            models.PromiseCategory.SERVICE_PACKAGE,
            "1次免费四轮定位",
            models.PromiseDue.ENTITLEMENT,
            entitlement_total=1,
            entitlement_valid_until=today + timedelta(days=1),
        ),
        now=clock.now(),
    )
    clock.advance(timedelta(days=2))
    with pytest.raises(RuleViolation) as expired:
        await entitlement_use.record_entitlement_use(db, advisor, visit.id, one.id, now=clock.now())
    assert expired.value.reasons[0].code == "expired"


async def test_fulfilment_rate_counts_on_time_fulfilment_of_promises_due_in_the_period(
    db: AsyncSession, customer_with_order: MakeOrder, as_user: AsUser, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=0)
    today = record.today(clock)
    made = []
    for index in range(3):
        made.append(
            await promises.add_promise(
                db,
                record.sales,
                record.order.id,
                promises.PromiseTerms(
                    models.PromiseCategory.OTHER,
                    f"承诺{index}",
                    models.PromiseDue.BY_DATE,
                    due_on=today + timedelta(days=5),
                ),
                now=clock.now(),
            )
        )
    await promises.change_promise_status(
        db, record.sales, made[0].id, S.FULFILLED, expected_version=1, now=clock.now()
    )
    await promises.change_promise_status(
        db, record.sales, made[1].id, S.CANCELLED, expected_version=1, now=clock.now()
    )
    clock.advance(timedelta(days=10))
    await promises.change_promise_status(
        db, record.sales, made[2].id, S.FULFILLED, expected_version=1, now=clock.now()
    )
    await db.commit()
    manager = await as_user("store_manager")
    rate = await measures.promise_fulfilment_rate(
        db, manager, record.customer.store_id, today, today + timedelta(days=30)
    )
    assert (rate.due, rate.on_time, rate.rate) == (2, 1, 0.5)
    late = await tasks.create_task(
        db,
        store_id=record.customer.store_id,
        kind="welcome_callback",
        params={},
        assignee_id=manager.id,
        due_at=clock.now() - timedelta(hours=1),
        now=clock.now(),
    )
    await tasks.complete_task(
        db, manager, late.id, outcome="done", note="", expected_version=1, now=clock.now()
    )
    rates = await measures.task_on_time_rates(
        db, manager, record.customer.store_id, today, today + timedelta(days=30)
    )
    assert (rates["welcome_callback"].due, rates["welcome_callback"].on_time) == (1, 0)
