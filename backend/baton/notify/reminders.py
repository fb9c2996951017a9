"""Reminder sweep: tasks that cross "due soon" or "overdue" get one alert each.

Runs periodically beside the dispatcher. Idempotent through the alerts' dedupe keys: a
sweep that runs twice, or on two replicas at once, raises each reminder once.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import String, and_, cast, exists, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Alert, Store, Task, TaskState
from baton.domain import alert_triggers
from baton.domain.localtime import zone

# A task due "on a day" is due at the end of that store-local day; it is reminded at 09:00.
DAY_LEVEL_FROM = time(23, 59)
DAY_REMINDER = time(9, 0)
DAY_HORIZON = timedelta(hours=16)
# Overdue alerts only for tasks that became overdue recently: no flood after an outage.
OVERDUE_LOOKBACK = timedelta(days=1)
SWEEP_LIMIT = 500


def _not_alerted(reason: str) -> object:
    key = literal("task:", String) + cast(Task.id, String) + literal(f":{reason}", String)
    return ~exists().where(and_(Alert.user_id == Task.assignee_id, Alert.dedupe_key == key))


def remind_at(task: Task, lead: timedelta, time_zone: str) -> datetime:
    """When "due soon" fires: `lead` before, or 09:00 store-local on a day-level task's day."""
    local = task.due_at.astimezone(zone(time_zone))
    if local.time().replace(tzinfo=None) >= DAY_LEVEL_FROM:
        return datetime.combine(local.date(), DAY_REMINDER, tzinfo=zone(time_zone))
    return task.due_at - lead


async def sweep_reminders(session: AsyncSession, *, now: datetime, lead: timedelta) -> int:
    """Raise due-soon and overdue alerts in one transaction; how many were raised."""
    raised = 0
    overdue = await session.scalars(
        select(Task)
        .where(
            Task.state == TaskState.OPEN,
            Task.due_at <= now,
            Task.due_at > now - OVERDUE_LOOKBACK,
            _not_alerted("overdue"),  # type: ignore[arg-type]
        )
        .order_by(Task.due_at, Task.id)
        .limit(SWEEP_LIMIT)
    )
    for task in list(overdue):
        raised += await alert_triggers.task_overdue(session, task, now=now) is not None
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
    zones = {
        store.id: store.time_zone
        for store in await session.scalars(
            select(Store).where(Store.id.in_({task.store_id for task in soon}))
        )
    }
    for task in soon:
        moment = remind_at(task, lead, zones.get(task.store_id, "Asia/Shanghai"))
        # A task made inside its own reminder window was just announced as assigned.
        if moment <= now and task.created_at < moment:
            raised += await alert_triggers.task_due_soon(session, task, now=now) is not None
    await session.commit()
    return raised
