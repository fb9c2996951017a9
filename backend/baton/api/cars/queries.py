"""Read side of the car calendar: a store's week (cars × days, bookings, windows)."""

from datetime import date

import strawberry

from baton.api.cars.types import (
    CalendarFeedType,
    CarSettlementType,
    CarWeekType,
    settlement_type,
    week_type,
)
from baton.api.context import Info
from baton.api.ids import optional_id
from baton.api.types.relay import orm_root
from baton.domain.cars.bookings import car_week
from baton.domain.cars.feeds import active_feed
from baton.domain.cars.settlement import monthly_statement
from baton.domain.errors import FieldProblem, NotFound, ValidationFailed


@strawberry.type
class CarQueries:
    @strawberry.field(
        description="A store's cars × `days` store-local days from `start` (default today), "
        "with the bookings holding them and the service priority window of each day."
    )
    async def car_week(
        self,
        info: Info,
        store_id: strawberry.ID | None = None,
        start: date | None = None,
        days: int = 7,
    ) -> CarWeekType:
        actor = await info.context.actor()
        chosen = optional_id(store_id, "Store", "storeId") or actor.user.store_id
        if chosen is None:
            raise NotFound("Store", "storeId")
        first = start or info.context.facts.home_clock().today(info.context.now())
        week = await car_week(info.context.session, actor, chosen, first, days)
        info.context.facts.car_policies[chosen] = week.policy
        return week_type(week)

    @strawberry.field(
        description="A past month's car settlement of a store (`month` like 2026-10)."
    )
    async def car_settlement(
        self, info: Info, month: str, store_id: strawberry.ID | None = None
    ) -> CarSettlementType:
        actor = await info.context.actor()
        chosen = optional_id(store_id, "Store", "storeId") or actor.user.store_id
        if chosen is None:
            raise NotFound("Store", "storeId")
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise ValidationFailed([FieldProblem("month", "bad_month")]) from None
        statement = await monthly_statement(
            info.context.session, actor, chosen, first, now=info.context.now()
        )
        return settlement_type(statement)

    @strawberry.field(description="My private calendar address, if I have one (not its URL).")
    async def my_calendar_feed(self, info: Info) -> CalendarFeedType | None:
        actor = await info.context.actor()
        return orm_root(await active_feed(info.context.session, actor))
