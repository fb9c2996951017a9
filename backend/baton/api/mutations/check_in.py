"""Service desk: checking a customer in."""

from datetime import datetime
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.relay import orm_root
from baton.api.types.visits import ServiceVisitType
from baton.domain.journeys import check_in


@strawberry.input
class CheckInForServiceInput:
    customer_id: strawberry.ID
    vehicle_id: strawberry.ID | None = None
    mileage_km: int | None = None
    complaint: str = ""
    checked_in_at: datetime | None = strawberry.field(
        default=None,
        description="When the check-in was tapped, for one queued offline: not in the future "
        "(5 minutes of clock skew allowed), at most 24 hours old. Omitted: the server's time.",
    )
    client_mutation_id: str | None = None


@strawberry.type
class CheckInSuccess:
    visit: ServiceVisitType


CheckInPayload = Annotated[CheckInSuccess | MutationError, strawberry.union("CheckInPayload")]


@strawberry.type
class CheckInMutations:
    @strawberry.mutation
    async def check_in_for_service(
        self, info: Info, input: CheckInForServiceInput
    ) -> CheckInPayload:
        return await run_mutation(
            info,
            input,
            lambda act: check_in.check_in_for_service(
                act.session,
                act.actor,
                expect_id(input.customer_id, "Customer", "input.customerId"),
                vehicle_id=optional_id(input.vehicle_id, "Vehicle", "input.vehicleId"),
                mileage_km=input.mileage_km,
                complaint=input.complaint,
                now=act.now,
                checked_in_at=input.checked_in_at,
            ),
            success=lambda visit: CheckInSuccess(visit=orm_root(visit)),
        )
