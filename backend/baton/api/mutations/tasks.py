"""Tasks (任务): complete one."""

import strawberry

from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.tasks import TaskType
from baton.db import models
from baton.domain import tasks
from baton.domain.access import Action


@strawberry.input
class CompleteTaskInput:
    id: strawberry.ID
    version: int
    outcome: str
    note: str = ""
    client_mutation_id: str | None = None


@strawberry.type
class CompleteTaskSuccess:
    task: TaskType


@strawberry.type
class TaskMutations:
    @mutation(ability=Action.COMPLETE_TASK, success=CompleteTaskSuccess)
    async def complete_task(input: CompleteTaskInput, acting: Acting) -> models.Task:
        return await tasks.complete_task(
            acting.session,
            acting.actor,
            expect_id(input.id, "Task", "input.id"),
            outcome=input.outcome,
            note=input.note,
            expected_version=input.version,
            now=acting.now,
        )
