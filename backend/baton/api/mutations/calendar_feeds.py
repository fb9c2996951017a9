"""The private calendar address: issue a new one (the old stops working), revoke it."""

from typing import cast
from weakref import WeakKeyDictionary

import strawberry

from baton.api.cars.types import CalendarFeedType
from baton.api.mutation import Acting, mutation
from baton.db import models
from baton.domain.cars import feeds as calendar_feeds

# The token of a feed just issued, until its address is shown (the database keeps only the
# token's hash). Keyed by the issuing request's own ORM object and taken when shown: a replay
# reads the feed again, without a token.
_TO_SHOW: WeakKeyDictionary[models.CalendarFeed, str] = WeakKeyDictionary()


@strawberry.input
class CalendarFeedInput:
    client_mutation_id: str | None = None


@strawberry.type
class CalendarFeedSuccess:
    feed: CalendarFeedType

    @strawberry.field(
        description="The private address (a path on this server), shown once: a replay of "
        "the same clientMutationId answers null."
    )
    def url(self) -> str | None:
        token = _TO_SHOW.pop(cast(models.CalendarFeed, self.feed), None)
        return None if token is None else f"/calendar/{token}.ics"


# Each acts on the caller's own address: no Action.
@strawberry.type
class CalendarFeedMutations:
    @mutation(ability=None, success=CalendarFeedSuccess)
    async def issue_calendar_feed(input: CalendarFeedInput, acting: Acting) -> models.CalendarFeed:
        feed, token = await calendar_feeds.issue_feed(acting.session, acting.actor, now=acting.now)
        _TO_SHOW[feed] = token
        return feed

    @mutation(ability=None, success=CalendarFeedSuccess)
    async def revoke_calendar_feed(input: CalendarFeedInput, acting: Acting) -> models.CalendarFeed:
        return await calendar_feeds.revoke_feed(acting.session, acting.actor, now=acting.now)
