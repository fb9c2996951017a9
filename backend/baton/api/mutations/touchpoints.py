"""Touchpoint owners: a store manager names who owns a step of the journey."""

import strawberry

from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.cases import TouchpointType
from baton.api.types.org import Department
from baton.db import models
from baton.domain.access import Action
from baton.domain.cases import touchpoints


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


@strawberry.type
class TouchpointMutations:
    @mutation(
        ability=Action.EDIT_TOUCHPOINTS,
        success=TouchpointSuccess,
        description="Store managers only; audited.",
    )
    async def set_touchpoint_owners(
        input: SetTouchpointOwnersInput, acting: Acting
    ) -> models.Touchpoint:
        return await touchpoints.set_touchpoint_owners(
            acting.session,
            acting.actor,
            expect_id(input.id, "Touchpoint", "input.id"),
            owner_department=input.owner_department,
            collaborating_departments=list(input.collaborating_departments),
            owner_id=optional_id(input.owner_id, "User", "input.ownerId"),
            expected_version=input.version,
            now=acting.now,
        )
