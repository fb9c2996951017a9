"""The topic catalogue (学习主题): what a store teaches its customers about their EV, in a
suggested order, each with the stage it belongs to and the department that normally teaches it.

Every store starts from the default EV catalogue; its names come from the text catalogues by
code, in the reader's language. Store managers add topics (named as typed), rename, reorder
and retire them. A retired topic stays readable on old sessions and is never suggested, nor
taught in a new session."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Department, LearningTopic, Store, TopicStage
from baton.domain.access import Action, Actor
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import add_audit_entry

NAME_MAX = 100
TOPICS_MAX = 200

# (code, stage, department), in the suggested order. The migration that created the
# catalogue froze a copy of this list for the stores that existed then.
DEFAULT_CATALOGUE: tuple[tuple[str, TopicStage, Department], ...] = (
    ("app_and_key_card", TopicStage.DELIVERY, Department.DELIVERY),
    ("home_charging", TopicStage.DELIVERY, Department.DELIVERY),
    ("public_charging", TopicStage.DELIVERY, Department.DELIVERY),
    ("charging_etiquette_cost", TopicStage.DELIVERY, Department.DELIVERY),
    ("driver_assistance_basics", TopicStage.DELIVERY, Department.DELIVERY),
    ("automatic_parking", TopicStage.DELIVERY, Department.DELIVERY),
    ("emergency_procedures", TopicStage.DELIVERY, Department.DELIVERY),
    ("sentry_mode", TopicStage.DELIVERY, Department.DELIVERY),
    ("advanced_assistance", TopicStage.FIRST_SERVICE, Department.SERVICE),
    ("summon", TopicStage.FIRST_SERVICE, Department.SERVICE),
    ("ota_updates", TopicStage.FIRST_SERVICE, Department.SERVICE),
    ("tyre_pressure_care", TopicStage.FIRST_SERVICE, Department.SERVICE),
    ("maintenance_intervals", TopicStage.FIRST_SERVICE, Department.SERVICE),
    ("winter_range", TopicStage.LATER, Department.SERVICE),
    ("roadside_help", TopicStage.LATER, Department.SERVICE),
)
STAGE_ORDER: dict[TopicStage, int] = {stage: n for n, stage in enumerate(TopicStage)}


def topic_text(topic: LearningTopic) -> str | dict[str, Any]:
    """How a topic is named in a text's parameters: as typed, else its catalogue text."""
    if topic.name:
        return topic.name
    return {"key": f"topic.{topic.code}", "params": {}}


def ordered(topics: Sequence[LearningTopic]) -> list[LearningTopic]:
    return sorted(topics, key=lambda t: (t.position, t.id))


async def seed_default_catalogue(
    session: AsyncSession, store_id: int, *, now: datetime
) -> list[LearningTopic]:
    """The default EV topics a store starts with; codes the store already has are kept."""
    existing = await topics_of_stores(session, [store_id])
    have = {t.code for t in existing[store_id]}
    position = max((t.position for t in existing[store_id]), default=0)
    for code, stage, department in DEFAULT_CATALOGUE:
        if code in have:
            continue
        position += 1
        session.add(
            LearningTopic(
                store_id=store_id,
                code=code,
                position=position,
                stage=stage,
                department=department,
                created_at=now,
            )
        )
    await session.flush()
    return (await topics_of_stores(session, [store_id]))[store_id]


async def topics_of_stores(
    session: AsyncSession, store_ids: Sequence[int]
) -> dict[int, list[LearningTopic]]:
    """Each store's whole catalogue, retired topics included, in order; one statement."""
    found: dict[int, list[LearningTopic]] = {store_id: [] for store_id in store_ids}
    rows = await session.scalars(
        select(LearningTopic)
        .where(LearningTopic.store_id.in_(store_ids))
        .order_by(LearningTopic.store_id, LearningTopic.position, LearningTopic.id)
    )
    for topic in rows:
        found[topic.store_id].append(topic)
    return found


async def catalogue(
    session: AsyncSession, actor: Actor, store_id: int, *, include_retired: bool = False
) -> list[LearningTopic]:
    store = await session.get(Store, store_id)
    if store is None or not actor.sees_store(store.id):
        raise NotFound("Store", "storeId")
    topics = (await topics_of_stores(session, [store.id]))[store.id]
    return [t for t in topics if include_retired or t.retired_at is None]


