"""Reading cases: the ones on a person's list (my cases) and a customer's, most urgent first."""

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Case, CaseCollaborator, CaseSpell, CaseState, Customer
from baton.domain.access import Actor
from baton.domain.cases.lifecycle import REOPEN_WINDOW
from baton.domain.errors import NotFound

MY_CASES_MAX = 100
CUSTOMER_CASES_MAX = 50
# Most urgent first: open before closed, the most escalated first (a level-3 case has gone past
# the store manager to the director), then the soonest to rise; a manager steps in in this order.
BY_URGENCY = (Case.state.desc(), Case.level.desc(), Case.level_due_at, Case.id)


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
        select(Case).where(Case.id.in_(mine)).order_by(*BY_URGENCY).limit(MY_CASES_MAX)
    )
    return [case for case in rows if actor.sees_store(case.store_id)]


async def customer_cases(session: AsyncSession, actor: Actor, customer_id: int) -> list[Case]:
    """A customer's cases, most urgent first (at most CUSTOMER_CASES_MAX)."""
    customer = await session.get(Customer, customer_id)
    if customer is None or not actor.sees_store(customer.store_id):
        raise NotFound("Customer", "customerId")
    rows = await session.scalars(
        select(Case)
        .where(Case.customer_id == customer_id)
        .order_by(*BY_URGENCY)
        .limit(CUSTOMER_CASES_MAX)
    )
    return list(rows)
