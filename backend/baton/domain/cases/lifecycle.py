"""Cases (问题单): a customer problem raised at a touchpoint. It lands with the touchpoint's
owner department and stays there (ownership.py); it escalates by the clock (ladder.py,
journeys/cases/escalation.py), closes with a resolution and the customer's confirmation, and
may be reopened within 7 days. Here: opening, reading one case and how the access rules see
it, comments, closing and reopening."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Case,
    CaseCollaborator,
    CaseComment,
    CaseSource,
    CaseSpell,
    CaseState,
    ConfirmationChannel,
    Customer,
    Position,
    Touchpoint,
    User,
)
from baton.domain.access import Action, Actor, Subject, Tie
from baton.domain.cases.ladder import (
    Holder,
    collaborators_of,
    next_deadline,
    spells_of,
    start_level,
)
from baton.domain.cases.touchpoints import department_people
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.stores import store_clock

REOPEN_WINDOW = timedelta(days=7)
SUMMARY_MAX = 1000
COMMENT_MAX = 2000
RESOLUTION_MAX = 2000
CONFIRMED_BY_MAX = 100


def case_params(case: Case, touchpoint: Touchpoint, customer: Customer) -> dict[str, object]:
    """How texts about the case name it: the customer, the touchpoint, the level."""
    return {
        "customer": customer.name,
        "touchpoint": touchpoint.key,
        "department": case.owner_department.value,
        "level": case.level,
    }


async def _customer_in_scope(session: AsyncSession, actor: Actor, customer_id: int) -> Customer:
    customer = await session.get(Customer, customer_id)
    if customer is None or not actor.sees_store(customer.store_id):
        raise NotFound("Customer", "input.customerId")
    return customer


@dataclass(frozen=True)
class Raised:
    case: Case
    customer: Customer
    touchpoint: Touchpoint
    supervisors: list[Holder]


async def open_case(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int,
    touchpoint_id: int,
    summary: str,
    source: CaseSource,
    now: datetime,
    feedback_id: int | None = None,
    visit_id: int | None = None,
) -> Raised:
    """A case with the touchpoint's owner department: its named owner, else the department's
    supervisor on duty; level 1 starts now. Who hears of it is the raising journey's event."""
    customer = await _customer_in_scope(session, actor, customer_id)
    checks = FieldChecks()
    clean_summary = checks.text("input.summary", summary, max_length=SUMMARY_MAX) or ""
    touchpoint = await session.get(Touchpoint, touchpoint_id)
    # Another store's touchpoint reads as unknown: its existence is not revealed.
    if touchpoint is None or touchpoint.store_id != customer.store_id:
        raise NotFound("Touchpoint", "input.touchpointId")
    checks.raise_if_any()
    owner = await _owner_of(session, touchpoint)
    if owner is None:
        raise RuleViolation(
            [
                Reason(
                    "no_owner",
                    f"Touchpoint:{touchpoint.id}",
                    department=touchpoint.owner_department,
                )
            ]
        )
    clock = await store_clock(session, customer.store_id)
    case = Case(
        store_id=customer.store_id,
        customer_id=customer.id,
        touchpoint_id=touchpoint.id,
        source=source,
        feedback_id=feedback_id,
        visit_id=visit_id,
        summary=clean_summary,
        raised_by_id=actor.id,
        owner_department=touchpoint.owner_department,
        owner_id=owner.id,
        state=CaseState.OPEN,
        level=1,
        level_since=now,
        level_due_at=next_deadline(1, now, clock),
        created_at=now,
    )
    session.add(case)
    await session.flush()
    supervisors = await start_level(session, case, 1, now)
    record(
        session,
        actor,
        case,
        customer_id=customer.id,
        kind="case_raised",
        params={**case_params(case, touchpoint, customer), "summary": clean_summary},
        action="raise_case",
        changes={
            "touchpoint": touchpoint.number,
            "owner_department": case.owner_department.value,
            "owner_id": owner.id,
            "source": source.value,
        },
        now=now,
    )
    return Raised(case, customer, touchpoint, supervisors)


async def _owner_of(session: AsyncSession, touchpoint: Touchpoint) -> User | None:
    if touchpoint.owner_id is not None:
        named = await session.get(User, touchpoint.owner_id)
        if named is not None and named.is_active:
            return named
    for position in (Position.SUPERVISOR, Position.MANAGER, Position.STAFF):
        people = await department_people(
            session, touchpoint.store_id, touchpoint.owner_department, position
        )
        if people:
            return people[0]
    return None


async def get_case(
    session: AsyncSession, actor: Actor, case_id: int, path: str = "input.id"
) -> Case:
    """Every staff member of the case's store sees it, as they see the customer's record."""
    case = await session.get(Case, case_id)
    if case is None or not actor.sees_store(case.store_id):
        raise NotFound("Case", path)
    return case


