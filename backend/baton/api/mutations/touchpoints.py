"""Touchpoint owners: a store manager names who owns a step of the journey."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.cases import TouchpointType
from baton.api.types.org import Department
from baton.api.types.relay import orm_root
from baton.domain import touchpoints


@strawberry.input
class SetTouchpointOwnersInput:
    id: strawberry.ID
    version: int
    owner_department: Department  # type: ignore[valid-type]
    collaborating_departments: list[Department]  # type: ignore[valid-type]
    owner_id: strawberry.ID | None = None
    client_mutation_id: str | None = None


@strawberry.type
class TouchpointSuccess:
    touchpoint: TouchpointType


TouchpointPayload = Annotated[
    TouchpointSuccess | MutationError, strawberry.union("TouchpointPayload")
]


@strawberry.type
class TouchpointMutations:
    @strawberry.mutation(description="Store managers only; audited.")
    async def set_touchpoint_owners(
        self, info: Info, input: SetTouchpointOwnersInput
    ) -> TouchpointPayload:
        return await run_mutation(
            info,
            input,
            lambda act: touchpoints.set_touchpoint_owners(
                act.session,
                act.actor,
                expect_id(input.id, "Touchpoint", "input.id"),
                owner_department=input.owner_department,
                collaborating_departments=list(input.collaborating_departments),
                owner_id=optional_id(input.owner_id, "User", "input.ownerId"),
                expected_version=input.version,
                now=act.now,
            ),
            success=lambda tp: TouchpointSuccess(touchpoint=orm_root(tp)),
        )
