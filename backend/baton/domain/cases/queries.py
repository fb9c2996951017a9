"""Reading cases: the ones on a person's list (my cases)."""

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Case, CaseCollaborator, CaseSpell, CaseState
from baton.domain.access import Actor
from baton.domain.cases.lifecycle import REOPEN_WINDOW

MY_CASES_MAX = 100


async def my_cases(session: AsyncSession, actor: Actor, *, now: datetime) -> list[Case]:
    """Open cases the actor raised, owns, helps with or holds now, soonest deadline first;
    then those closed within the reopen window."""
    mine = (
        select(Case.id)
        .outerjoin(CaseCollaborator, CaseCollaborator.case_id == Case.id)
        .outerjoin(CaseSpell, (CaseSpell.case_id == Case.id) & CaseSpell.ended_at.is_(None))
        .where(
            or_(
                Case.raised_by_id == actor.id,
                Case.owner_id == actor.id,
                CaseCollaborator.user_id == actor.id,
                CaseSpell.user_id == actor.id,
            ),
            or_(Case.state == CaseState.OPEN, Case.closed_at > now - REOPEN_WINDOW),
        )
    )
    rows = await session.scalars(
        select(Case)
        .where(Case.id.in_(mine))
        .order_by(Case.state.desc(), Case.level.desc(), Case.level_due_at, Case.id)
        .limit(MY_CASES_MAX)
    )
    return [case for case in rows if actor.sees_store(case.store_id)]
