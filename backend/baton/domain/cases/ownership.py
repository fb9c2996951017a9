"""The case stays with its owner department (责任人制度): handing it on to another department
or back to the raiser is refused, and the refused attempt counted (踢皮球); the owner brings
other departments in as collaborators instead, who join the level-2 holders."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Case, CaseCollaborator, CaseSpell, Department, Position, User
from baton.domain.access import Actor
from baton.domain.cases.ladder import holders_at
from baton.domain.cases.lifecycle import ensure_open, ensure_responsible, get_case
from baton.domain.cases.touchpoints import department_people
from baton.domain.errors import FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import add_audit_entry, add_timeline_event


async def refuse_handing_on(
    session: AsyncSession,
    actor: Actor,
    case_id: int,
    *,
    user_id: int | None,
) -> Case:
    """Handing the case to another department or back to the raiser is never allowed.

    Always raises; `count_refused_bounce` records the attempt after the refusal."""
    case = await get_case(session, actor, case_id)
    target = await session.get(User, user_id) if user_id is not None else None
    if user_id is not None and (target is None or target.store_id != case.store_id):
        raise NotFound("User", "input.toUserId")
    # Back to the raiser or on to another department: the same rule, the same answer.
    raise RuleViolation([Reason("owner_keeps_case", f"Case:{case.id}")])


async def count_refused_bounce(
    session: AsyncSession, actor: Actor, case_id: int, *, department: str | None, now: datetime
) -> None:
    """A refused attempt counts (the measure of 踢皮球); nothing else about the case moves."""
    case = await get_case(session, actor, case_id)
    case.bounce_attempts += 1
    await session.flush()
    add_audit_entry(
        session,
        actor,
        action="refuse_case_bounce",
        entity=case,
        now=now,
        changes={"department": department},
    )


async def add_collaborator(
    session: AsyncSession,
    actor: Actor,
    case_id: int,
    *,
    department: Department,
    user_id: int | None,
    now: datetime,
) -> tuple[Case, CaseCollaborator]:
    """The owner brings a department in (its named person, else its supervisor); the case
    stays with the owner department."""
    case = await get_case(session, actor, case_id)
    await ensure_responsible(session, actor, case)
    ensure_open(case)
    checks = FieldChecks()
    if department is case.owner_department:
        checks.fail("input.department", "is_owner", says="owner_holds_case")
    person: User | None = None
    if user_id is not None:
        person = await session.get(User, user_id)
        if person is None or person.store_id != case.store_id or not person.is_active:
            raise NotFound("User", "input.userId")
        if person.department is not department:
            checks.fail("input.userId", "other_department")
    checks.raise_if_any()
    if person is None:
        for position in (Position.SUPERVISOR, Position.MANAGER, Position.STAFF):
            people = await department_people(session, case.store_id, department, position)
            if people:
                person = people[0]
                break
    if person is None:
        raise RuleViolation(
            [Reason("nobody_in_department", f"Case:{case.id}", department=department)]
        )
    existing = await session.scalar(
        select(CaseCollaborator).where(
            CaseCollaborator.case_id == case.id, CaseCollaborator.department == department
        )
    )
    if existing is not None:
        raise RuleViolation([Reason("already_collaborating", f"Case:{case.id}")])
    collaborator = CaseCollaborator(
        case_id=case.id,
        department=department,
        user_id=person.id,
        added_by_id=actor.id,
        added_at=now,
    )
    session.add(collaborator)
    await session.flush()
    if case.level == 2:
        # Level 2 is the managers of the owner and of every collaborating department: one
        # brought in now joins them from now on.
        for holder in await holders_at(session, case, 2, [collaborator]):
            if holder.department is department:
                session.add(
                    CaseSpell(
                        case_id=case.id,
                        level=2,
                        department=department,
                        user_id=holder.user.id,
                        started_at=now,
                    )
                )
        await session.flush()
    add_timeline_event(
        session,
        actor,
        customer_id=case.customer_id,
        kind="case_collaborator_added",
        now=now,
        params={"department": department.value, "person": person.display_name},
        subject=case,
    )
    add_audit_entry(
        session,
        actor,
        action="add_case_collaborator",
        entity=case,
        now=now,
        changes={"department": department.value, "user_id": person.id},
    )
    return case, collaborator
