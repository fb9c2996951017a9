"""Service desk: checking a customer in."""

from datetime import datetime

import strawberry

from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.visits import ServiceVisitType
from baton.db import models
from baton.domain.access import Action
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


@strawberry.type
class CheckInMutations:
    @mutation(ability=Action.CHECK_IN, success=CheckInSuccess)
    async def check_in_for_service(
        input: CheckInForServiceInput, acting: Acting
    ) -> models.ServiceVisit:
        return await check_in.check_in_for_service(
            acting.session,
            acting.actor,
            expect_id(input.customer_id, "Customer", "input.customerId"),
            vehicle_id=optional_id(input.vehicle_id, "Vehicle", "input.vehicleId"),
            mileage_km=input.mileage_km,
            complaint=input.complaint,
            now=acting.now,
            checked_in_at=input.checked_in_at,
        )
