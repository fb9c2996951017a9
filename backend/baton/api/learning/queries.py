"""Read side of the learning archive: a store's topic catalogue."""

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.learning.types import LearningTopicType
from baton.api.types.relay import orm_root
from baton.domain.learning import topics


@strawberry.type
class LearningQueries:
    @strawberry.field(
        description="A store's topic catalogue in its suggested order (at most 200 topics); "
        "retired topics only when asked."
    )
    async def learning_topics(
        self, info: Info, store_id: strawberry.ID, include_retired: bool = False
    ) -> list[LearningTopicType]:
        actor = await info.context.actor()
        found = await topics.catalogue(
            info.context.session,
            actor,
            expect_id(store_id, "Store", "storeId"),
            include_retired=include_retired,
        )
        return orm_root(found)
