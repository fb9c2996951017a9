"""Orders with promises, built through the real domain functions: `customer_with_order(...)`."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import orders, promises
from baton.domain.access import Actor
from baton.domain.journeys import signing, submission
from baton.domain.localtime import local_date

TZ = "Asia/Shanghai"
# Two short strokes: what a finger on a phone leaves behind.
STROKES = "[[[10,10,0],[20,15,16],[30,12,33]],[[12,30,400],[28,31,420]]]"

# Three promises like the seed's: a floor mat set, a charger installed, free services.
DEFAULT_PROMISES = (
    promises.PromiseTerms(
        models.PromiseCategory.GIFT_ACCESSORY, "全车脚垫", models.PromiseDue.AT_HANDOVER
    ),
    promises.PromiseTerms(
        models.PromiseCategory.VEHICLE_CONFIGURATION, "家用充电桩安装", models.PromiseDue.BY_DATE
    ),
    promises.PromiseTerms(
        models.PromiseCategory.SERVICE_PACKAGE,
        "3年内6次免费保养",
        models.PromiseDue.ENTITLEMENT,
        entitlement_total=6,
    ),
)


@dataclass
class OrderRecord:
    customer: models.Customer
    vehicle: models.Vehicle | None
    order: models.Order
    sales: Actor
    promises: list[models.Promise] = field(default_factory=list)

    def today(self, clock: ManualClock) -> date:
        return local_date(clock.now(), TZ)


async def make_order(
    session: AsyncSession,
    sales: Actor,
    clock: ManualClock,
    customer: models.Customer,
    vehicle: models.Vehicle | None,
    *,
    promises_count: int,
    delivery_in_days: int,
) -> OrderRecord:
    today = local_date(clock.now(), TZ)
    order = await orders.create_order(
        session,
        sales,
        customer.id,
        model_name="Model Y 长续航",
        planned_delivery_date=today + timedelta(days=delivery_in_days),
        vehicle_id=vehicle.id if vehicle else None,
        now=clock.now(),
    )
    record = OrderRecord(customer, vehicle, order, sales)
    for index in range(promises_count):
        terms = DEFAULT_PROMISES[index % len(DEFAULT_PROMISES)]
        if terms.due is models.PromiseDue.BY_DATE:
            terms = promises.PromiseTerms(
                terms.category, terms.description, terms.due, due_on=today + timedelta(days=30)
            )
        if terms.due is models.PromiseDue.ENTITLEMENT:
            terms = promises.PromiseTerms(
                terms.category,
                terms.description,
                terms.due,
                entitlement_total=terms.entitlement_total,
                entitlement_valid_until=today + timedelta(days=3 * 365),
            )
        record.promises.append(
            await promises.add_promise(session, sales, order.id, terms, now=clock.now())
        )
    await session.commit()
    return record


async def sign(
    session: AsyncSession, actor: Actor, clock: ManualClock, order: models.Order
) -> models.ChecklistSignature:
    signature = await signing.sign_checklist(
        session,
        actor,
        order.id,
        checklist_version=order.checklist_version,
        signer_name="张伟",
        strokes=STROKES,
        confirm_no_promises=not await promises.promises_of_order(session, order.id),
        now=clock.now(),
    )
    await session.commit()
    return signature


# The handover of an order placed 2026-11-23 for 14 days later: 2026-12-07 10:00 Shanghai.
HANDOVER = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


async def submitted(
    db: AsyncSession,
    record: OrderRecord,
    as_user: Callable[..., Awaitable[Actor]],
    clock: ManualClock,
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
