"""Reminders (提醒): tasks that cross "due soon" or come due are announced once each.

The worker runs the sweep periodically beside the dispatcher. Idempotent through the alerts'
dedupe keys: a sweep that runs twice, or on two replicas at once, reminds once."""

from datetime import datetime, time, timedelta

from sqlalchemy import String, and_, cast, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Alert, Customer, Delivery, Task, TaskState
from baton.domain.events import (
    PromisesPendingBeforeHandover,
    TaskDueSoon,
    TaskEvent,
    TaskOverdue,
)
from baton.domain.journeys.who_is_told import tell
from baton.domain.stores import StoreClock, store_clocks
from baton.domain.tasks import PREPARE_PROMISED_ITEMS

# A task due "on a day" is due at the end of that store-local day; it is reminded at 09:00.
DAY_LEVEL_FROM = time(23, 59)
DAY_REMINDER = time(9, 0)
DAY_HORIZON = timedelta(hours=16)
# Overdue alerts only for tasks that became overdue recently: no flood after an outage.
OVERDUE_LOOKBACK = timedelta(days=1)
# A few minutes past due usually means someone is on it: "overdue" is said after this, as
# the PWA says it (frontend/src/lib/format.ts LATE_GRACE_MS). "Prepare promised items"
# coming due is the T-3 moment instead, announced when it comes.
OVERDUE_GRACE = timedelta(minutes=30)
SWEEP_LIMIT = 500


def _not_alerted(reason: str) -> object:
    # The dedupe key events.TaskEvent.about gives: "task:<id>:overdue", ...
    key = literal("task:", String) + cast(Task.id, String) + literal(f":{reason}", String)
    return ~exists().where(and_(Alert.user_id == Task.assignee_id, Alert.dedupe_key == key))


def remind_at(task: Task, lead: timedelta, clock: StoreClock) -> datetime:
    """When "due soon" fires: `lead` before, or 09:00 store-local on a day-level task's day."""
    local = clock.local(task.due_at)
    if local.time().replace(tzinfo=None) >= DAY_LEVEL_FROM:
        return clock.at(local.date(), DAY_REMINDER)
    return task.due_at - lead


async def sweep_reminders(session: AsyncSession, *, now: datetime, lead: timedelta) -> int:
    """Announce due-soon and came-due tasks in one transaction; how many alerts were raised."""
    raised = 0
    came_due = list(
        await session.scalars(
            select(Task)
            .where(
                Task.state == TaskState.OPEN,
                or_(
                    Task.due_at <= now - OVERDUE_GRACE,
                    and_(Task.kind == PREPARE_PROMISED_ITEMS, Task.due_at <= now),
                ),
                Task.due_at > now - OVERDUE_LOOKBACK,
                _not_alerted("overdue"),  # type: ignore[arg-type]
                _not_alerted("promises_pending"),  # type: ignore[arg-type]
            )
            .order_by(Task.due_at, Task.id)
            .limit(SWEEP_LIMIT)
        )
    )
    for event in await _came_due_events(session, came_due):
        raised += len(await tell(session, event, now=now))
    soon = list(
        await session.scalars(
            select(Task)
            .where(
                Task.state == TaskState.OPEN,
                Task.due_at > now,
                Task.due_at <= now + max(lead, DAY_HORIZON),
                _not_alerted("due_soon"),  # type: ignore[arg-type]
            )
            .order_by(Task.due_at, Task.id)
            .limit(SWEEP_LIMIT)
        )
    )
    clocks = await store_clocks(session, {task.store_id for task in soon})
    for task in soon:
        moment = remind_at(task, lead, clocks.of(task.store_id))
        # A task made inside its own reminder window was just announced as assigned.
        if moment <= now and task.created_at < moment:
            raised += len(await tell(session, TaskDueSoon(task), now=now))
    await session.commit()
    return raised


async def _came_due_events(session: AsyncSession, tasks: list[Task]) -> list[TaskEvent]:
    """Overdue, except that "prepare promised items" coming due is the T-3 moment: its alert
    lists the promises still pending instead (DESIGN.md: 3 days before the delivery)."""
    preparing = {t.id: t for t in tasks if t.kind == PREPARE_PROMISED_ITEMS and t.order_id}
    names: dict[int, str] = {}
    handovers: dict[int, datetime | None] = {}
    if preparing:
        customer_ids = {t.customer_id for t in preparing.values() if t.customer_id is not None}
        people = await session.execute(
            select(Customer.id, Customer.name).where(Customer.id.in_(customer_ids))
        )
        names = {customer_id: name for customer_id, name in people}
        rows = await session.execute(
            select(Delivery.order_id, Delivery.scheduled_at).where(
                Delivery.order_id.in_({t.order_id for t in preparing.values()})
            )
        )
        handovers = {order_id: scheduled_at for order_id, scheduled_at in rows}
    events: list[TaskEvent] = []
    for task in tasks:
        if task.id not in preparing:
            events.append(TaskOverdue(task))
            continue
        events.append(
            PromisesPendingBeforeHandover(
                task,
                customer_name=names.get(task.customer_id or 0, ""),
                handover_at=handovers.get(task.order_id or 0),
            )
        )
    return events
