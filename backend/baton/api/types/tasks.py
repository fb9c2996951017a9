"""Tasks and the "today" view."""

from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.abilities import Ability
from baton.api.types.customers import CustomerType
from baton.api.types.org import UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.tasks import task_subject
from baton.domain.wording import (
    READS_HANDOVER_ISSUES,
    pending_items,
    task_brief_kind,
    task_details,
    task_lists_pending,
    task_wording,
)

TaskState = strawberry.enum(models.TaskState)


@strawberry.type(name="Task")
class TaskType(Node):
    kind: str
    due_at: datetime
    state: TaskState  # type: ignore[valid-type]
    created_at: datetime
    completed_at: datetime | None
    outcome: str | None
    note: str | None
    version: int

    @strawberry.field(description="In the viewer's language; lists what is pending now.")
    @staticmethod
    async def subject(root: Parent[models.Task], info: Info) -> str:
        wording = task_wording(root, await task_pending_items(root, info))
        return info.context.reader().say(wording.key, wording.params)

    @strawberry.field(
        description="What the task is about beyond its kind, as staff typed it: the promised "
        "items still pending, the issues raised at the handover, the brief passed on."
    )
    @staticmethod
    async def details(root: Parent[models.Task], info: Info) -> list[str]:
        loaders = info.context.loaders
        briefs: list[models.HandoverBrief] = []
        issues = ""
        if root.order_id is not None and task_brief_kind(root) is not None:
            briefs = await loaders.briefs_of_order.load(root.order_id)
        if root.order_id is not None and root.kind in READS_HANDOVER_ISSUES:
            deliveries = await loaders.deliveries_of_order.load(root.order_id)
            issues = "；".join(d.customer_issues for d in deliveries if d.customer_issues)
        return task_details(root, await task_pending_items(root, info), briefs, issues)

    @strawberry.field
    @staticmethod
    async def assignee(root: Parent[models.Task], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.assignee_id))

    @strawberry.field
    @staticmethod
    async def customer(root: Parent[models.Task], info: Info) -> CustomerType | None:
        if root.customer_id is None:
            return None
        return orm_root(await info.context.loaders.customer.load(root.customer_id))

    @strawberry.field(description="What the viewer may do with this task.")
    @staticmethod
    async def viewer_can(root: Parent[models.Task], info: Info) -> list[Ability]:  # type: ignore[valid-type]
        return await info.context.facts.viewer_can("Task", task_subject(root))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Task)


async def task_pending_items(task: models.Task | None, info: Info) -> list[str] | None:
    """The pending items of the task's order, when its subject lists them."""
    if task is None or task.order_id is None or not task_lists_pending(task):
        return None
    return pending_items(await info.context.loaders.promises_of_order.load(task.order_id))


@strawberry.type
class MyTasks:
    """Open tasks of the logged-in user; high-priority customers first within each group."""

    overdue: list[TaskType]
    today: list[TaskType]
    upcoming: list[TaskType]
