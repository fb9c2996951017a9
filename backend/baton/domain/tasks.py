"""Tasks (任务): everything with a deadline, and the "today" view built on them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Task, TaskState
from baton.domain.access import Action, Actor, Subject, Tie
from baton.domain.customers import active_circumstance_customer_ids
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import add_audit_entry, add_timeline_event
from baton.domain.stores import StoreClock

# The T-3 task whose subject lists the promises still pending when it is shown.
PREPARE_PROMISED_ITEMS = "prepare_promised_items"
UPCOMING_MAX = 50
# Overdue and today together; past this the manager has a bigger problem than a long list.
DUE_MAX = 200


@dataclass(frozen=True)
class TaskBuckets:
    overdue: list[Task]
    today: list[Task]
    upcoming: list[Task]


async def my_tasks(
    session: AsyncSession, actor: Actor, *, now: datetime, time_zone: str
) -> TaskBuckets:
    """Open tasks of the actor: overdue, due today (store-local), then the next ones.

    High-priority customers (an active special circumstance) come first in each bucket.
    """
    clock = StoreClock(time_zone)
    today = clock.today(now)
    _, end_of_today = clock.day_bounds(today)
    rows = list(
        await session.scalars(
            select(Task)
            .where(
                Task.assignee_id == actor.id,
                Task.state == TaskState.OPEN,
                Task.due_at < end_of_today,
            )
            .order_by(Task.due_at, Task.id)
            .limit(DUE_MAX)
        )
    )
    rows += list(
        await session.scalars(
            select(Task)
            .where(
                Task.assignee_id == actor.id,
                Task.state == TaskState.OPEN,
                Task.due_at >= end_of_today,
            )
            .order_by(Task.due_at, Task.id)
            .limit(UPCOMING_MAX)
        )
    )
    customer_ids = [task.customer_id for task in rows if task.customer_id is not None]
    urgent = await active_circumstance_customer_ids(session, customer_ids, today)

    def by_priority(tasks: list[Task]) -> list[Task]:
        return sorted(tasks, key=lambda task: task.customer_id not in urgent)

    return TaskBuckets(
        overdue=by_priority([t for t in rows if t.due_at < now]),
        today=by_priority([t for t in rows if now <= t.due_at < end_of_today]),
        upcoming=by_priority([t for t in rows if t.due_at >= end_of_today]),
    )


async def create_task(
    session: AsyncSession,
    *,
    store_id: int,
    kind: str,
    params: dict[str, Any],
    assignee_id: int,
    due_at: datetime,
    now: datetime,
    customer_id: int | None = None,
    order_id: int | None = None,
) -> Task:
    """A task; its subject is rendered from `kind` and `params`. Who hears of it is the
    caller's event to announce (journeys/who_is_told.py), not decided here."""
    task = Task(
        store_id=store_id,
        customer_id=customer_id,
        order_id=order_id,
        kind=kind,
        params=params,
        assignee_id=assignee_id,
        due_at=due_at,
        state=TaskState.OPEN,
        created_at=now,
    )
    session.add(task)
    await session.flush()
    return task


def task_text(task: Task) -> dict[str, Any]:
    """The task's subject as a text parameter, for the texts that name it."""
    return {"key": f"task.{task.kind}", "params": task.params}


OUTCOME_MAX = 200
NOTE_MAX = 2000
# Kinds whose outcome is one of a few; the async alternative to a three-way meeting is two
# short intro videos (DESIGN.md capability 3).
OUTCOMES: dict[str, frozenset[str]] = {
    "three_way_intro": frozenset({"held", "intro_videos_sent"}),
}


def task_subject(task: Task) -> Subject:
    return Subject(store_id=task.store_id, people={Tie.ASSIGNEE: frozenset({task.assignee_id})})


def close_task(task: Task, actor: Actor, *, outcome: str, note: str, now: datetime) -> None:
    task.state = TaskState.DONE
    task.completed_at = now
    task.completed_by_id = actor.id
    task.outcome = outcome
    task.note = note or None


async def complete_task(
    session: AsyncSession,
    actor: Actor,
    task_id: int,
    *,
    outcome: str,
    note: str,
    expected_version: int,
    now: datetime,
) -> Task:
    """Done, with an outcome and a note on the customer's timeline; only the assignee or a
    manager of the task's store may say so."""
    task = await session.get(Task, task_id)
    if task is None or not (task.assignee_id == actor.id or actor.sees_store(task.store_id)):
        raise NotFound("Task", "input.id")
    actor.ensure(Action.COMPLETE_TASK, task_subject(task))
    checks = FieldChecks()
    clean_outcome = checks.text("input.outcome", outcome, max_length=OUTCOME_MAX) or ""
    clean_note = checks.text("input.note", note, max_length=NOTE_MAX, required=False) or ""
    allowed = OUTCOMES.get(task.kind)
    if allowed is not None and clean_outcome and clean_outcome not in allowed:
        checks.fail("input.outcome", "unknown_outcome", allowed=sorted(allowed))
    checks.raise_if_any()
    if task.version != expected_version:
        raise Conflict("Task", task.version)
    if task.state is not TaskState.OPEN:
        raise RuleViolation([Reason("task_closed", f"Task:{task.id}", state=task.state)])
    close_task(task, actor, outcome=clean_outcome, note=clean_note, now=now)
    await session.flush()
    if task.customer_id is not None:
        add_timeline_event(
            session,
            actor,
            customer_id=task.customer_id,
            kind="task_completed",
            now=now,
            params={"task": task_text(task), "outcome": clean_outcome, "note": clean_note},
            subject=task,
        )
    add_audit_entry(
        session,
        actor,
        action="complete_task",
        entity=task,
        now=now,
        changes={"outcome": clean_outcome, "on_time": now <= task.due_at},
    )
    return task
