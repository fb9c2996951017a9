"""Read side of cases: my cases, a customer's cases, the journey map, raising's starting
point, and the case measures of a store or region."""

from datetime import date
from typing import Annotated

import strawberry

from baton.api.cases.types import CaseDraft, CaseType, JourneyMapEntry
from baton.api.context import Info
from baton.api.ids import expect_id, optional_id
from baton.api.types.org import Department
from baton.api.types.relay import orm_root
from baton.domain import measures
from baton.domain.cases import queries, touchpoints
from baton.domain.errors import NotFound


@strawberry.type
class Count:
    key: str
    count: int


@strawberry.type
class DepartmentCount:
    department: Department  # type: ignore[valid-type]
    count: int


@strawberry.type
class DepartmentHours:
    department: Department  # type: ignore[valid-type]
    hours: float


@strawberry.type
class LevelShare:
    level: int
    resolved: int
    share: float | None
    hours_held: float


@strawberry.type
class CaseMeasures:
    raised: int
    by_touchpoint: list[Count]
    by_department: list[DepartmentCount]
    resolved_at_level: list[LevelShare] = strawberry.field(
        description="Share of closed cases settled at each level (seed 001: 80 / 15 / 5 %)."
    )
    median_hours_to_resolve: float | None
    reopen_rate: float | None
    bounce_attempts_refused: int
    hours_by_department: list[DepartmentHours]


@strawberry.type
class CaseQueries:
    @strawberry.field(
        description="Open cases I raised, own, help with or hold now (soonest escalation first), "
        "then those closed within the 7-day reopen window."
    )
    async def my_cases(self, info: Info) -> list[CaseType]:
        async with info.context.turn():
            actor = await info.context.actor()
            return orm_root(
                await queries.my_cases(info.context.session, actor, now=info.context.now())
            )

    @strawberry.field(
        description="The customer's cases, most urgent first: open ones by level (highest "
        "first), then the soonest to rise; then closed ones (at most 50)."
    )
    async def customer_cases(self, info: Info, customer_id: strawberry.ID) -> list[CaseType]:
        async with info.context.turn():
            actor = await info.context.actor()
            number = expect_id(customer_id, "Customer", "customerId")
            return orm_root(await queries.customer_cases(info.context.session, actor, number))

    @strawberry.field(
        description="A store's 33 touchpoints by stage with open cases; default: mine."
    )
    async def journey_map(
        self, info: Info, store_id: strawberry.ID | None = None
    ) -> list[JourneyMapEntry]:
        async with info.context.turn():
            actor = await info.context.actor()
            number = optional_id(store_id, "Store", "storeId") or actor.user.store_id
            if number is None:
                raise NotFound("Store", "storeId")
            rows = await touchpoints.journey_map(info.context.session, actor, number)
            return [
                JourneyMapEntry(touchpoint=orm_root(row.touchpoint), open_cases=row.open_cases)
                for row in rows
            ]

    @strawberry.field(
        description="Raising a case for a customer: the touchpoint their stage suggests."
    )
    async def case_draft(self, info: Info, customer_id: strawberry.ID) -> CaseDraft:
        async with info.context.turn():
            actor = await info.context.actor()
            _, points, suggested = await touchpoints.suggested_touchpoint(
                info.context.session, actor, expect_id(customer_id, "Customer", "customerId")
            )
            return CaseDraft(suggested=orm_root(suggested), touchpoints=orm_root(points))

    @strawberry.field(
        description="Cases raised in the period (store-local days, both ends included); "
        "without a store, every store the viewer sees (a director: the region)."
    )
    async def case_measures(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        store_id: strawberry.ID | None = None,
    ) -> CaseMeasures:
        async with info.context.turn():
            actor = await info.context.actor()
            found = await measures.case_measures(
                info.context.session,
                actor,
                optional_id(store_id, "Store", "storeId"),
                from_,
                to,
                now=info.context.now(),
            )
        return CaseMeasures(
            raised=found.raised,
            by_touchpoint=[Count(key=k, count=c) for k, c in found.by_touchpoint],
            by_department=[DepartmentCount(department=d, count=c) for d, c in found.by_department],
            resolved_at_level=[
                LevelShare(
                    level=level,
                    resolved=found.resolved_at_level[level],
                    share=found.resolved_share(level),
                    hours_held=found.hours_by_level[level],
                )
                for level in (1, 2, 3)
            ],
            median_hours_to_resolve=found.median_hours_to_resolve,
            reopen_rate=found.reopen_rate,
            bounce_attempts_refused=found.bounce_attempts_refused,
            hours_by_department=[
                DepartmentHours(department=d, hours=h) for d, h in found.hours_by_department
            ],
        )
