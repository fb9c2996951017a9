"""Measures of capabilities 2 and 3: promise fulfilment and task on-time rates."""

from datetime import date
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.domain import measures


@strawberry.type
class Rate:
    due: int
    on_time: int
    rate: float | None = strawberry.field(description="on_time / due; null when nothing was due.")


@strawberry.type
class TaskKindRate:
    kind: str
    due: int
    on_time: int
    rate: float | None


@strawberry.type
class MeasureQueries:
    @strawberry.field(
        description="Promises fulfilled on time / promises due in the period (store-local days, "
        "both ends included)."
    )
    async def promise_fulfilment_rate(
        self,
        info: Info,
        store_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> Rate:
        actor = await info.context.actor()
        found = await measures.promise_fulfilment_rate(
            info.context.session, actor, expect_id(store_id, "Store", "storeId"), from_, to
        )
        return Rate(due=found.due, on_time=found.on_time, rate=found.rate)

    @strawberry.field(description="Per task kind: done by the deadline / due in the period.")
    async def task_on_time_rates(
        self,
        info: Info,
        store_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[TaskKindRate]:
        actor = await info.context.actor()
        found = await measures.task_on_time_rates(
            info.context.session, actor, expect_id(store_id, "Store", "storeId"), from_, to
        )
        return [
            TaskKindRate(kind=kind, due=rate.due, on_time=rate.on_time, rate=rate.rate)
            for kind, rate in found.items()
        ]
