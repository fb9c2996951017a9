"""Measures of capabilities 2, 3 and 4: promise fulfilment, task on-time rates, learning."""

from datetime import date
from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.learning.types import LearningTopicType
from baton.api.types.relay import orm_root
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
class MasteredByDay30:
    customers: int = strawberry.field(
        description="Handed over in the period, with their 30 days already passed."
    )
    topics_mastered: int
    per_customer: float | None


@strawberry.type
class UnconfirmedSkip:
    topic: LearningTopicType
    customers: int


@strawberry.type
class LearningMeasures:
    delivery_training: Rate = strawberry.field(
        description="due: customers handed over in the period; on_time: those of them with a "
        "delivery-training session."
    )
    mastered_by_day_30: MasteredByDay30 = strawberry.field(
        description="Topics mastered within 30 days of the handover, per customer."
    )
    unconfirmed_skips: list[UnconfirmedSkip] = strawberry.field(
        description="Per topic, customers who asked to skip it and were never taught it since."
    )


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

    @strawberry.field(
        description="The learning archive's measures, for managers: the period picks the "
        "handovers (store-local days, both ends included); skips are counted store-wide."
    )
    async def learning_measures(
        self,
        info: Info,
        store_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> LearningMeasures:
        actor = await info.context.actor()
        session = info.context.session
        store = expect_id(store_id, "Store", "storeId")
        share = await measures.delivery_training_share(session, actor, store, from_, to)
        mastered = await measures.topics_mastered_by_day_30(
            session, actor, store, from_, to, now=info.context.now()
        )
        skips = await measures.unconfirmed_skips(session, actor, store)
        return LearningMeasures(
            delivery_training=Rate(due=share.due, on_time=share.on_time, rate=share.rate),
            mastered_by_day_30=MasteredByDay30(
                customers=mastered.customers,
                topics_mastered=mastered.topics_mastered,
                per_customer=mastered.per_customer,
            ),
            unconfirmed_skips=[
                UnconfirmedSkip(topic=orm_root(s.topic), customers=s.customers) for s in skips
            ],
        )
