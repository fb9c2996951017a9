"""Alert rules: one alert per trigger, in the transaction of its change, at the right time."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import alerts, tasks
from baton.domain.access import Actor
from baton.domain.errors import NotFound, ValidationFailed
from baton.domain.events import TaskAssigned
from baton.domain.journeys.who_is_told import tell
from baton.ids import global_id
from tests.support.records import Record
from tests.support.texts import alert_text

AsUser = Callable[..., Awaitable[Actor]]
MakeCustomer = Callable[..., Awaitable[Record]]
LEAD = timedelta(hours=2)


async def count_alerts(db: AsyncSession, **where: object) -> int:
    query = select(func.count()).select_from(models.Alert).filter_by(**where)
    return int(await db.scalar(query) or 0)


async def assign(
    db: AsyncSession, actor: Actor, clock: ManualClock, due_in: timedelta, **fields: object
) -> models.Task:
    """A task created and announced, as every journey that makes one does."""
    task = await tasks.create_task(
        db,
        store_id=actor.user.store_id or 0,
        kind="welcome_callback",
        params={"customer": "王芳"},
        assignee_id=actor.id,
        due_at=clock.now() + due_in,
        now=clock.now(),
        **fields,  # type: ignore[arg-type]
    )
    await tell(db, TaskAssigned(task), now=clock.now())
    return task


async def new_task(
    db: AsyncSession, actor: Actor, clock: ManualClock, due_in: timedelta
) -> models.Task:
    task = await assign(db, actor, clock, due_in)
    await db.commit()
    return task


async def test_a_new_task_alerts_its_assignee_in_the_same_transaction(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    task = await new_task(db, advisor, clock, timedelta(days=1))
    [alert] = await db.scalars(select(models.Alert))
    assert alert.user_id == advisor.id and alert.kind is models.AlertKind.TASK_ASSIGNED
    assert (alert.subject_type, alert.subject_id) == ("Task", task.id)
    assert (await alert_text(db, alert))[0] == "新任务：新车主欢迎回访：王芳"
    assert (await alert_text(db, alert, "en"))[0] == "New task: Welcome call to the new owner: 王芳"
    assert alert.due_at == clock.now() and alert.push_state is models.PushState.QUEUED


async def test_a_task_alert_about_a_customer_opens_their_record(
    db: AsyncSession, as_user: AsUser, clock: ManualClock, make_customer: MakeCustomer
) -> None:
    advisor = await as_user("service_advisor")
    record = await make_customer()
    await assign(db, advisor, clock, timedelta(0), customer_id=record.customer.id)
    await db.commit()
    url = await db.scalar(select(models.Alert.url))
    assert url == f"/customers/{global_id('Customer', record.customer.id)}"


async def test_a_change_that_fails_leaves_no_alert(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    await assign(db, advisor, clock, timedelta(0))
    assert await count_alerts(db) == 1
    await db.rollback()  # the rest of the change failed
    assert await count_alerts(db) == 0
    assert await db.scalar(select(func.count()).select_from(models.Task)) == 0


async def test_quiet_hours_move_the_push_to_their_end(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    clock.advance(timedelta(hours=12))  # 22:00 Shanghai
    await new_task(db, advisor, clock, timedelta(days=1))
    [alert] = await db.scalars(select(models.Alert))
    assert alert.due_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 08:00 Shanghai
    assert alert.created_at == clock.now()


def test_quiet_hours_within_one_day_and_none_when_start_equals_end() -> None:
    noon = datetime(2026, 11, 23, 4, 30, tzinfo=UTC)  # 12:30 Shanghai
    lunch = alerts.after_quiet_hours(noon, time(12), time(13), "Asia/Shanghai")
    assert lunch == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    assert alerts.after_quiet_hours(noon, time(12), time(12), "Asia/Shanghai") == noon


async def test_inbox_shows_and_marks_only_the_users_own_alerts(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor, sales = await as_user("service_advisor"), await as_user("sales_consultant")
    mine = await new_task(db, advisor, clock, timedelta(days=1))
    await new_task(db, sales, clock, timedelta(days=1))
    page = await alerts.inbox_page(db, advisor, first=10, after_id=None, now=clock.now())
    assert [a.subject_id for a in page.alerts] == [mine.id]
    assert await alerts.unread_count(db, advisor) == 1
    theirs = await db.scalar(select(models.Alert.id).where(models.Alert.user_id == sales.id))
    assert theirs is not None
    with pytest.raises(NotFound):
        await alerts.mark_read(db, advisor, theirs, now=clock.now())
    await alerts.mark_all_read(db, advisor, now=clock.now())
    await db.commit()
    assert await alerts.unread_count(db, advisor) == 0
    assert await alerts.unread_count(db, sales) == 1


async def test_preferences_are_checked_with_field_paths(db: AsyncSession, as_user: AsUser) -> None:
    advisor = await as_user("service_advisor")
    with pytest.raises(ValidationFailed) as failed:
        await alerts.update_preferences(
            db, advisor, quiet_hours_start="25:00", quiet_hours_end=None, language="fr"
        )
    assert {p.path for p in failed.value.problems} == {"input.quietHoursStart", "input.language"}
