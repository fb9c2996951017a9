"""The escalation ladder (三级协调机制) of a case: its three levels, how long each lasts on the
store's clock, who holds the case at each level (from the org chart), and the spells that say
who held it, per department and level, and for how long."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Case,
    CaseCollaborator,
    CaseSpell,
    Department,
    Position,
    Role,
    Store,
    User,
)
from baton.domain.cases.touchpoints import department_people
from baton.domain.staff import store_manager_ids
from baton.domain.stores import StoreClock

LEVELS = 3


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
        # Without a department manager, the store manager holds the level for that department.
        manager_ids = await store_manager_ids(session, case.store_id)
        store_managers = [await session.get(User, manager_ids[0])] if manager_ids else []
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