def case_subject(
    case: Case, spells: Sequence[CaseSpell], collaborators: Sequence[CaseCollaborator]
) -> Subject:
    """The case as the access rules see it: its owner, who held it on the ladder, and who
    raised it or collaborates on it."""
    return Subject(
        store_id=case.store_id,
        people={
            Tie.OWNER: frozenset({case.owner_id}),
            Tie.HOLDER: frozenset(s.user_id for s in spells),
            Tie.PARTICIPANT: frozenset({case.raised_by_id, *(c.user_id for c in collaborators)}),
        },
    )


async def load_case_subject(session: AsyncSession, case: Case) -> Subject:
    return case_subject(
        case, await spells_of(session, case.id), await collaborators_of(session, case.id)
    )


async def ensure_participant(session: AsyncSession, actor: Actor, case: Case) -> None:
    actor.ensure(Action.WORK_CASE, await load_case_subject(session, case))


async def ensure_responsible(session: AsyncSession, actor: Actor, case: Case) -> None:
    actor.ensure(Action.DECIDE_CASE, await load_case_subject(session, case))


def ensure_open(case: Case) -> None:
    if case.state is not CaseState.OPEN:
        raise RuleViolation([Reason("case_closed", f"Case:{case.id}")])


async def comment_on_case(
    session: AsyncSession, actor: Actor, case_id: int, *, text: str, now: datetime
) -> Case:
    case = await get_case(session, actor, case_id)
    await ensure_participant(session, actor, case)
    checks = FieldChecks()
    clean = checks.text("input.text", text, max_length=COMMENT_MAX) or ""
    checks.raise_if_any()
    session.add(CaseComment(case_id=case.id, author_id=actor.id, text=clean, at=now))
    await session.flush()
    return case


async def close_case(
    session: AsyncSession,
    actor: Actor,
    case_id: int,
    *,
    resolution: str,
    confirmed_by: str,
    confirmed_via: ConfirmationChannel | None,
    expected_version: int,
    now: datetime,
) -> Case:
    """Closed with a resolution and the customer's confirmation (who said so, and how)."""
    case = await get_case(session, actor, case_id)
    await ensure_responsible(session, actor, case)
    checks = FieldChecks()
    clean = checks.text("input.resolution", resolution, max_length=RESOLUTION_MAX) or ""
    who = checks.text("input.confirmedBy", confirmed_by, max_length=CONFIRMED_BY_MAX) or ""
    if confirmed_via is None:
        checks.fail("input.confirmedVia", "required", says="confirmed_via")
    checks.raise_if_any()
    if case.version != expected_version:
        raise Conflict("Case", case.version)
    ensure_open(case)
    case.state = CaseState.CLOSED
    case.closed_at = now
    case.closed_by_id = actor.id
    case.resolution = clean
    case.resolved_level = case.level
    case.confirmed_by = who
    case.confirmed_via = confirmed_via
    case.level_due_at = None
    for spell in await spells_of(session, case.id):
        if spell.ended_at is None:
            spell.ended_at = now
    await session.flush()
    record(
        session,
        actor,
        case,
        customer_id=case.customer_id,
        kind="case_closed",
        params={
            "resolution": clean,
            "confirmed_by": who,
            "via": confirmed_via.value if confirmed_via else None,
            "level": case.level,
        },
        action="close_case",
        changes={"level": case.level, "via": confirmed_via.value if confirmed_via else None},
        now=now,
    )
    return case


async def reopen_case(
    session: AsyncSession,
    actor: Actor,
    case_id: int,
    *,
    reason: str,
    expected_version: int,
    now: datetime,
) -> Case:
    """Within 7 days of closing, back to level 1 with the same owner and a new clock."""
    case = await get_case(session, actor, case_id)
    await ensure_participant(session, actor, case)
    checks = FieldChecks()
    clean = checks.text("input.reason", reason, max_length=COMMENT_MAX) or ""
    checks.raise_if_any()
    if case.version != expected_version:
        raise Conflict("Case", case.version)
    if case.state is not CaseState.CLOSED or case.closed_at is None:
        raise RuleViolation([Reason("case_open", f"Case:{case.id}")])
    if now - case.closed_at > REOPEN_WINDOW:
        raise RuleViolation(
            [
                Reason(
                    "reopen_window_passed",
                    f"Case:{case.id}",
                    days=REOPEN_WINDOW.days,
                )
            ]
        )
    clock = await store_clock(session, case.store_id)
    case.state = CaseState.OPEN
    case.reopened_count += 1
    case.level = 1
    case.level_since = now
    case.level_due_at = next_deadline(1, now, clock)
    case.closed_at = None
    case.closed_by_id = None
    case.resolved_level = None
    await session.flush()
    await start_level(session, case, 1, now)
    record(
        session,
        actor,
        case,
        customer_id=case.customer_id,
        kind="case_reopened",
        params={"reason": clean},
        action="reopen_case",
        changes={"reason": clean, "times": case.reopened_count},
        now=now,
    )
    return case
