"""The topic catalogue, for store managers: add, rename, move and retire topics."""

from typing import Annotated

import strawberry

from baton.api.context import Info
from baton.api.errors import MutationError
from baton.api.ids import expect_id
from baton.api.mutation import run_mutation
from baton.api.types.learning import LearningTopicType, TopicStage
from baton.api.types.org import Department
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain import topics


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


LearningTopicPayload = Annotated[
    LearningTopicSuccess | MutationError, strawberry.union("LearningTopicPayload")
]


def _success(topic: models.LearningTopic) -> LearningTopicSuccess:
    return LearningTopicSuccess(topic=orm_root(topic))


def _id(value: strawberry.ID) -> int:
    return expect_id(value, "LearningTopic", "input.id")


@strawberry.type
class TopicMutations:
    @strawberry.mutation
    async def add_learning_topic(
        self, info: Info, input: AddLearningTopicInput
    ) -> LearningTopicPayload:
        return await run_mutation(
            info,
            input,
            lambda act: topics.add_topic(
                act.session,
                act.actor,
                expect_id(input.store_id, "Store", "input.storeId"),
                topics.NewTopic(input.name, input.stage, input.department, input.position),
                now=act.now,
            ),
            success=_success,
        )

    @strawberry.mutation
    async def rename_learning_topic(
        self, info: Info, input: RenameLearningTopicInput
    ) -> LearningTopicPayload:
        return await run_mutation(
            info,
            input,
            lambda act: topics.rename_topic(
                act.session,
                act.actor,
                _id(input.id),
                version=input.version,
                name=input.name,
                now=act.now,
            ),
            success=_success,
        )

    @strawberry.mutation
    async def move_learning_topic(
        self, info: Info, input: MoveLearningTopicInput
    ) -> LearningTopicPayload:
        return await run_mutation(
            info,
            input,
            lambda act: topics.move_topic(
                act.session,
                act.actor,
                _id(input.id),
                version=input.version,
                position=input.position,
                now=act.now,
            ),
            success=_success,
        )

    @strawberry.mutation(description="A retired topic stays on old sessions; never suggested.")
    async def retire_learning_topic(
        self, info: Info, input: RetireLearningTopicInput
    ) -> LearningTopicPayload:
        return await run_mutation(
            info,
            input,
            lambda act: topics.retire_topic(
                act.session, act.actor, _id(input.id), version=input.version, now=act.now
            ),
            success=_success,
        )
