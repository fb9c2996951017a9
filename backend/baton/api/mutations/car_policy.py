"""The store manager sets the store's car policy."""

from datetime import date, time

import strawberry

from baton.api.cars.types import CarPolicyType, policy_type
from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.org import StoreType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.cars import policy as car_policy
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
    changed: strawberry.Private[models.Store]

    @strawberry.field
    async def policy(self, info: Info) -> CarPolicyType:
        async with info.context.turn():
            return policy_type(await car_policy.store_policy(info.context.session, self.changed.id))

    @strawberry.field
    def store(self) -> StoreType:
        return orm_root(self.changed)


def _time(value: str, path: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed([FieldProblem(path, "bad_time")]) from None


@strawberry.type
class CarPolicyMutations:
    @mutation(ability=Action.MANAGE_CARS, success=CarPolicySuccess)
    async def update_car_policy(input: UpdateCarPolicyInput, acting: Acting) -> models.Store:
        store_id = expect_id(input.store_id, "Store", "input.storeId")
        await car_policy.update_policy(
            acting.session,
            acting.actor,
            store_id,
            service_window_start=_time(input.service_window_start, "input.serviceWindowStart"),
            service_window_end=_time(input.service_window_end, "input.serviceWindowEnd"),
            advance_days=input.advance_days,
            turnaround_minutes=input.turnaround_minutes,
            max_booking_hours=input.max_booking_hours,
            usage_fee_yuan=input.usage_fee_yuan,
            holidays=input.holidays,
            now=acting.now,
        )
        store = await acting.session.get(models.Store, store_id)
        assert store is not None
        return store
