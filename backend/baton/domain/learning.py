"""The customer learning archive (客户学习档案): teaching sessions, and what they add up to.

A session (delivery training, first-service training, quarterly, ad hoc, remote) names who
taught, when, and per topic either the level reached (introduced → practised → mastered) or
that the customer asked to skip it, and why. A skipped topic is never learned: teach-next
keeps offering it, flagged "the customer said they know this — check".

Levels never silently go down: the archive keeps each topic's highest level and, apart from
it, the latest; an entry at or below a level already reached is a refresher. These are worked
out when read, from the entries in the order they were taught, so amending or back-dating a
session can never leave a stale flag behind.

Teach-next is the store's active topics, in the catalogue's order, of the customer's stage and
the stages before it, not yet mastered. The customer's stage follows their history: before the
handover it is delivery, after it (or from their first visit) first service, and once a
service visit has been completed, later."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Customer,
    Delivery,
    DeliveryStatus,
    LearningTopic,
    ServiceVisit,
    SkipReason,
    TeachingEntry,
    TeachingKind,
    TeachingLevel,
    TeachingSession,
    TopicStage,
    User,
    VisitStatus,
)
from baton.domain.access import Action, Actor, Subject, Tie
from baton.domain.customers import get_customer
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.topics import STAGE_ORDER, ordered, topic_text, topics_of_stores

NOTE_MAX = 2000
SKIP_NOTE_MAX = 300
TOPICS_PER_SESSION_MAX = 50
AMEND_WINDOW = timedelta(hours=24)
# A phone's clock may run a little ahead of the server's; beyond this a session is "future".
CLOCK_SKEW = timedelta(minutes=5)
LEVEL_RANK: dict[TeachingLevel, int] = {level: n for n, level in enumerate(TeachingLevel, 1)}


@dataclass(frozen=True)
class TaughtTopic:
    topic_id: int
    level: str


@dataclass(frozen=True)
class SkippedTopic:
    topic_id: int
    reason: str
    note: str = ""


@dataclass(frozen=True)
class SessionContent:
    """What a session taught; the part of it its author may amend."""

    kind: str
    note: str = ""
    taught: Sequence[TaughtTopic] = ()
    skipped: Sequence[SkippedTopic] = ()


# --- reading: the archive -------------------------------------------------------------


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
        if found.highest is not None and LEVEL_RANK[level] <= LEVEL_RANK[found.highest.entry.level]:  # type: ignore[index]
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
    return build_archive(topics, taught[customer.id], customer_stage(deliveries, visits))


async def get_teaching_session(
    session: AsyncSession, actor: Actor, session_id: int, *, path: str = "input.id"
) -> tuple[TeachingSession, Customer]:
    teaching = await session.get(TeachingSession, session_id)
    if teaching is None:
        raise NotFound("TeachingSession", path)
    try:
        customer = await get_customer(session, actor, teaching.customer_id, path=path)
    except NotFound:
        raise NotFound("TeachingSession", path) from None
    return teaching, customer


async def entries_of_session(session: AsyncSession, session_id: int) -> list[TeachingEntry]:
    return list(
        await session.scalars(
            select(TeachingEntry)
            .where(TeachingEntry.session_id == session_id)
            .order_by(TeachingEntry.id)
        )
    )


# --- writing: record and amend --------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    topic: LearningTopic
    level: TeachingLevel | None
    reason: SkipReason | None
    note: str


def _enum(checks: FieldChecks, path: str, enum_type: type[Any], value: str) -> Any:
    try:
        return enum_type(value)
    except ValueError:
        checks.fail(path, "invalid", says="one_of", allowed=[member.value for member in enum_type])
        return None


async def _checked_content(
    session: AsyncSession, customer: Customer, content: SessionContent, checks: FieldChecks
) -> tuple[TeachingKind, str, list[_Entry]]:
    """Checks every field; an unknown or another store's topic is NotFound at its field."""
    kind = _enum(checks, "input.kind", TeachingKind, content.kind)
    note = checks.text("input.note", content.note, max_length=NOTE_MAX, required=False) or ""
    count = len(content.taught) + len(content.skipped)
    if count == 0:
        checks.fail("input.topics", "required", says="no_topics")
    elif count > TOPICS_PER_SESSION_MAX:
        checks.fail("input.topics", "too_many", says="too_many_topics", max=TOPICS_PER_SESSION_MAX)
        checks.raise_if_any()
    wanted = {t.topic_id for t in content.taught} | {s.topic_id for s in content.skipped}
    topics = {
        topic.id: topic
        for topic in await session.scalars(
            select(LearningTopic).where(LearningTopic.id.in_(wanted))
        )
    }
    entries: list[_Entry] = []
    seen: set[int] = set()
    lines: list[tuple[str, int, str | None, str | None, str]] = [
        ("input.topics", t.topic_id, t.level, None, "") for t in content.taught
    ] + [("input.skipped", s.topic_id, None, s.reason, s.note) for s in content.skipped]
    numbering: dict[str, int] = defaultdict(int)
    for prefix, topic_id, level_value, reason_value, skip_note in lines:
        n = numbering[prefix]
        numbering[prefix] += 1
        path = f"{prefix}.{n}"
        topic = topics.get(topic_id)
        if topic is None or topic.store_id != customer.store_id:
            raise NotFound("LearningTopic", f"{path}.topicId")
        if topic.retired_at is not None:
            checks.fail(f"{path}.topicId", "retired")
        if topic_id in seen:
            checks.fail(f"{path}.topicId", "duplicate", says="topic_twice")
        seen.add(topic_id)
        level = reason = None
        if prefix == "input.topics":
            level = _enum(checks, f"{path}.level", TeachingLevel, level_value or "")
        else:
            reason = _enum(checks, f"{path}.reason", SkipReason, reason_value or "")
        clean_note = (
            checks.text(f"{path}.note", skip_note, max_length=SKIP_NOTE_MAX, required=False) or ""
        )
        entries.append(_Entry(topic, level, reason, clean_note))
    return kind, note, entries


