"""Hot handover and care cadence (热交接): the tasks an order sets off, and when they are due.

Every offset comes from DESIGN.md capability 3; instants are computed in the store's time zone
(the handover is booked at a store-local hour) and stored in UTC. A task's subject is its kind
worded by baton/texts; the "prepare promised items" task lists the promises open when shown."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Customer, Delivery, Order, Task, TaskState
from baton.domain.events import TaskAssigned
from baton.domain.journeys.who_is_told import tell
from baton.domain.tasks import PREPARE_PROMISED_ITEMS, create_task


class Who(enum.Enum):
    SALES = "sales"
    DELIVERY = "delivery"
    ADVISOR = "advisor"


@dataclass(frozen=True)
class Step:
    kind: str
    who: Who
    offset: timedelta


# Anchored at the submission.
ON_SUBMIT = (
    Step("brief_delivery", Who.SALES, timedelta(hours=24)),
    Step("three_way_intro", Who.DELIVERY, timedelta(days=3)),
)
# Anchored at the planned handover; moved when the delivery date changes.
BEFORE_DELIVERY = (
    Step("pre_delivery_care_call", Who.SALES, timedelta(days=-7)),
    Step("three_party_confirmation", Who.DELIVERY, timedelta(hours=-72)),
    Step(PREPARE_PROMISED_ITEMS, Who.DELIVERY, timedelta(days=-3)),
)
# Anchored at the completed handover.
AFTER_HANDOVER = (
    Step("brief_service_advisor", Who.DELIVERY, timedelta(hours=24)),
    Step("welcome_callback", Who.ADVISOR, timedelta(days=3)),
    Step("sales_follow_up_call", Who.SALES, timedelta(days=3)),
)
# Anchored at the first service, introducing the advisor.
BEFORE_FIRST_SERVICE = Step("first_service_reminder", Who.SALES, timedelta(days=-3))
BEFORE_DELIVERY_KINDS = frozenset(step.kind for step in BEFORE_DELIVERY)


@dataclass(frozen=True)
class _Order:
    """Who does which step for this order's customer."""

    order: Order
    customer: Customer
    assignees: dict[Who, int]


async def _add(
    session: AsyncSession,
    plan: _Order,
    step: Step,
    anchor: datetime,
    *,
    now: datetime,
    params: dict[str, Any] | None = None,
) -> Task:
    # A step whose moment has already passed (a delivery booked at short notice) is due now.
    task = await create_task(
        session,
        store_id=plan.customer.store_id,
        kind=step.kind,
        params={"customer": plan.customer.name, **(params or {})},
        assignee_id=plan.assignees[step.who],
        due_at=max(anchor + step.offset, now),
        now=now,
        customer_id=plan.customer.id,
        order_id=plan.order.id,
    )
    await tell(session, TaskAssigned(task), now=now)
    return task


async def schedule_after_submit(
    session: AsyncSession, order: Order, customer: Customer, delivery: Delivery, *, now: datetime
) -> list[Task]:
    assert delivery.scheduled_at is not None
    plan = _Order(
        order,
        customer,
        {Who.SALES: order.sales_consultant_id, Who.DELIVERY: delivery.delivery_specialist_id},
    )
    timed = [(step, now) for step in ON_SUBMIT]
    timed += [(step, delivery.scheduled_at) for step in BEFORE_DELIVERY]
    return [await _add(session, plan, step, anchor, now=now) for step, anchor in timed]


async def move_before_delivery_tasks(
    session: AsyncSession, order: Order, handover_at: datetime, *, now: datetime
) -> None:
    """A new delivery date moves the open T-x tasks."""
    offsets = {step.kind: step.offset for step in BEFORE_DELIVERY}
    open_tasks = await session.scalars(
        select(Task).where(
            Task.order_id == order.id,
            Task.state == TaskState.OPEN,
            Task.kind.in_(BEFORE_DELIVERY_KINDS),
        )
    )
    for task in open_tasks:
        task.due_at = max(handover_at + offsets[task.kind], now)


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
    plan = _Order(
        order,
        customer,
        {
            Who.SALES: order.sales_consultant_id,
            Who.DELIVERY: delivery.delivery_specialist_id,
            Who.ADVISOR: advisor_id,
        },
    )
    # Delivery passes on what the customer raised at the handover.
    issues = {"brief_service_advisor": {"issues": delivery.customer_issues}}
    tasks = [
        await _add(session, plan, step, now, now=now, params=issues.get(step.kind))
        for step in AFTER_HANDOVER
    ]
    tasks.append(await _add(session, plan, BEFORE_FIRST_SERVICE, first_service_at, now=now))
    return tasks
