"""Teaching sessions (客户学习档案): recorded with the customer, amended by their author within a
day. A session (delivery training, first-service training, quarterly, ad hoc, remote) names
who taught, when, and per topic either the level reached (introduced → practised → mastered)
or that the customer asked to skip it, and why. What they add up to is the archive
(archive.py); its timeline line says which topics were refreshers, by the archive's rule."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Customer,
    LearningTopic,
    SkipReason,
    TeachingEntry,
    TeachingKind,
    TeachingLevel,
    TeachingSession,
    User,
)
from baton.domain.access import Action, Actor, Subject, Tie
from baton.domain.customers import get_customer
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.learning.archive import is_refresher, taught_of_customers
from baton.domain.learning.topics import topic_text
from baton.domain.localtime import PHONE_CLOCK_SKEW

NOTE_MAX = 2000
SKIP_NOTE_MAX = 300
TOPICS_PER_SESSION_MAX = 50
AMEND_WINDOW = timedelta(hours=24)


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
    reached: dict[int, TeachingLevel] = {}
    for item in taught[customer_id]:
        level = item.entry.level
        if item.session.id == leaving_out or item.at > taught_at or level is None:
            continue
        if not is_refresher(level, reached.get(item.entry.topic_id)):
            reached[item.entry.topic_id] = level
    return {
        e.topic.id
        for e in entries
        if e.level is not None and is_refresher(e.level, reached.get(e.topic.id))
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
    if when > now + PHONE_CLOCK_SKEW:
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