def _params(
    kind: TeachingKind, entries: Sequence[_Entry], teacher: User, refreshed: set[int]
) -> dict[str, Any]:
    """The timeline line: each topic with its level (or as a refresher), and the skipped."""
    taught = [
        {
            "key": "learning.refreshed" if e.topic.id in refreshed else "learning.taught",
            "params": {"topic": topic_text(e.topic), "level": e.level.value},
        }
        for e in entries
        if e.level is not None
    ]
    skipped = [
        {
            "key": "learning.skipped",
            "params": {"topic": topic_text(e.topic), "reason": e.reason.value},  # type: ignore[union-attr]
        }
        for e in entries
        if e.level is None
    ]
    return {
        "session_kind": kind.value,
        "teacher": teacher.display_name,
        "taught": taught,
        "skipped": skipped,
    }


def _summary(kind: TeachingKind, note: str, entries: Sequence[_Entry]) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "note": note,
        "entries": [
            {
                "topic_id": e.topic.id,
                "level": e.level.value if e.level else None,
                "skip_reason": e.reason.value if e.reason else None,
                "skip_note": e.note,
            }
            for e in entries
        ],
    }


async def _refreshed_topics(
    session: AsyncSession,
    customer_id: int,
    entries: Sequence[_Entry],
    taught_at: datetime,
    *,
    leaving_out: int | None = None,
) -> set[int]:
    """Topics this session teaches at or below a level reached before it (for the line)."""
    taught, _ = await taught_of_customers(session, [customer_id])
    best: dict[int, int] = {}
    for item in taught[customer_id]:
        if item.session.id == leaving_out or item.at > taught_at or item.entry.level is None:
            continue
        rank = LEVEL_RANK[item.entry.level]
        best[item.entry.topic_id] = max(best.get(item.entry.topic_id, 0), rank)
    return {
        e.topic.id
        for e in entries
        if e.level is not None and best.get(e.topic.id, 0) >= LEVEL_RANK[e.level]
    }


async def _teacher(
    session: AsyncSession, actor: Actor, customer: Customer, teacher_id: int | None
) -> User:
    if teacher_id is None or teacher_id == actor.id:
        return actor.user
    teacher = await session.get(User, teacher_id)
    if teacher is None or not teacher.is_active or teacher.store_id != customer.store_id:
        raise NotFound("User", "input.teacherId")
    return teacher


