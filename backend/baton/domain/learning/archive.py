"""A customer's learning archive (客户学习档案), worked out when read from the entries in the
order they were taught, so amending or back-dating a session can never leave a stale flag
behind.

Levels never silently go down (`is_refresher`): the archive keeps each topic's highest level
and, apart from it, the latest; an entry at or below a level already reached is a refresher.
A skipped topic is never learned: teach-next keeps offering it, flagged "the customer said
they know this — check".

Teach-next is the store's active topics, in the catalogue's order, of the customer's stage and
the stages before it, not yet mastered. The customer's stage follows their history: before the
handover it is delivery, after it (or from their first visit) first service, and once a
service visit has been completed, later."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Delivery,
    DeliveryStatus,
    LearningTopic,
    ServiceVisit,
    TeachingEntry,
    TeachingLevel,
    TeachingSession,
    TopicStage,
    User,
    VisitStatus,
)
from baton.domain.access import Actor
from baton.domain.customers import get_customer
from baton.domain.learning.topics import STAGE_ORDER, ordered, topics_of_stores

LEVEL_RANK: dict[TeachingLevel, int] = {level: n for n, level in enumerate(TeachingLevel, 1)}


def is_refresher(level: TeachingLevel, reached: TeachingLevel | None) -> bool:
    """Levels never go down: teaching a topic at or below the level it had already reached
    (`reached`, None if never taught) is a refresher, and the highest stays where it was."""
    return reached is not None and LEVEL_RANK[level] <= LEVEL_RANK[reached]


@dataclass(frozen=True)
class Taught:
    """One entry with its session: what was taught or skipped, when, by whom."""

    entry: TeachingEntry
    session: TeachingSession

    @property
    def at(self) -> datetime:
        return self.session.taught_at


@dataclass
class TopicRecord:
    """A topic in one customer's archive."""

    topic: LearningTopic
    highest: Taught | None = None
    latest: Taught | None = None
    refreshers: int = 0
    # The latest skip with nothing taught after it: the customer's word, not yet checked.
    skip: Taught | None = None
    history: list[Taught] = field(default_factory=list)

    @property
    def mastered(self) -> bool:
        return self.highest is not None and self.highest.entry.level is TeachingLevel.MASTERED


@dataclass(frozen=True)
class Archive:
    records: list[TopicRecord]
    teach_next: list[TopicRecord]
    mastered: int
    total: int
    stage: TopicStage
    # Each entry's refresher flag, by entry id.
    refreshers: frozenset[int]


def customer_stage(deliveries: Iterable[Delivery], visits: Iterable[ServiceVisit]) -> TopicStage:
    visits = list(visits)
    if any(v.status is VisitStatus.COMPLETED for v in visits):
        return TopicStage.LATER
    if visits or any(d.status is DeliveryStatus.COMPLETED for d in deliveries):
        return TopicStage.FIRST_SERVICE
    return TopicStage.DELIVERY


def _in_order(taught: Iterable[Taught]) -> list[Taught]:
    return sorted(taught, key=lambda t: (t.at, t.session.id, t.entry.id))


def build_archive(
    topics: Sequence[LearningTopic], taught: Iterable[Taught], stage: TopicStage
) -> Archive:
    """The archive from the store's catalogue and one customer's entries (pure)."""
    by_topic = {topic.id: TopicRecord(topic) for topic in topics}
    refreshers: set[int] = set()
    for item in _in_order(taught):
        found = by_topic.get(item.entry.topic_id)
        if found is None:
            continue
        found.history.append(item)
        level = item.entry.level
        if level is None:
            found.skip = item
            continue
        found.skip = None
        if is_refresher(level, found.highest.entry.level if found.highest else None):
            found.refreshers += 1
            refreshers.add(item.entry.id)
        else:
            found.highest = item
        found.latest = item
    catalogue = ordered(topics)
    records = [by_topic[t.id] for t in catalogue if by_topic[t.id].history]
    active = [by_topic[t.id] for t in catalogue if t.retired_at is None]
    teach_next = [
        r for r in active if not r.mastered and STAGE_ORDER[r.topic.stage] <= STAGE_ORDER[stage]
    ]
    return Archive(
        records=records,
        teach_next=teach_next,
        mastered=sum(1 for r in active if r.mastered),
        total=len(active),
        stage=stage,
        refreshers=frozenset(refreshers),
    )


def customer_archive(
    topics: Sequence[LearningTopic],
    taught: Iterable[Taught],
    deliveries: Iterable[Delivery],
    visits: Iterable[ServiceVisit],
) -> Archive:
    """One customer's archive from their store's catalogue, their entries, and the deliveries
    and visits their stage follows (pure): the domain reads these in statements of its own
    (`archive_of_customer`), a request through its loaders."""
    return build_archive(topics, taught, customer_stage(deliveries, visits))


async def taught_of_customers(
    session: AsyncSession, customer_ids: Sequence[int]
) -> tuple[dict[int, list[Taught]], list[User]]:
    """Every entry of these customers with its session, and the teachers, in one statement."""
    found: dict[int, list[Taught]] = {customer_id: [] for customer_id in customer_ids}
    rows = await session.execute(
        select(TeachingEntry, TeachingSession, User)
        .join(TeachingSession, TeachingSession.id == TeachingEntry.session_id)
        .join(User, User.id == TeachingSession.teacher_id)
        .where(TeachingEntry.customer_id.in_(customer_ids))
        .order_by(TeachingSession.taught_at, TeachingSession.id, TeachingEntry.id)
    )
    teachers: dict[int, User] = {}
    for entry, teaching, teacher in rows:
        found[entry.customer_id].append(Taught(entry, teaching))
        teachers[teacher.id] = teacher
    return found, list(teachers.values())


def sessions_of(taught: Iterable[Taught]) -> list[TeachingSession]:
    """The sessions behind these entries, newest first."""
    seen: dict[int, TeachingSession] = {}
    for item in taught:
        seen.setdefault(item.session.id, item.session)
    return sorted(seen.values(), key=lambda s: (s.taught_at, s.id), reverse=True)


async def archive_of_customer(session: AsyncSession, actor: Actor, customer_id: int) -> Archive:
    customer = await get_customer(session, actor, customer_id)
    topics = (await topics_of_stores(session, [customer.store_id]))[customer.store_id]
    taught, _ = await taught_of_customers(session, [customer.id])
    deliveries = await session.scalars(select(Delivery).where(Delivery.customer_id == customer.id))
    visits = await session.scalars(
        select(ServiceVisit).where(ServiceVisit.customer_id == customer.id)
    )
    return customer_archive(topics, taught[customer.id], deliveries, visits)
