"""Completing a task: only its assignee or a manager of its store; outcome on the timeline."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import tasks
from baton.domain.access import Actor
from baton.domain.errors import Forbidden, NotFound, RuleViolation, ValidationFailed
from tests.conftest import AsUser
from tests.support.texts import timeline_summary


async def _task(
    db: AsyncSession,
    assignee: Actor,
    customer_id: int,
    clock: ManualClock,
    kind: str = "welcome_callback",
) -> models.Task:
    task = await tasks.create_task(
        db,
        store_id=assignee.user.store_id or 0,
        kind=kind,
        params={"customer": "王芳"},
        assignee_id=assignee.id,
        due_at=clock.now() + timedelta(days=1),
        now=clock.now(),
        customer_id=customer_id,
    )
    await db.commit()
    return task


async def test_assignee_completes_task_with_outcome_and_note_on_the_timeline(
    db: AsyncSession, as_user: AsUser, make_customer: object, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    record = await make_customer()  # type: ignore[operator]
    task = await _task(db, advisor, record.customer.id, clock)
    await tasks.complete_task(
        db,
        advisor,
        task.id,
        outcome="已回访",
        note="客户满意",
        expected_version=task.version,
        now=clock.now(),
    )
    await db.commit()
    assert (task.state, task.outcome, task.note, task.completed_by_id) == (
        models.TaskState.DONE,
        "已回访",
        "客户满意",
        advisor.id,
    )
    event = await db.scalar(
        select(models.TimelineEvent).where(models.TimelineEvent.kind == "task_completed")
    )
    assert (
        event is not None
        and "已回访" in timeline_summary(event)
        and "客户满意" in timeline_summary(event)
    )


async def test_task_cannot_be_completed_by_someone_not_its_assignee_or_manager(
    db: AsyncSession, as_user: AsUser, make_customer: object, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    record = await make_customer()  # type: ignore[operator]
    task = await _task(db, advisor, record.customer.id, clock)
    sales = await as_user("sales_consultant")
    with pytest.raises(Forbidden):
        await tasks.complete_task(
            db, sales, task.id, outcome="x", note="", expected_version=1, now=clock.now()
        )
    other_manager = await as_user("store_manager", store="B")
    with pytest.raises(NotFound):
        await tasks.complete_task(
            db, other_manager, task.id, outcome="x", note="", expected_version=1, now=clock.now()
        )
    manager = await as_user("store_manager")
    await tasks.complete_task(
        db, manager, task.id, outcome="代为完成", note="", expected_version=1, now=clock.now()
    )
    with pytest.raises(RuleViolation):
        await tasks.complete_task(
            db,
            manager,
            task.id,
            outcome="x",
            note="",
            expected_version=task.version,
            now=clock.now(),
        )


async def test_three_way_intro_counts_two_intro_videos_as_the_async_alternative(
    db: AsyncSession, as_user: AsUser, make_customer: object, clock: ManualClock
) -> None:
    delivery = await as_user("delivery_specialist")
    record = await make_customer()  # type: ignore[operator]
    task = await _task(db, delivery, record.customer.id, clock, kind="three_way_intro")
    with pytest.raises(ValidationFailed):
        await tasks.complete_task(
            db, delivery, task.id, outcome="打了电话", note="", expected_version=1, now=clock.now()
        )
    await tasks.complete_task(
        db,
        delivery,
        task.id,
        outcome="intro_videos_sent",
        note="两段介绍视频已发送",
        expected_version=1,
        now=clock.now(),
    )
    assert task.outcome == "intro_videos_sent"
