"""Escalation (三级协调机制): a case not closed within its level's day rises by the clock.

Level 1 is the owner department's supervisor, level 2 the department managers of the owner
and of each collaborating department, level 3 the regional director; each level lasts one
store-local day on the store's clock (cases.ladder.level_deadline, stores.StoreClock; a store
not found reads BATON_DEFAULT_TIME_ZONE). The worker runs the sweep beside the reminders.
Exactly once per level, even with two replicas on one database: the rise is a conditional
UPDATE on the case's level, so of two sweeps that saw the same case only one moves it (on
PostgreSQL the second waits for the first's row lock, then finds the level already changed)."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Case, CaseState, Customer, Touchpoint
from baton.domain.cases.ladder import LEVELS, next_deadline, start_level
from baton.domain.cases.lifecycle import case_params
from baton.domain.events import CaseEscalated
from baton.domain.history import add_timeline_event
from baton.domain.journeys.who_is_told import tell
from baton.domain.stores import store_clock

SWEEP_LIMIT = 200


async def sweep_escalations(session: AsyncSession, *, now: datetime) -> int:
    """Raise every open case whose level ran out, one level per elapsed day (a case found
    late rises through each level it missed, dated when each ran out); how many rises."""
    due = list(
        (
            await session.execute(
                select(Case.id, Case.level)
                .where(
                    Case.state == CaseState.OPEN,
                    Case.level < LEVELS,
                    Case.level_due_at <= now,
                )
                .order_by(Case.level_due_at, Case.id)
                .limit(SWEEP_LIMIT)
            )
        ).all()
    )
    rises = 0
    for case_id, _level in due:
        rises += await _escalate(session, case_id, now=now)
        await session.commit()
    return rises


async def _escalate(session: AsyncSession, case_id: int, *, now: datetime) -> int:
    rises = 0
    while True:
        case = await session.get(Case, case_id, populate_existing=True)
        if (
            case is None
            or case.state is not CaseState.OPEN
            or case.level >= LEVELS
            or case.level_due_at is None
            or case.level_due_at > now
        ):
            return rises
        # The store's clock; a store not found reads BATON_DEFAULT_TIME_ZONE, as its staff do.
        clock = await store_clock(session, case.store_id)
        level, since = case.level + 1, case.level_due_at
        moved = await session.execute(
            update(Case)
            .where(Case.id == case.id, Case.level == case.level, Case.state == CaseState.OPEN)
            .values(
                level=level,
                level_since=since,
                level_due_at=next_deadline(level, since, clock),
                version=Case.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            # Another sweep moved it first (or it was closed meanwhile): its rise, not ours.
            await session.rollback()
            return rises
        await session.refresh(case)
        holders = await start_level(session, case, level, since)
        touchpoint = await session.get(Touchpoint, case.touchpoint_id)
        customer = await session.get(Customer, case.customer_id)
        assert touchpoint is not None and customer is not None
        params = {
            **case_params(case, touchpoint, customer),
            "holders": [holder.user.display_name for holder in holders],
        }
        add_timeline_event(
            session,
            None,
            customer_id=case.customer_id,
            kind="case_escalated",
            now=since,
            params=params,
            subject=case,
        )
        await tell(
            session,
            CaseEscalated(case, params, holder_ids=tuple(h.user.id for h in holders)),
            now=now,
        )
        rises += 1
