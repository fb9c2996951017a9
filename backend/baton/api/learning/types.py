"""The learning archive (客户学习档案): topics, teaching sessions, a customer's archive."""

import asyncio
from datetime import datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.abilities import Ability
from baton.api.types.org import Department, UserType
from baton.api.types.relay import Node, orm_root
from baton.db import models
from baton.domain.access import Subject
from baton.domain.learning.archive import Archive, Taught, TopicRecord, customer_archive
from baton.domain.learning.sessions import amendable_until, teaching_subject
from baton.domain.learning.topics import topic_text

TopicStage = strawberry.enum(models.TopicStage)
TeachingKind = strawberry.enum(models.TeachingKind)
TeachingLevel = strawberry.enum(models.TeachingLevel)
SkipReason = strawberry.enum(models.SkipReason)


async def archive_for(
    info: Info, customer_id: int, customer: models.Customer | None = None
) -> Archive:
    """The customer's archive, built once per request from batched loaders: the store's
    catalogue, the customer's entries, deliveries and visits (the last two the record
    reads anyway). Called with the customer from its own fields, which primes the loader
    the fields below (an entry's topic) read it from."""
    loaders = info.context.loaders
    if customer is not None:
        loaders.customer.prime(customer.id, customer)
    found = loaders.archives.get(customer_id)
    if found is None:
        customer = await loaders.customer.load(customer_id)
        assert customer is not None
        # Together, so the entries join the customer's other families in one statement.
        topics, taught, deliveries, visits = await asyncio.gather(
            loaders.topics_of_store.load(customer.store_id),
            loaders.taught_of_customer.load(customer_id),
            loaders.deliveries_of_customer.load(customer_id),
            loaders.visits_of_customer.load(customer_id),
        )
        found = customer_archive(topics, taught, deliveries, visits)
        loaders.archives[customer_id] = found
    return found


@strawberry.type(name="LearningTopic")
class LearningTopicType(Node):
    code: str | None = strawberry.field(description="Set on the default catalogue's topics.")
    position: int = strawberry.field(description="1 is taught first.")
    stage: TopicStage  # type: ignore[valid-type]
    department: Department = strawberry.field(  # type: ignore[valid-type]
        description="The department that normally teaches it."
    )
    retired_at: datetime | None
    version: int

    @strawberry.field(description="As a manager typed it, else in the viewer's language.")
    @staticmethod
    def name(root: Parent[models.LearningTopic], info: Info) -> str:
        text = topic_text(root)
        if isinstance(text, str):
            return text
        return info.context.reader().say(text["key"], {})

    @strawberry.field
    @staticmethod
    def retired(root: Parent[models.LearningTopic]) -> bool:
        return root.retired_at is not None

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.LearningTopic)


async def _topic(info: Info, customer_id: int, topic_id: int) -> LearningTopicType:
    customer = await info.context.loaders.customer.load(customer_id)
    assert customer is not None
    topics = await info.context.loaders.topics_of_store.load(customer.store_id)
    return orm_root(next(t for t in topics if t.id == topic_id))


@strawberry.type(name="TeachingEntry")
class TeachingEntryType:
    """One topic of a session: taught to a level, or skipped for a reason (never learned)."""

    level: TeachingLevel | None  # type: ignore[valid-type]
    skip_reason: SkipReason | None  # type: ignore[valid-type]
    skip_note: str

    @strawberry.field
    @staticmethod
    async def topic(root: Parent[models.TeachingEntry], info: Info) -> LearningTopicType:
        return await _topic(info, root.customer_id, root.topic_id)

    @strawberry.field(description="At or below a level the customer had already reached.")
    @staticmethod
    async def is_refresher(root: Parent[models.TeachingEntry], info: Info) -> bool:
        return root.id in (await archive_for(info, root.customer_id)).refreshers


async def _teaching_subject(teaching: models.TeachingSession, info: Info) -> Subject:
    customer = await info.context.loaders.customer.load(teaching.customer_id)
    assert customer is not None  # a session is read through its visible customer
    return teaching_subject(teaching, customer)


