"""Cases (问题单): a customer problem raised at a touchpoint. It lands with the touchpoint's
owner department and stays there: it cannot be handed back to the raiser or moved to another
department, only collaborators can be added (踢皮球 is refused and counted). It escalates by the
clock (journeys/escalation.py), closes with a resolution and the customer's confirmation, and
may be reopened within 7 days. Spells say who held it, per department and level."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
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
    Department,
    Position,
    Role,
    Store,
    Touchpoint,
    User,
)
from baton.domain.access import Action, Actor, Subject, Tie
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import add_audit_entry, add_timeline_event, record
from baton.domain.stores import StoreClock, store_clock
from baton.domain.touchpoints import department_people

LEVELS = 3
REOPEN_WINDOW = timedelta(days=7)
SUMMARY_MAX = 1000
COMMENT_MAX = 2000
RESOLUTION_MAX = 2000
CONFIRMED_BY_MAX = 100
MY_CASES_MAX = 100


def level_deadline(since: datetime, clock: StoreClock) -> datetime:
    """A level lasts one store-local day: the same wall-clock time the next day (24 h, or
    23 h / 25 h across a daylight-saving change, as the store's staff read their clock)."""
    return clock.same_time_next_day(since)


def next_deadline(level: int, since: datetime, clock: StoreClock) -> datetime | None:
    return level_deadline(since, clock) if level < LEVELS else None


@dataclass(frozen=True)
class Holder:
    department: Department
    user: User


async def holders_at(
    session: AsyncSession, case: Case, level: int, collaborators: Sequence[CaseCollaborator]
) -> list[Holder]:
    """Who holds the case at `level` from the org chart: 1 the owner department's supervisor,
    2 the department managers of the owner and of each collaborating department (the store
    manager for a department without one), 3 the store's regional director."""
    if level == 1:
        supervisors = await department_people(
            session, case.store_id, case.owner_department, Position.SUPERVISOR
        )
        person = supervisors[0] if supervisors else await session.get(User, case.owner_id)
        return [Holder(case.owner_department, person)] if person else []
    if level == 2:
        departments = [case.owner_department] + [
            c.department for c in collaborators if c.department is not case.owner_department
        ]
        store_managers = list(
            await session.scalars(
                select(User)
                .where(
                    User.store_id == case.store_id,
                    User.role == Role.STORE_MANAGER,
                    User.is_active.is_(True),
                )
                .order_by(User.id)
                .limit(1)
            )
        )
        holders: list[Holder] = []
        for department in departments:
            managers = await department_people(session, case.store_id, department, Position.MANAGER)
            person = managers[0] if managers else next(iter(store_managers), None)
            if person is not None:
                holders.append(Holder(department, person))
        return holders
    store = await session.get(Store, case.store_id)
    directors = await session.scalars(
        select(User)
        .where(
            User.role == Role.REGIONAL_DIRECTOR,
            User.region_id == (store.region_id if store else None),
            User.is_active.is_(True),
        )
        .order_by(User.id)
        .limit(1)
    )
    return [Holder(Department.MANAGEMENT, director) for director in directors]


async def collaborators_of(session: AsyncSession, case_id: int) -> list[CaseCollaborator]:
    return list(
        await session.scalars(
            select(CaseCollaborator)
            .where(CaseCollaborator.case_id == case_id)
            .order_by(CaseCollaborator.id)
        )
    )


async def spells_of(session: AsyncSession, case_id: int) -> list[CaseSpell]:
    return list(
        await session.scalars(
            select(CaseSpell)
            .where(CaseSpell.case_id == case_id)
            .order_by(CaseSpell.started_at, CaseSpell.id)
        )
    )


async def start_level(
    session: AsyncSession, case: Case, level: int, since: datetime
) -> list[Holder]:
    """End the spells of the level before and open one per holder of `level`."""
    for spell in await spells_of(session, case.id):
        if spell.ended_at is None:
            spell.ended_at = since
    holders = await holders_at(session, case, level, await collaborators_of(session, case.id))
    for holder in holders:
        session.add(
            CaseSpell(
                case_id=case.id,
                level=level,
                department=holder.department,
                user_id=holder.user.id,
                started_at=since,
            )
        )
    await session.flush()
    return holders


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


async def participants(session: AsyncSession, case: Case) -> set[int]:
    """Who works the case: raiser, owner, collaborators and everyone who held it."""
    subject = await load_case_subject(session, case)
    return set().union(*subject.people.values())


async def _ensure_participant(session: AsyncSession, actor: Actor, case: Case) -> None:
    actor.ensure(Action.WORK_CASE, await load_case_subject(session, case))


async def _ensure_responsible(session: AsyncSession, actor: Actor, case: Case) -> None:
    actor.ensure(Action.DECIDE_CASE, await load_case_subject(session, case))


def _ensure_open(case: Case) -> None:
    if case.state is not CaseState.OPEN:
        raise RuleViolation([Reason("case_closed", f"Case:{case.id}")])


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
    await _ensure_responsible(session, actor, case)
    _ensure_open(case)
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


async def comment_on_case(
    session: AsyncSession, actor: Actor, case_id: int, *, text: str, now: datetime
) -> Case:
    case = await get_case(session, actor, case_id)
    await _ensure_participant(session, actor, case)
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
    await _ensure_responsible(session, actor, case)
    checks = FieldChecks()
    clean = checks.text("input.resolution", resolution, max_length=RESOLUTION_MAX) or ""
    who = checks.text("input.confirmedBy", confirmed_by, max_length=CONFIRMED_BY_MAX) or ""
    if confirmed_via is None:
        checks.fail("input.confirmedVia", "required", says="confirmed_via")
    checks.raise_if_any()
    if case.version != expected_version:
        raise Conflict("Case", case.version)
    _ensure_open(case)
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
    await _ensure_participant(session, actor, case)
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


@dataclass(frozen=True)
class HeldTime:
    level: int
    department: Department
    user_id: int
    seconds: int


def held_time(spells: Sequence[CaseSpell], now: datetime) -> list[HeldTime]:
    """How long each person of each department held the case at each level (open spells
    count until `now`)."""
    totals: dict[tuple[int, Department, int], float] = {}
    for spell in spells:
        key = (spell.level, spell.department, spell.user_id)
        end = spell.ended_at or now
        totals[key] = totals.get(key, 0.0) + max((end - spell.started_at).total_seconds(), 0.0)
    return [
        HeldTime(level, department, user_id, int(seconds))
        for (level, department, user_id), seconds in sorted(totals.items())
    ]