async def get_topic(
    session: AsyncSession, actor: Actor, topic_id: int, *, path: str = "input.id"
) -> LearningTopic:
    topic = await session.get(LearningTopic, topic_id)
    if topic is None or not actor.sees_store(topic.store_id):
        raise NotFound("LearningTopic", path)
    return topic


def _check_version(topic: LearningTopic, version: int) -> None:
    if topic.version != version:
        raise Conflict("LearningTopic", topic.version)


def _renumber(topics: list[LearningTopic]) -> None:
    for position, topic in enumerate(topics, start=1):
        if topic.position != position:
            topic.position = position


@dataclass(frozen=True)
class NewTopic:
    name: str
    stage: TopicStage
    department: Department
    # 1 is first; None puts it last.
    position: int | None = None


async def add_topic(
    session: AsyncSession, actor: Actor, store_id: int, new: NewTopic, *, now: datetime
) -> LearningTopic:
    store = await session.get(Store, store_id)
    if store is None or not actor.sees_store(store.id):
        raise NotFound("Store", "input.storeId")
    actor.ensure(Action.MANAGE_TOPICS)
    checks = FieldChecks()
    name = checks.text("input.name", new.name, max_length=NAME_MAX)
    if new.stage not in set(TopicStage):
        checks.fail("input.stage", "invalid", says="not_a_stage")
    if new.department not in set(Department):
        checks.fail("input.department", "invalid", says="not_a_department")
    if new.position is not None and new.position < 1:
        checks.fail("input.position", "out_of_range", says="at_least", min=1)
    checks.raise_if_any()
    topics = (await topics_of_stores(session, [store.id]))[store.id]
    if len(topics) >= TOPICS_MAX:
        raise RuleViolation([Reason("too_many_topics", max=TOPICS_MAX)])
    topic = LearningTopic(
        store_id=store.id,
        name=name,
        position=len(topics) + 1,
        stage=TopicStage(new.stage),
        department=Department(new.department),
        created_at=now,
    )
    session.add(topic)
    await session.flush()
    if new.position is not None:
        topics.insert(min(new.position, len(topics) + 1) - 1, topic)
        _renumber(topics)
        await session.flush()
    add_audit_entry(
        session,
        actor,
        action="add_topic",
        entity=topic,
        now=now,
        changes={"name": name, "stage": topic.stage.value, "position": topic.position},
    )
    return topic


async def rename_topic(
    session: AsyncSession, actor: Actor, topic_id: int, *, version: int, name: str, now: datetime
) -> LearningTopic:
    topic = await get_topic(session, actor, topic_id)
    actor.ensure(Action.MANAGE_TOPICS)
    checks = FieldChecks()
    clean = checks.text("input.name", name, max_length=NAME_MAX)
    checks.raise_if_any()
    _check_version(topic, version)
    before = topic.name
    topic.name = clean
    await session.flush()
    add_audit_entry(
        session,
        actor,
        action="rename_topic",
        entity=topic,
        now=now,
        changes={"name": [before, clean], "code": topic.code},
    )
    return topic


async def move_topic(
    session: AsyncSession,
    actor: Actor,
    topic_id: int,
    *,
    version: int,
    position: int,
    now: datetime,
) -> LearningTopic:
    """Put the topic at `position` (1 is first) of the store's order; the others close up."""
    topic = await get_topic(session, actor, topic_id)
    actor.ensure(Action.MANAGE_TOPICS)
    if position < 1:
        checks = FieldChecks()
        checks.fail("input.position", "out_of_range", says="at_least", min=1)
        checks.raise_if_any()
    _check_version(topic, version)
    topics = (await topics_of_stores(session, [topic.store_id]))[topic.store_id]
    before = topic.position
    topics.remove(topic)
    topics.insert(min(position, len(topics) + 1) - 1, topic)
    _renumber(topics)
    await session.flush()
    add_audit_entry(
        session,
        actor,
        action="move_topic",
        entity=topic,
        now=now,
        changes={"position": [before, topic.position]},
    )
    return topic


async def retire_topic(
    session: AsyncSession, actor: Actor, topic_id: int, *, version: int, now: datetime
) -> LearningTopic:
    topic = await get_topic(session, actor, topic_id)
    actor.ensure(Action.MANAGE_TOPICS)
    _check_version(topic, version)
    if topic.retired_at is not None:
        raise RuleViolation([Reason("already_retired", f"LearningTopic:{topic.id}")])
    topic.retired_at = now
    await session.flush()
    add_audit_entry(session, actor, action="retire_topic", entity=topic, now=now, changes={})
    return topic
