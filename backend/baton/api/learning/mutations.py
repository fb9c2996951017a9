"""The learning archive, the write side: record a teaching session (offline too) and amend it
within a day; and the topic catalogue, for store managers: add, rename, move and retire topics."""

from datetime import datetime
from typing import cast

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id, optional_id
from baton.api.learning.types import (
    LearningTopicType,
    SkipReason,
    TeachingKind,
    TeachingLevel,
    TeachingSessionType,
    TopicStage,
)
from baton.api.mutation import Acting, mutation
from baton.api.types.customers import CustomerType
from baton.api.types.org import Department
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.learning import sessions, topics

# --- teaching sessions --------------------------------------------------------------------


@strawberry.input
class TaughtTopicInput:
    topic_id: strawberry.ID
    level: TeachingLevel  # type: ignore[valid-type]


@strawberry.input
class SkippedTopicInput:
    topic_id: strawberry.ID
    reason: SkipReason  # type: ignore[valid-type]
    note: str = ""


@strawberry.input
class RecordTeachingSessionInput:
    customer_id: strawberry.ID
    kind: TeachingKind  # type: ignore[valid-type]
    taught_at: datetime | None = strawberry.field(
        default=None, description="When it was held; now if left out (an offline replay sends it)."
    )
    teacher_id: strawberry.ID | None = strawberry.field(
        default=None, description="A staff member of the customer's store; the caller if left out."
    )
    note: str = ""
    topics: list[TaughtTopicInput] = strawberry.field(
        default_factory=list, description="At most 50 topics, taught and skipped together."
    )
    skipped: list[SkippedTopicInput] = strawberry.field(default_factory=list)
    client_mutation_id: str | None = None


@strawberry.input
class AmendTeachingSessionInput:
    id: strawberry.ID
    version: int
    kind: TeachingKind  # type: ignore[valid-type]
    note: str = ""
    topics: list[TaughtTopicInput] = strawberry.field(default_factory=list)
    skipped: list[SkippedTopicInput] = strawberry.field(default_factory=list)
    client_mutation_id: str | None = None


@strawberry.type
class TeachingSessionSuccess:
    session: TeachingSessionType

    @strawberry.field(description="The customer, whose archive and teach-next have changed.")
    async def customer(self, info: Info) -> CustomerType:
        customer_id = cast(models.TeachingSession, self.session).customer_id
        return orm_root(await info.context.loaders.customer.load(customer_id))


def _content(
    kind: str, note: str, topics: list[TaughtTopicInput], skipped: list[SkippedTopicInput]
) -> sessions.SessionContent:
    return sessions.SessionContent(
        kind=kind,
        note=note,
        taught=[
            sessions.TaughtTopic(
                expect_id(t.topic_id, "LearningTopic", f"input.topics.{n}.topicId"), t.level
            )
            for n, t in enumerate(topics)
        ],
        skipped=[
            sessions.SkippedTopic(
                expect_id(s.topic_id, "LearningTopic", f"input.skipped.{n}.topicId"),
                s.reason,
                s.note,
            )
            for n, s in enumerate(skipped)
        ],
    )


@strawberry.type
class LearningMutations:
    @mutation(
        ability=Action.RECORD_TEACHING,
        success=TeachingSessionSuccess,
        description="A session held with the customer; replays of its clientMutationId (the "
        "offline queue's key) apply once.",
    )
    async def record_teaching_session(
        input: RecordTeachingSessionInput, acting: Acting
    ) -> models.TeachingSession:
        return await sessions.record_teaching_session(
            acting.session,
            acting.actor,
            expect_id(input.customer_id, "Customer", "input.customerId"),
            _content(input.kind, input.note, input.topics, input.skipped),
            taught_at=input.taught_at,
            teacher_id=optional_id(input.teacher_id, "User", "input.teacherId"),
            now=acting.now,
        )

    @mutation(
        ability=Action.RECORD_TEACHING,
        success=TeachingSessionSuccess,
        description="Its author corrects a session within 24 hours; audited.",
    )
    async def amend_teaching_session(
        input: AmendTeachingSessionInput, acting: Acting
    ) -> models.TeachingSession:
        return await sessions.amend_teaching_session(
            acting.session,
            acting.actor,
            expect_id(input.id, "TeachingSession", "input.id"),
            _content(input.kind, input.note, input.topics, input.skipped),
            version=input.version,
            now=acting.now,
        )


# --- the topic catalogue ------------------------------------------------------------------


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
