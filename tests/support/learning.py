"""The learning archive in tests: a store's default catalogue by code, a session in a line."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.learning import sessions, topics


async def catalogue(
    session: AsyncSession, store: models.Store, clock: ManualClock
) -> dict[str, models.LearningTopic]:
    """Store's default EV topics, by code (seeded once)."""
    found = await topics.seed_default_catalogue(session, store.id, now=clock.now())
    await session.commit()
    return {t.code or t.name or "": t for t in found}


async def teach(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    now: datetime,
    *,
    kind: str = "delivery_training",
    taught: dict[models.LearningTopic, str] | None = None,
    skipped: dict[models.LearningTopic, str] | None = None,
    taught_at: datetime | None = None,
    note: str = "",
) -> models.TeachingSession:
    teaching = await sessions.record_teaching_session(
        session,
        actor,
        customer_id,
        sessions.SessionContent(
            kind=kind,
            note=note,
            taught=[sessions.TaughtTopic(t.id, level) for t, level in (taught or {}).items()],
            skipped=[sessions.SkippedTopic(t.id, reason) for t, reason in (skipped or {}).items()],
        ),
        taught_at=taught_at,
        now=now,
    )
    await session.commit()
    return teaching
