"""Demo orders through the promise checklist (承诺清单), one per state a new user should see:
unsigned, signed, blocked at handover by an open promise, and delivered. Built with the real
domain functions, so their tasks and timeline are what production would write."""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models import PromiseCategory, PromiseDue, PromiseStatus, Role
from baton.domain import orders, promises
from baton.domain.access import load_actor
from baton.domain.journeys import handover, signing, submission
from baton.domain.stores import clock_of

STROKES = "[[[12,40,0],[30,22,40],[52,44,80],[70,20,120]],[[80,30,300],[96,34,340]]]"
PLANS = [
    ("赵一鸣", "unsigned", 20),
    ("钱晓红", "signed", 12),
    ("孙立新", "blocked", 0),
    ("李慧敏", "delivered", 0),
]


def _terms(today_plus: datetime) -> list[promises.PromiseTerms]:
    day = today_plus.date()
    return [
        promises.PromiseTerms(
            PromiseCategory.GIFT_ACCESSORY, "全车脚垫与后备箱垫", PromiseDue.AT_HANDOVER
        ),
        promises.PromiseTerms(
            PromiseCategory.VEHICLE_CONFIGURATION,
            "家用充电桩上门安装",
            PromiseDue.BY_DATE,
            due_on=day + timedelta(days=30),
        ),
        promises.PromiseTerms(
            PromiseCategory.SERVICE_PACKAGE,
            "3年内6次免费保养",
            PromiseDue.ENTITLEMENT,
            entitlement_total=6,
            entitlement_valid_until=day + timedelta(days=3 * 365),
        ),
    ]


async def seed_orders(
    session: AsyncSession,
    store: models.Store,
    staff: dict[Role, models.User],
    customers: list[models.Customer],
    now: datetime,
) -> None:
    sales = await load_actor(session, staff[Role.SALES_CONSULTANT])
    delivery = await load_actor(session, staff[Role.DELIVERY_SPECIALIST])
    today = clock_of(store).today(now)
    for (label, state, days), customer in zip(PLANS, customers, strict=False):
        order = await orders.create_order(
            session,
            sales,
            customer.id,
            model_name=f"Model Y 长续航（{label}）",
            planned_delivery_date=today + timedelta(days=days),
            vehicle_id=None,
            now=now,
        )
        made = [
            await promises.add_promise(session, sales, order.id, terms, now=now)
            for terms in _terms(now)
        ]
        if state == "unsigned":
            continue
        await signing.sign_checklist(
            session,
            sales,
            order.id,
            checklist_version=order.checklist_version,
            signer_name=customer.name,
            strokes=STROKES,
            confirm_no_promises=False,
            now=now,
        )
        await submission.submit_order(
            session,
            sales,
            order.id,
            delivery_specialist_id=delivery.id,
            expected_version=order.version,
            now=now,
        )
        if state in ("signed", "blocked"):
            continue
        mats = made[0]
        await promises.change_promise_status(
            session,
            delivery,
            mats.id,
            PromiseStatus.FULFILLED,
            expected_version=mats.version,
            note="交车时已装好",
            now=now,
        )
        await handover.complete_handover(
            session,
            delivery,
            order.id,
            expected_version=order.version,
            customer_issues="想了解自动泊车和哨兵模式",
            now=now,
        )
    await session.flush()
