"""Hot handover and care cadence (热交接): the tasks an order sets off, and when they are due.

Every offset comes from DESIGN.md capability 3; instants are computed in the store's time zone
(the handover is booked at a store-local hour) and stored in UTC."""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Customer, Delivery, Order, Promise, PromiseDue, Task, TaskState
from baton.domain.promises import UNFULFILLED, promises_of_order
from baton.domain.tasks import create_task


class Who(enum.Enum):
    SALES = "sales"
    DELIVERY = "delivery"
    ADVISOR = "advisor"


@dataclass(frozen=True)
class Step:
    kind: str
    who: Who
    offset: timedelta
    subject: str


# Anchored at the submission.
ON_SUBMIT = (
    Step("brief_delivery", Who.SALES, timedelta(hours=24), "向交付专员简报客户"),
    Step("three_way_intro", Who.DELIVERY, timedelta(days=3), "客户、销售、交付三方介绍"),
)
# Anchored at the planned handover; moved when the delivery date changes.
BEFORE_DELIVERY = (
    Step("pre_delivery_care_call", Who.SALES, timedelta(days=-7), "交付前关怀电话"),
    Step("three_party_confirmation", Who.DELIVERY, timedelta(hours=-72), "三方确认交付安排"),
    Step("prepare_promised_items", Who.DELIVERY, timedelta(days=-3), "准备承诺物品"),
)
# Anchored at the completed handover.
AFTER_HANDOVER = (
    Step("brief_service_advisor", Who.DELIVERY, timedelta(hours=24), "向服务顾问交接客户"),
    Step("welcome_callback", Who.ADVISOR, timedelta(days=3), "新车主欢迎回访"),
    Step("sales_follow_up_call", Who.SALES, timedelta(days=3), "交车后跟进电话"),
)
# Anchored at the first service, introducing the advisor.
BEFORE_FIRST_SERVICE = Step(
    "first_service_reminder", Who.SALES, timedelta(days=-3), "首保提醒并介绍服务顾问"
)
BEFORE_DELIVERY_KINDS = frozenset(step.kind for step in BEFORE_DELIVERY)


def pending_items_subject(customer: Customer, promises: Sequence[Promise]) -> str:
    owed = [
        p.description
        for p in promises
        if p.status in UNFULFILLED and p.due is not PromiseDue.ENTITLEMENT
    ]
    items = "；".join(owed) if owed else "无待办承诺"
    return f"准备承诺物品：{customer.name}：{items}"


async def _add(
    session: AsyncSession,
    step: Step,
    *,
    anchor: datetime,
    assignees: dict[Who, int],
    customer: Customer,
    order: Order,
    now: datetime,
    subject: str | None = None,
) -> Task:
    # A step whose moment has already passed (a delivery booked at short notice) is due now.
    due_at = max(anchor + step.offset, now)
    return await create_task(
        session,
        store_id=customer.store_id,
        kind=step.kind,
        subject=subject or f"{step.subject}：{customer.name}",
        assignee_id=assignees[step.who],
        due_at=due_at,
        now=now,
        customer_id=customer.id,
        order_id=order.id,
    )


async def schedule_after_submit(
    session: AsyncSession, order: Order, customer: Customer, delivery: Delivery, *, now: datetime
) -> list[Task]:
    assert delivery.scheduled_at is not None
    assignees = {
        Who.SALES: order.sales_consultant_id,
        Who.DELIVERY: delivery.delivery_specialist_id,
    }
    promises = await promises_of_order(session, order.id)
    tasks = []
    for step in ON_SUBMIT:
        tasks.append(
            await _add(
                session,
                step,
                anchor=now,
                assignees=assignees,
                customer=customer,
                order=order,
                now=now,
            )
        )
    for step in BEFORE_DELIVERY:
        subject = (
            pending_items_subject(customer, promises)
            if step.kind == "prepare_promised_items"
            else None
        )
        tasks.append(
            await _add(
                session,
                step,
                anchor=delivery.scheduled_at,
                assignees=assignees,
                customer=customer,
                order=order,
                now=now,
                subject=subject,
            )
        )
    return tasks


async def move_before_delivery_tasks(
    session: AsyncSession, order: Order, customer: Customer, handover_at: datetime, *, now: datetime
) -> None:
    """A new delivery date moves the open T-x tasks (and refreshes the promised items)."""
    offsets = {step.kind: step.offset for step in BEFORE_DELIVERY}
    open_tasks = await session.scalars(
        select(Task).where(
            Task.order_id == order.id,
            Task.state == TaskState.OPEN,
            Task.kind.in_(BEFORE_DELIVERY_KINDS),
        )
    )
    promises = await promises_of_order(session, order.id)
    for task in open_tasks:
        task.due_at = max(handover_at + offsets[task.kind], now)
        if task.kind == "prepare_promised_items":
            task.subject = pending_items_subject(customer, promises)[:200]


async def schedule_after_handover(
    session: AsyncSession,
    order: Order,
    customer: Customer,
    delivery: Delivery,
    *,
    advisor_id: int,
    first_service_at: datetime,
    now: datetime,
) -> list[Task]:
    assignees = {
        Who.SALES: order.sales_consultant_id,
        Who.DELIVERY: delivery.delivery_specialist_id,
        Who.ADVISOR: advisor_id,
    }
    tasks = []
    for step in AFTER_HANDOVER:
        subject = None
        if step.kind == "brief_service_advisor" and delivery.customer_issues:
            subject = f"{step.subject}：{customer.name}：{delivery.customer_issues}"
        tasks.append(
            await _add(
                session,
                step,
                anchor=now,
                assignees=assignees,
                customer=customer,
                order=order,
                now=now,
                subject=subject,
            )
        )
    tasks.append(
        await _add(
            session,
            BEFORE_FIRST_SERVICE,
            anchor=first_service_at,
            assignees=assignees,
            customer=customer,
            order=order,
            now=now,
        )
    )
    return tasks


def first_service_day(handover_day: date, days: int) -> date:
    return handover_day + timedelta(days=days)
