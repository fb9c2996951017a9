"""Service desk: checking a customer in."""

from datetime import datetime
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import run_mutation
from baton.api.types.relay import orm_root
from baton.api.types.service import ServiceVisitType
from baton.db import models
from baton.domain import service
from baton.domain.access import Actor


@strawberry.input
class CheckInForServiceInput:
    customer_id: strawberry.ID
    vehicle_id: strawberry.ID | None = None
    mileage_km: int | None = None
    complaint: str = ""
    client_mutation_id: str | None = None


@strawberry.type
class CheckInSuccess:
    visit: ServiceVisitType


CheckInPayload = Annotated[CheckInSuccess | MutationError, strawberry.union("CheckInPayload")]


@strawberry.type
class ServiceMutations:
    @strawberry.mutation
    async def check_in_for_service(
        self, info: Info, input: CheckInForServiceInput
    ) -> CheckInPayload:
        async def apply(actor: Actor, now: datetime) -> models.ServiceVisit:
            return await service.check_in_for_service(
                info.context.session,
                actor,
                expect_id(input.customer_id, "Customer", "input.customerId"),
                vehicle_id=optional_id(input.vehicle_id, "Vehicle", "input.vehicleId"),
                mileage_km=input.mileage_km,
                complaint=input.complaint,
                now=now,
            )

        return await run_mutation(
            info,
            operation="checkInForService",
            client_mutation_id=input.client_mutation_id,
            apply=apply,
            success=lambda visit: CheckInSuccess(visit=orm_root(visit)),
        )
