"""The store manager sets the store's car policy."""

from datetime import date, time
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id
from baton.api.mutation import Acting, run_mutation
from baton.api.types.cars import CarPolicyType, policy_type
from baton.api.types.org import StoreType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain import car_policy
from baton.domain.errors import FieldProblem, ValidationFailed


@strawberry.input
class UpdateCarPolicyInput:
    store_id: strawberry.ID
    service_window_start: str = "08:00"
    service_window_end: str = "18:00"
    advance_days: int = 3
    turnaround_minutes: int = 60
    max_booking_hours: int = 72
    usage_fee_yuan: int = 1000
    holidays: list[date] = strawberry.field(default_factory=list)
    client_mutation_id: str | None = None


@strawberry.type
class CarPolicySuccess:
    policy: CarPolicyType
    store: StoreType


CarPolicyPayload = Annotated[CarPolicySuccess | MutationError, strawberry.union("CarPolicyPayload")]


def _time(value: str, path: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed([FieldProblem(path, "bad_time")]) from None


@strawberry.type
class CarPolicyMutations:
    @strawberry.mutation
    async def update_car_policy(self, info: Info, input: UpdateCarPolicyInput) -> CarPolicyPayload:
        async def apply(act: Acting) -> models.Store:
            store_id = expect_id(input.store_id, "Store", "input.storeId")
            await car_policy.update_policy(
                act.session,
                act.actor,
                store_id,
                service_window_start=_time(input.service_window_start, "input.serviceWindowStart"),
                service_window_end=_time(input.service_window_end, "input.serviceWindowEnd"),
                advance_days=input.advance_days,
                turnaround_minutes=input.turnaround_minutes,
                max_booking_hours=input.max_booking_hours,
                usage_fee_yuan=input.usage_fee_yuan,
                holidays=input.holidays,
                now=act.now,
            )
            store = await act.session.get(models.Store, store_id)
            assert store is not None
            return store

        result = await run_mutation(info, input, apply, success=lambda store: store)
        if not isinstance(result, models.Store):
            return result
        policy = await car_policy.store_policy(info.context.session, result.id)
        return CarPolicySuccess(policy=policy_type(policy), store=orm_root(result))
