"""Reminders: a task due soon, then overdue, is announced once each, at the right time."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.journeys.reminders import sweep_reminders
from tests.domain.test_alerts import count_alerts, new_task
from tests.support.records import Record

AsUser = Callable[..., Awaitable[Actor]]
MakeCustomer = Callable[..., Awaitable[Record]]
LEAD = timedelta(hours=2)


async def test_reminder_sweep_alerts_due_soon_then_overdue_once_each(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    task = await new_task(db, advisor, clock, timedelta(hours=5))
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 0
    clock.advance(timedelta(hours=3))  # two hours before due
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 1
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 0
    clock.advance(timedelta(hours=2, minutes=30))
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 1
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 0
    kinds = {a.kind for a in await db.scalars(select(models.Alert))}
    assert kinds == {
        models.AlertKind.TASK_ASSIGNED,
        models.AlertKind.TASK_DUE_SOON,
        models.AlertKind.TASK_OVERDUE,
    }
    task.state = models.TaskState.DONE
    await db.commit()


async def test_a_task_a_few_minutes_past_due_is_not_called_overdue_yet(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    """As the phone shows it: "due now" for half an hour, then "overdue"."""
    advisor = await as_user("service_advisor")
    task = await new_task(db, advisor, clock, timedelta(minutes=10))
    clock.advance(timedelta(minutes=12))
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 0
    clock.advance(timedelta(minutes=27))
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 0
    clock.advance(timedelta(minutes=1))
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 1
    overdue = await db.scalars(
        select(models.Alert).where(models.Alert.kind == models.AlertKind.TASK_OVERDUE)
    )
    assert [(alert.subject_type, alert.subject_id) for alert in overdue] == [("Task", task.id)]


async def test_a_day_level_task_is_reminded_at_nine_on_its_day(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    # Due "tomorrow": the end of 24 Nov, store-local.
    end_of_tomorrow = datetime(2026, 11, 24, 15, 59, 59, tzinfo=UTC)
    await new_task(db, advisor, clock, end_of_tomorrow - clock.now())
    clock.set(datetime(2026, 11, 24, 0, 59, tzinfo=UTC))  # 08:59
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 0
    clock.advance(timedelta(minutes=1))
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 1


async def test_a_task_made_inside_its_reminder_window_is_not_reminded_again(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    await new_task(db, advisor, clock, timedelta(hours=1))
    assert await sweep_reminders(db, now=clock.now(), lead=LEAD) == 0
    assert await count_alerts(db) == 1
