"""The learning archive: record a teaching session (offline too), amend it within a day."""

from datetime import datetime
from typing import cast

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id, optional_id
from baton.api.mutation import Acting, mutation
from baton.api.types.customers import CustomerType
from baton.api.types.learning import SkipReason, TeachingKind, TeachingLevel, TeachingSessionType
from baton.api.types.relay import orm_root
from baton.db import models
from baton.domain.access import Action
from baton.domain.learning import sessions


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
