"""The customer record (客户360) and what hangs off it directly."""

from datetime import date, datetime

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.learning.types import (
    LearningProgressType,
    LearningTopicType,
    TeachingSessionType,
    TopicRecordType,
    archive_for,
)
from baton.api.types.abilities import Ability
from baton.api.types.orders import DeliveryType, OrderType
from baton.api.types.org import Department, StoreType, UserType
from baton.api.types.promises import PromiseType
from baton.api.types.relay import Connection, Cursor, Node, connection, instant, orm_root
from baton.api.types.vehicles import VehicleType
from baton.api.types.visits import ServiceVisitType
from baton.db import models
from baton.domain.access import Subject
from baton.domain.customers import is_active_circumstance
from baton.domain.learning.archive import sessions_of
from baton.domain.wording import timeline_wording
from baton.reads.loaders import at_hand

CustomerTag = strawberry.enum(models.CustomerTag)
CircumstanceKind = strawberry.enum(models.CircumstanceKind)
FeedbackKind = strawberry.enum(models.FeedbackKind)
TIMELINE_PAGE_MAX = 100
ARCHIVE_PAGE_MAX = 200


@strawberry.type(name="SpecialCircumstance")
class SpecialCircumstanceType(Node):
    kind: CircumstanceKind  # type: ignore[valid-type]
    note: str
    starts_on: date
    ends_on: date | None
    created_at: datetime

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.SpecialCircumstance)


@strawberry.type(name="Feedback")
class FeedbackType(Node):
    kind: FeedbackKind  # type: ignore[valid-type]
    department: Department  # type: ignore[valid-type]
    text: str
    created_at: datetime

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Feedback)