@strawberry.type(name="TeachingSession")
class TeachingSessionType(Node):
    kind: TeachingKind  # type: ignore[valid-type]
    taught_at: datetime
    note: str
    created_at: datetime
    version: int

    @strawberry.field
    @staticmethod
    async def teacher(root: Parent[models.TeachingSession], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.teacher_id))

    @strawberry.field(description="Who recorded it: the only one who may amend it.")
    @staticmethod
    async def author(root: Parent[models.TeachingSession], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.author_id))

    @strawberry.field(description="Its author may amend it until then.")
    @staticmethod
    def amendable_until(root: Parent[models.TeachingSession]) -> datetime:
        return amendable_until(root)

    @strawberry.field
    @staticmethod
    async def entries(root: Parent[models.TeachingSession], info: Info) -> list[TeachingEntryType]:
        taught = await info.context.loaders.taught_of_customer.load(root.customer_id)
        return orm_root([t.entry for t in taught if t.session.id == root.id])

    @strawberry.field(description="What the viewer may do with this teaching session.")
    @staticmethod
    async def viewer_can(root: Parent[models.TeachingSession], info: Info) -> list[Ability]:  # type: ignore[valid-type]
        return await info.context.facts.viewer_can(
            "TeachingSession", await _teaching_subject(root, info)
        )

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.TeachingSession)


@strawberry.type(name="TopicMark")
class TopicMarkType:
    """One entry of a topic's history: when, by whom, in which session."""

    @strawberry.field
    @staticmethod
    def at(root: Parent[Taught]) -> datetime:
        return root.at

    @strawberry.field
    @staticmethod
    def level(root: Parent[Taught]) -> TeachingLevel | None:  # type: ignore[valid-type]
        return root.entry.level

    @strawberry.field
    @staticmethod
    def skip_reason(root: Parent[Taught]) -> SkipReason | None:  # type: ignore[valid-type]
        return root.entry.skip_reason

    @strawberry.field
    @staticmethod
    def skip_note(root: Parent[Taught]) -> str:
        return root.entry.skip_note

    @strawberry.field
    @staticmethod
    async def by(root: Parent[Taught], info: Info) -> UserType:
        return orm_root(await info.context.loaders.user.load(root.session.teacher_id))

    @strawberry.field
    @staticmethod
    def session(root: Parent[Taught]) -> TeachingSessionType:
        return orm_root(root.session)


@strawberry.type(name="TopicRecord")
class TopicRecordType:
    """A topic in a customer's archive: the highest level reached and the latest taught."""

    @strawberry.field
    @staticmethod
    def topic(root: Parent[TopicRecord]) -> LearningTopicType:
        return orm_root(root.topic)

    @strawberry.field(description="The highest level reached; null when only ever skipped.")
    @staticmethod
    def highest(root: Parent[TopicRecord]) -> TopicMarkType | None:
        return orm_root(root.highest)

    @strawberry.field(description="The latest time it was taught (a refresher, perhaps).")
    @staticmethod
    def latest(root: Parent[TopicRecord]) -> TopicMarkType | None:
        return orm_root(root.latest)

    @strawberry.field(
        description="The customer asked to skip it and nobody has taught it since: their word "
        "that they know it, still to be checked."
    )
    @staticmethod
    def skipped(root: Parent[TopicRecord]) -> TopicMarkType | None:
        return orm_root(root.skip)

    @strawberry.field
    @staticmethod
    def refreshers(root: Parent[TopicRecord]) -> int:
        return root.refreshers

    @strawberry.field
    @staticmethod
    def mastered(root: Parent[TopicRecord]) -> bool:
        return root.mastered


@strawberry.type(name="LearningProgress")
class LearningProgressType:
    mastered: int
    total: int = strawberry.field(description="Active topics of the store's catalogue.")
    stage: TopicStage = strawberry.field(  # type: ignore[valid-type]
        description="The customer's stage: teach-next offers its topics and those before it."
    )
