"""The topic catalogue, for store managers: add, rename, move and retire topics."""

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.mutation import Acting, mutation
from baton.api.types.learning import LearningTopicType, TopicStage
from baton.api.types.org import Department
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.learning import topics


@strawberry.input
class AddLearningTopicInput:
    store_id: strawberry.ID
    name: str
    stage: TopicStage  # type: ignore[valid-type]
    department: Department  # type: ignore[valid-type]
    position: int | None = strawberry.field(default=None, description="1 is first; last if null.")
    client_mutation_id: str | None = None


@strawberry.input
class RenameLearningTopicInput:
    id: strawberry.ID
    version: int
    name: str
    client_mutation_id: str | None = None


@strawberry.input
class MoveLearningTopicInput:
    id: strawberry.ID
    version: int
    position: int = strawberry.field(description="1 is first; the others close up.")
    client_mutation_id: str | None = None


@strawberry.input
class RetireLearningTopicInput:
    id: strawberry.ID
    version: int
    client_mutation_id: str | None = None


@strawberry.type
class LearningTopicSuccess:
    topic: LearningTopicType

    @strawberry.field(description="The store's active catalogue, in its new order.")
    async def catalogue(self, info: Info) -> list[LearningTopicType]:
        topic: models.LearningTopic = self.topic  # type: ignore[assignment]
        found = await topics.topics_of_stores(info.context.session, [topic.store_id])
        return orm_root([t for t in found[topic.store_id] if t.retired_at is None])


def _id(value: strawberry.ID) -> int:
    return expect_id(value, "LearningTopic", "input.id")


@strawberry.type
class TopicMutations:
    @mutation(ability=Action.MANAGE_TOPICS, success=LearningTopicSuccess)
    async def add_learning_topic(
        input: AddLearningTopicInput, acting: Acting
    ) -> models.LearningTopic:
        return await topics.add_topic(
            acting.session,
            acting.actor,
            expect_id(input.store_id, "Store", "input.storeId"),
            topics.NewTopic(input.name, input.stage, input.department, input.position),
            now=acting.now,
        )

    @mutation(ability=Action.MANAGE_TOPICS, success=LearningTopicSuccess)
    async def rename_learning_topic(
        input: RenameLearningTopicInput, acting: Acting
    ) -> models.LearningTopic:
        return await topics.rename_topic(
            acting.session,
            acting.actor,
            _id(input.id),
            version=input.version,
            name=input.name,
            now=acting.now,
        )

    @mutation(ability=Action.MANAGE_TOPICS, success=LearningTopicSuccess)
    async def move_learning_topic(
        input: MoveLearningTopicInput, acting: Acting
    ) -> models.LearningTopic:
        return await topics.move_topic(
            acting.session,
            acting.actor,
            _id(input.id),
            version=input.version,
            position=input.position,
            now=acting.now,
        )

    @mutation(
        ability=Action.MANAGE_TOPICS,
        success=LearningTopicSuccess,
        description="A retired topic stays on old sessions; never suggested.",
    )
    async def retire_learning_topic(
        input: RetireLearningTopicInput, acting: Acting
    ) -> models.LearningTopic:
        return await topics.retire_topic(
            acting.session, acting.actor, _id(input.id), version=input.version, now=acting.now
        )
