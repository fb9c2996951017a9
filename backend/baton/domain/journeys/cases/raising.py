"""Raising a case (提出问题): from the customer's record, from a complaint, or at check-in. It
lands with the touchpoint's owner department, and the owner and the department's supervisor
hear of it; the owner may bring in collaborators, who hear so too."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Case,
    CaseSource,
    Customer,
    Department,
    Feedback,
    ServiceVisit,
    Touchpoint,
)
from baton.domain.access import Action, Actor
from baton.domain.cases.lifecycle import case_params, open_case
from baton.domain.cases.ownership import add_collaborator
from baton.domain.errors import NotFound
from baton.domain.events import CaseCollaboratorAdded, CaseRaised
from baton.domain.journeys.who_is_told import tell


async def raise_case(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int,
    touchpoint_id: int,
    summary: str,
    now: datetime,
    feedback_id: int | None = None,
    visit_id: int | None = None,
) -> Case:
    """From the record by default; naming a complaint or a service visit of the same customer
    says the case came from it."""
    actor.ensure(Action.RAISE_CASE)
    source = CaseSource.RECORD
    if feedback_id is not None:
        feedback = await session.get(Feedback, feedback_id)
        if feedback is None or feedback.customer_id != customer_id:
            raise NotFound("Feedback", "input.feedbackId")
        source = CaseSource.COMPLAINT
    if visit_id is not None:
        visit = await session.get(ServiceVisit, visit_id)
        if visit is None or visit.customer_id != customer_id:
            raise NotFound("ServiceVisit", "input.visitId")
        source = CaseSource.CHECK_IN
    raised = await open_case(
        session,
        actor,
        customer_id=customer_id,
        touchpoint_id=touchpoint_id,
        summary=summary,
        source=source,
        now=now,
        feedback_id=feedback_id,
        visit_id=visit_id,
    )
    await tell(
        session,
        CaseRaised(
            raised.case,
            case_params(raised.case, raised.touchpoint, raised.customer),
            actor_id=actor.id,
            supervisor_ids=tuple(holder.user.id for holder in raised.supervisors),
        ),
        now=now,
    )
    return raised.case


async def bring_in_collaborator(
    session: AsyncSession,
    actor: Actor,
    case_id: int,
    *,
    department: Department,
    user_id: int | None,
    now: datetime,
) -> Case:
    case, collaborator = await add_collaborator(
        session, actor, case_id, department=department, user_id=user_id, now=now
    )
    touchpoint = await session.get(Touchpoint, case.touchpoint_id)
    customer = await session.get(Customer, case.customer_id)
    assert touchpoint is not None and customer is not None
    await tell(
        session,
        CaseCollaboratorAdded(
            case,
            case_params(case, touchpoint, customer),
            actor_id=actor.id,
            collaborator_id=collaborator.user_id,
        ),
        now=now,
    )
    return case
