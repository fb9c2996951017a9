"""Staff who leave (离职交接): a store manager names the successor who takes over."""

import strawberry

from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.org import UserType
from baton.db import models
from baton.domain.access import Action
from baton.domain.journeys import staff_leave


@strawberry.input
class DeactivateStaffInput:
    user_id: strawberry.ID
    successor_id: strawberry.ID = strawberry.field(
        description="An active colleague of the same store and role."
    )
    client_mutation_id: str | None = None


@strawberry.type
class DeactivateStaffSuccess:
    user: UserType = strawberry.field(description="The leaver, now inactive.")


@strawberry.type
class StaffMutations:
    @mutation(
        ability=Action.MANAGE_STAFF,
        success=DeactivateStaffSuccess,
        description="The user leaves: open tasks, orders, deliveries, pending promises and open "
        "visits pass to the successor in one step; their logins end at once.",
    )
    async def deactivate_staff(input: DeactivateStaffInput, acting: Acting) -> models.User:
        return await staff_leave.hand_over_and_deactivate(
            acting.session,
            acting.actor,
            expect_id(input.user_id, "User", "input.userId"),
            successor_id=expect_id(input.successor_id, "User", "input.successorId"),
            now=acting.now,
        )
