"""The private calendar address: issue a new one (the old stops working), revoke it."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.mutation import Acting, run_mutation
from baton.api.types.cars import CalendarFeedType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain import calendar_feeds


@strawberry.input
class CalendarFeedInput:
    client_mutation_id: str | None = None


@strawberry.type
class CalendarFeedSuccess:
    feed: CalendarFeedType
    url: str | None = strawberry.field(
        description="The private address (a path on this server), shown once: a replay of "
        "the same clientMutationId answers null."
    )


CalendarFeedPayload = Annotated[
    CalendarFeedSuccess | MutationError, strawberry.union("CalendarFeedPayload")
]


@strawberry.type
class CalendarFeedMutations:
    @strawberry.mutation
    async def issue_calendar_feed(
        self, info: Info, input: CalendarFeedInput
    ) -> CalendarFeedPayload:
        issued: dict[int, str] = {}

        async def apply(act: Acting) -> models.CalendarFeed:
            feed, token = await calendar_feeds.issue_feed(act.session, act.actor, now=act.now)
            issued[feed.id] = token
            return feed

        return await run_mutation(
            info,
            input,
            apply,
            success=lambda feed: CalendarFeedSuccess(
                feed=orm_root(feed),
                url=f"/calendar/{issued[feed.id]}.ics" if feed.id in issued else None,
            ),
        )

    @strawberry.mutation
    async def revoke_calendar_feed(
        self, info: Info, input: CalendarFeedInput
    ) -> CalendarFeedPayload:
        return await run_mutation(
            info,
            input,
            lambda act: calendar_feeds.revoke_feed(act.session, act.actor, now=act.now),
            success=lambda feed: CalendarFeedSuccess(feed=orm_root(feed), url=None),
        )