async def record_teaching_session(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    content: SessionContent,
    *,
    taught_at: datetime | None = None,
    teacher_id: int | None = None,
    now: datetime,
) -> TeachingSession:
    """A session held with the customer; `taught_at` defaults to now (an offline replay
    carries the time it was held)."""
    customer = await get_customer(session, actor, customer_id, path="input.customerId")
    actor.ensure(Action.RECORD_TEACHING)
    when = taught_at or now
    checks = FieldChecks()
    if when > now + CLOCK_SKEW:
        checks.fail("input.taughtAt", "in_future")
    kind, note, entries = await _checked_content(session, customer, content, checks)
    checks.raise_if_any()
    teacher = await _teacher(session, actor, customer, teacher_id)
    refreshed = await _refreshed_topics(session, customer.id, entries, when)
    teaching = TeachingSession(
        customer_id=customer.id,
        kind=kind,
        taught_at=when,
        teacher_id=teacher.id,
        author_id=actor.id,
        note=note,
        created_at=now,
        updated_at=now,
    )
    session.add(teaching)
    await session.flush()
    session.add_all(
        TeachingEntry(
            session_id=teaching.id,
            customer_id=customer.id,
            topic_id=e.topic.id,
            level=e.level,
            skip_reason=e.reason,
            skip_note=e.note,
        )
        for e in entries
    )
    await session.flush()
    record(
        session,
        actor,
        teaching,
        customer_id=customer.id,
        kind="teaching_session",
        params=_params(kind, entries, teacher, refreshed),
        action="record_teaching_session",
        changes={**_summary(kind, note, entries), "teacher_id": teacher.id},
        now=now,
    )
    return teaching


def teaching_subject(teaching: TeachingSession, customer: Customer) -> Subject:
    return Subject(store_id=customer.store_id, people={Tie.AUTHOR: frozenset({teaching.author_id})})


def amendable_until(teaching: TeachingSession) -> datetime:
    return teaching.created_at + AMEND_WINDOW


async def amend_teaching_session(
    session: AsyncSession,
    actor: Actor,
    session_id: int,
    content: SessionContent,
    *,
    version: int,
    now: datetime,
) -> TeachingSession:
    """Its author corrects a session within a day of recording it; the audit keeps both."""
    teaching, customer = await get_teaching_session(session, actor, session_id)
    actor.ensure(Action.AMEND_TEACHING, teaching_subject(teaching, customer))
    if now > amendable_until(teaching):
        raise RuleViolation(
            [
                Reason(
                    "amend_window_closed",
                    f"TeachingSession:{teaching.id}",
                )
            ]
        )
    checks = FieldChecks()
    kind, note, entries = await _checked_content(session, customer, content, checks)
    checks.raise_if_any()
    if teaching.version != version:
        raise Conflict("TeachingSession", teaching.version)
    old = await entries_of_session(session, teaching.id)
    old_topics = {e.topic_id: e for e in old}
    before = {
        "kind": teaching.kind.value,
        "note": teaching.note,
        "entries": [
            {
                "topic_id": e.topic_id,
                "level": e.level.value if e.level else None,
                "skip_reason": e.skip_reason.value if e.skip_reason else None,
                "skip_note": e.skip_note,
            }
            for e in old
        ],
    }
    keep = {e.topic.id for e in entries}
    for gone in (e for e in old if e.topic_id not in keep):
        await session.delete(gone)
    for e in entries:
        row = old_topics.get(e.topic.id)
        if row is None:
            session.add(
                TeachingEntry(
                    session_id=teaching.id,
                    customer_id=customer.id,
                    topic_id=e.topic.id,
                    level=e.level,
                    skip_reason=e.reason,
                    skip_note=e.note,
                )
            )
        else:
            row.level, row.skip_reason, row.skip_note = e.level, e.reason, e.note
    teaching.kind = kind
    teaching.note = note
    teaching.updated_at = now
    await session.flush()
    teacher = await session.get(User, teaching.teacher_id)
    assert teacher is not None
    refreshed = await _refreshed_topics(
        session, customer.id, entries, teaching.taught_at, leaving_out=teaching.id
    )
    record(
        session,
        actor,
        teaching,
        customer_id=customer.id,
        kind="teaching_session_amended",
        params=_params(kind, entries, teacher, refreshed),
        action="amend_teaching_session",
        changes={"before": before, "after": _summary(kind, note, entries)},
        now=now,
    )
    return teaching
