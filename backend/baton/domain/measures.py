"""What capabilities 2 and 3 are measured by: promise fulfilment and task on-time rates."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Customer,
    Order,
    Promise,
    PromiseDue,
    PromiseStatus,
    Store,
    Task,
    TaskState,
)
from baton.domain.access import Actor
from baton.domain.errors import FieldChecks, NotFound
from baton.domain.localtime import local_date, local_day_bounds

PERIOD_MAX_DAYS = 366


@dataclass(frozen=True)
class Rate:
    due: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


async def _store(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> Store:
    store = await session.get(Store, store_id)
    if store is None or not actor.sees_store(store.id):
        raise NotFound("Store", "storeId")
    checks = FieldChecks()
    if end < start:
        checks.fail("to", "must not be before from", "before_start")
    elif (end - start).days > PERIOD_MAX_DAYS:
        checks.fail("to", f"a period is at most {PERIOD_MAX_DAYS} days", "too_long")
    checks.raise_if_any()
    return store


async def promise_fulfilment_rate(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> Rate:
    """Fulfilled on time / due in the period (store-local days, both ends included).

    Due means the date of a by-date promise, or the planned delivery of one due at handover;
    cancelled promises and entitlements (counted uses, not a due day) are left out. A deferred
    promise counts against the day it was first due: deferral is not fulfilment."""
    store = await _store(session, actor, store_id, start, end)
    due_day = case(
        (Promise.due == PromiseDue.BY_DATE, Promise.due_on),
        else_=Order.planned_delivery_date,
    )
    rows = await session.execute(
        select(due_day, Promise.status, Promise.fulfilled_at)
        .join(Order, Order.id == Promise.order_id)
        .join(Customer, Customer.id == Promise.customer_id)
        .where(
            Customer.store_id == store.id,
            Promise.due != PromiseDue.ENTITLEMENT,
            Promise.status != PromiseStatus.CANCELLED,
            due_day >= start,
            due_day <= end,
        )
    )
    due = on_time = 0
    for day, status, fulfilled_at in rows:
        due += 1
        if (
            status is PromiseStatus.FULFILLED
            and fulfilled_at is not None
            and local_date(fulfilled_at, store.time_zone) <= day
        ):
            on_time += 1
    return Rate(due, on_time)


async def task_on_time_rates(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> dict[str, Rate]:
    """Per task kind: done by the deadline / due in the period (cancelled tasks left out)."""
    store = await _store(session, actor, store_id, start, end)
    since, _ = local_day_bounds(start, store.time_zone)
    _, until = local_day_bounds(end, store.time_zone)
    done_on_time = func.sum(
        case(
            (Task.state == TaskState.DONE, case((Task.completed_at <= Task.due_at, 1), else_=0)),
            else_=0,
        )
    )
    rows = await session.execute(
        select(Task.kind, func.count(), done_on_time)
        .where(
            Task.store_id == store.id,
            Task.state != TaskState.CANCELLED,
            Task.due_at >= since,
            Task.due_at < until,
        )
        .group_by(Task.kind)
        .order_by(Task.kind)
    )
    return {kind: Rate(int(count), int(on_time or 0)) for kind, count, on_time in rows}
