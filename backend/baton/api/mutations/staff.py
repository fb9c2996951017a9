"""Staff who leave (离职交接): a store manager names the successor who takes over."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id
from baton.api.mutation import run_mutation
from baton.api.types.org import UserType
from baton.api.types.relay import orm_root
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


DeactivateStaffPayload = Annotated[
    DeactivateStaffSuccess | MutationError, strawberry.union("DeactivateStaffPayload")
]


@strawberry.type
class StaffMutations:
    @strawberry.mutation(
        description="The user leaves: open tasks, orders, deliveries, pending promises and open "
        "visits pass to the successor in one step; their logins end at once."
    )
    async def deactivate_staff(
        self, info: Info, input: DeactivateStaffInput
    ) -> DeactivateStaffPayload:
        return await run_mutation(
            info,
            input,
            lambda act: staff_leave.hand_over_and_deactivate(
                act.session,
                act.actor,
                expect_id(input.user_id, "User", "input.userId"),
                successor_id=expect_id(input.successor_id, "User", "input.successorId"),
                now=act.now,
            ),
            success=lambda user: DeactivateStaffSuccess(user=orm_root(user)),
        )
