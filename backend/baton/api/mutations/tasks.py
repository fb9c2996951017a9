"""Tasks (任务): complete one."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id
from baton.api.mutation import run_mutation
from baton.api.types.relay import orm_root
from baton.api.types.tasks import TaskType
from baton.domain import tasks


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


CompleteTaskPayload = Annotated[
    CompleteTaskSuccess | MutationError, strawberry.union("CompleteTaskPayload")
]


@strawberry.type
class TaskMutations:
    @strawberry.mutation
    async def complete_task(self, info: Info, input: CompleteTaskInput) -> CompleteTaskPayload:
        return await run_mutation(
            info,
            input,
            lambda act: tasks.complete_task(
                act.session,
                act.actor,
                expect_id(input.id, "Task", "input.id"),
                outcome=input.outcome,
                note=input.note,
                expected_version=input.version,
                now=act.now,
            ),
            success=lambda task: CompleteTaskSuccess(task=orm_root(task)),
        )