@strawberry.type(name="TimelineEvent")
class TimelineEventType(Node):
    at: datetime
    kind: str
    department: Department | None  # type: ignore[valid-type]
    subject_type: str | None

    @strawberry.field(description="In the viewer's language; names and staff notes as typed.")
    @staticmethod
    def summary(root: Parent[models.TimelineEvent], info: Info) -> str:
        wording = timeline_wording(root)
        return info.context.reader().say(wording.key, wording.params)

    @strawberry.field(graphql_type=UserType | None)
    @staticmethod
    def actor(root: Parent[models.TimelineEvent], info: Info) -> object:
        if root.actor_id is None:
            return None
        # At hand when the event came in a timeline page, which reads its actors; an event
        # read alone (`node`) waits for its loader.
        return at_hand(info.context.loaders.user.load(root.actor_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.TimelineEvent)


@strawberry.type(name="Customer")
class CustomerType(Node):
    name: str
    phone: str
    address: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    @staticmethod
    def tags(root: Parent[models.Customer]) -> list[CustomerTag]:  # type: ignore[valid-type]
        return [models.CustomerTag(tag) for tag in root.tags]

    @strawberry.field
    @staticmethod
    async def store(root: Parent[models.Customer], info: Info) -> StoreType:
        return orm_root(await info.context.loaders.store.load(root.store_id))

    @strawberry.field(description="An active special circumstance makes the customer urgent.")
    @staticmethod
    async def is_high_priority(root: Parent[models.Customer], info: Info) -> bool:
        today = await info.context.facts.today_in(root.store_id)
        circumstances = await info.context.loaders.circumstances_of_customer.load(root.id)
        return any(is_active_circumstance(c, today) for c in circumstances)

    @strawberry.field
    @staticmethod
    async def vehicles(root: Parent[models.Customer], info: Info) -> list[VehicleType]:
        return orm_root(await info.context.loaders.vehicles_of_customer.load(root.id))

    @strawberry.field
    @staticmethod
    async def orders(root: Parent[models.Customer], info: Info) -> list[OrderType]:
        return orm_root(await info.context.loaders.orders_of_customer.load(root.id))

    @strawberry.field
    @staticmethod
    async def deliveries(root: Parent[models.Customer], info: Info) -> list[DeliveryType]:
        return orm_root(await info.context.loaders.deliveries_of_customer.load(root.id))

    @strawberry.field(description="Newest first.")
    @staticmethod
    async def service_visits(
        root: Parent[models.Customer], info: Info, first: int = 20
    ) -> list[ServiceVisitType]:
        visits = await info.context.loaders.visits_of_customer.load(root.id)
        return orm_root(visits[: max(0, min(first, TIMELINE_PAGE_MAX))])

    @strawberry.field
    @staticmethod
    async def feedback(root: Parent[models.Customer], info: Info) -> list[FeedbackType]:
        return orm_root(await info.context.loaders.feedback_of_customer.load(root.id))

    @strawberry.field
    @staticmethod
    async def special_circumstances(
        root: Parent[models.Customer], info: Info
    ) -> list[SpecialCircumstanceType]:
        return orm_root(await info.context.loaders.circumstances_of_customer.load(root.id))

    @strawberry.field(
        description="Promises still owed on any order, entitlements with uses left included: "
        "what a service advisor sees at check-in."
    )
    @staticmethod
    async def open_promises(root: Parent[models.Customer], info: Info) -> list[PromiseType]:
        return orm_root(await info.context.facts.owed_promises(root.id))

    @strawberry.field(description="Everything that happened, across departments, newest first.")
    @staticmethod
    async def timeline(
        root: Parent[models.Customer], info: Info, first: int = 20, after: str | None = None
    ) -> Connection[TimelineEventType]:
        first = max(1, min(first, TIMELINE_PAGE_MAX))
        before = None
        if after is not None:
            before = Cursor.read(after, instant, int)
        page = await info.context.loaders.timeline.load((root.id, first, before))
        cursors = [Cursor((e.at.isoformat(), str(e.id))) for e in page.events]
        return connection(orm_root(page.events), cursors, page.has_next)

    @strawberry.field(
        description="The learning archive: per topic taught or skipped, the highest and latest "
        "level, who taught it and when; in the catalogue's order."
    )
    @staticmethod
    async def learning_archive(
        root: Parent[models.Customer], info: Info, first: int = 50, after: str | None = None
    ) -> Connection[TopicRecordType]:
        first = max(1, min(first, ARCHIVE_PAGE_MAX))
        records = (await archive_for(info, root.id, root)).records
        start = 0
        if after is not None:
            (after_id,) = Cursor.decode(after, size=1)
            start = next((n + 1 for n, r in enumerate(records) if str(r.topic.id) == after_id), 0)
        page = records[start : start + first]
        cursors = [Cursor((str(r.topic.id),)) for r in page]
        return connection(orm_root(page), cursors, start + first < len(records))

    @strawberry.field(
        description="What to teach next: active topics of the customer's stage and the stages "
        "before it, not yet mastered, in the catalogue's order. A skipped one carries `skipped`."
    )
    @staticmethod
    async def teach_next(
        root: Parent[models.Customer], info: Info, first: int = 5
    ) -> list[TopicRecordType]:
        found = (await archive_for(info, root.id, root)).teach_next
        return orm_root(found[: max(0, min(first, ARCHIVE_PAGE_MAX))])

    @strawberry.field(description="Topics mastered out of the store's active topics.")
    @staticmethod
    async def learning_progress(root: Parent[models.Customer], info: Info) -> LearningProgressType:
        archive = await archive_for(info, root.id, root)
        return LearningProgressType(
            mastered=archive.mastered, total=archive.total, stage=archive.stage
        )

    @strawberry.field(
        description="The active topics of the customer's store, in order: what a session can "
        "teach (the catalogue the archive is read against, so no extra statement)."
    )
    @staticmethod
    async def learning_catalogue(
        root: Parent[models.Customer], info: Info
    ) -> list[LearningTopicType]:
        topics = await info.context.loaders.topics_of_store.load(root.store_id)
        return orm_root([t for t in topics if t.retired_at is None])

    @strawberry.field(description="Teaching sessions, newest first.")
    @staticmethod
    async def teaching_sessions(
        root: Parent[models.Customer], info: Info, first: int = 10
    ) -> list[TeachingSessionType]:
        info.context.loaders.customer.prime(root.id, root)
        taught = await info.context.loaders.taught_of_customer.load(root.id)
        return orm_root(sessions_of(taught)[: max(0, min(first, TIMELINE_PAGE_MAX))])

    @strawberry.field(description="What the viewer may do with this customer.")
    @staticmethod
    async def viewer_can(root: Parent[models.Customer], info: Info) -> list[Ability]:  # type: ignore[valid-type]
        return await info.context.facts.viewer_can("Customer", Subject(store_id=root.store_id))

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Customer)
