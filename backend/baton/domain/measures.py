"""What capabilities 2, 3 and 6 are measured by: promise fulfilment, task on-time rates,
and cases (resolved at which level, how fast, reopened, bounces refused, who held them)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Case as CaseRow
from baton.db.models import (
    CaseSpell,
    CaseState,
    Customer,
    Department,
    Order,
    Promise,
    PromiseDue,
    PromiseStatus,
    Store,
    Task,
    TaskState,
    Touchpoint,
)
from baton.domain.access import Actor
from baton.domain.errors import FieldChecks, NotFound
from baton.domain.localtime import local_date, local_day_bounds

PERIOD_MAX_DAYS = 366


@dataclass(frozen=True)
class Rate:
    due: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


async def _store(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> Store:
    store = await session.get(Store, store_id)
    if store is None or not actor.sees_store(store.id):
        raise NotFound("Store", "storeId")
    checks = FieldChecks()
    if end < start:
        checks.fail("to", "must not be before from", "before_start")
    elif (end - start).days > PERIOD_MAX_DAYS:
        checks.fail("to", f"a period is at most {PERIOD_MAX_DAYS} days", "too_long")
    checks.raise_if_any()
    return store


async def promise_fulfilment_rate(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> Rate:
    """Fulfilled on time / due in the period (store-local days, both ends included).

    Due means the date of a by-date promise, or the planned delivery of one due at handover;
    cancelled promises and entitlements (counted uses, not a due day) are left out. A deferred
    promise counts against the day it was first due: deferral is not fulfilment."""
    store = await _store(session, actor, store_id, start, end)
    due_day = case(
        (Promise.due == PromiseDue.BY_DATE, Promise.due_on),
        else_=Order.planned_delivery_date,
    )
    rows = await session.execute(
        select(due_day, Promise.status, Promise.fulfilled_at)
        .join(Order, Order.id == Promise.order_id)
        .join(Customer, Customer.id == Promise.customer_id)
        .where(
            Customer.store_id == store.id,
            Promise.due != PromiseDue.ENTITLEMENT,
            Promise.status != PromiseStatus.CANCELLED,
            due_day >= start,
            due_day <= end,
        )
    )
    due = on_time = 0
    for day, status, fulfilled_at in rows:
        due += 1
        if (
            status is PromiseStatus.FULFILLED
            and fulfilled_at is not None
            and local_date(fulfilled_at, store.time_zone) <= day
        ):
            on_time += 1
    return Rate(due, on_time)


async def task_on_time_rates(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> dict[str, Rate]:
    """Per task kind: done by the deadline / due in the period (cancelled tasks left out)."""
    store = await _store(session, actor, store_id, start, end)
    since, _ = local_day_bounds(start, store.time_zone)
    _, until = local_day_bounds(end, store.time_zone)
    done_on_time = func.sum(
        case(
            (Task.state == TaskState.DONE, case((Task.completed_at <= Task.due_at, 1), else_=0)),
            else_=0,
        )
    )
    rows = await session.execute(
        select(Task.kind, func.count(), done_on_time)
        .where(
            Task.store_id == store.id,
            Task.state != TaskState.CANCELLED,
            Task.due_at >= since,
            Task.due_at < until,
        )
        .group_by(Task.kind)
        .order_by(Task.kind)
    )
    return {kind: Rate(int(count), int(on_time or 0)) for kind, count, on_time in rows}


@dataclass(frozen=True)
class CaseMeasures:
    """Capability 6 (seed 001/002): cases raised in the period at the stores asked about."""

    raised: int
    # (touchpoint key, count) and (department, count), most first.
    by_touchpoint: list[tuple[str, int]]
    by_department: list[tuple[Department, int]]
    # Closed cases by the level they were settled at (1, 2, 3).
    resolved_at_level: dict[int, int]
    median_hours_to_resolve: float | None
    # Of the cases closed at least once, the share reopened.
    reopened: int
    ever_closed: int
    bounce_attempts_refused: int
    # Hours held per department and per level (spells of these cases, open ones until `now`).
    hours_by_department: list[tuple[Department, float]]
    hours_by_level: dict[int, float]

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.ever_closed if self.ever_closed else None

    def resolved_share(self, level: int) -> float | None:
        total = sum(self.resolved_at_level.values())
        return self.resolved_at_level.get(level, 0) / total if total else None


async def case_measures(
    session: AsyncSession,
    actor: Actor,
    store_id: int | None,
    start: date,
    end: date,
    *,
    now: datetime,
) -> CaseMeasures:
    """Per store, or with no store for every store the actor sees (a director: the region).
    Each store's period is read in its own days, both ends included."""
    if store_id is not None:
        stores = [await _store(session, actor, store_id, start, end)]
    else:
        checks = FieldChecks()
        if end < start:
            checks.fail("to", "must not be before from", "before_start")
        checks.raise_if_any()
        query = select(Store).order_by(Store.id)
        if actor.visible_store_ids is not None:
            query = query.where(Store.id.in_(actor.visible_store_ids))
        stores = list(await session.scalars(query))
    window = or_(
        *(
            and_(
                CaseRow.store_id == store.id,
                CaseRow.created_at >= local_day_bounds(start, store.time_zone)[0],
                CaseRow.created_at < local_day_bounds(end, store.time_zone)[1],
            )
            for store in stores
        ),
        false(),
    )
    rows = list(
        await session.execute(
            select(CaseRow, Touchpoint.key)
            .join(Touchpoint, Touchpoint.id == CaseRow.touchpoint_id)
            .where(window)
        )
    )
    cases = [row for row, _ in rows]
    by_touchpoint = Counter(key for _, key in rows)
    by_department = Counter(row.owner_department for row in cases)
    resolved = Counter(
        row.resolved_level for row in cases if row.state is CaseState.CLOSED and row.resolved_level
    )
    durations = sorted(
        (row.closed_at - row.created_at).total_seconds() / 3600
        for row in cases
        if row.state is CaseState.CLOSED and row.closed_at is not None
    )
    hours_by_department: dict[Department, float] = {}
    hours_by_level: dict[int, float] = {}
    if cases:
        spells = await session.scalars(
            select(CaseSpell).where(CaseSpell.case_id.in_([row.id for row in cases]))
        )
        for spell in spells:
            hours = ((spell.ended_at or now) - spell.started_at).total_seconds() / 3600
            hours_by_department[spell.department] = (
                hours_by_department.get(spell.department, 0) + hours
            )
            hours_by_level[spell.level] = hours_by_level.get(spell.level, 0.0) + hours
    return CaseMeasures(
        raised=len(cases),
        by_touchpoint=by_touchpoint.most_common(),
        by_department=by_department.most_common(),
        resolved_at_level={level: resolved.get(level, 0) for level in (1, 2, 3)},
        median_hours_to_resolve=median(durations) if durations else None,
        reopened=sum(1 for row in cases if row.reopened_count),
        ever_closed=sum(1 for row in cases if row.closed_at is not None or row.reopened_count),
        bounce_attempts_refused=sum(row.bounce_attempts for row in cases),
        hours_by_department=sorted(
            ((d, round(h, 2)) for d, h in hours_by_department.items()), key=lambda x: -x[1]
        ),
        hours_by_level={level: round(hours_by_level.get(level, 0.0), 2) for level in (1, 2, 3)},
    )
