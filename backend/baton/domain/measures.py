"""What capabilities 2, 3, 4 and 6 are measured by: promise fulfilment, task on-time rates,
the learning archive (delivery training, topics mastered, skips never checked) and cases
(resolved at which level, how fast, reopened, bounces refused, who held them)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Case as CaseRow
from baton.db.models import (
    CaseSpell,
    CaseState,
    Customer,
    Delivery,
    DeliveryStatus,
    Department,
    LearningTopic,
    Order,
    Promise,
    PromiseDue,
    PromiseStatus,
    Store,
    Task,
    TaskState,
    TeachingEntry,
    TeachingKind,
    TeachingLevel,
    TeachingSession,
    TopicStage,
    Touchpoint,
)
from baton.domain.access import Action, Actor
from baton.domain.errors import FieldChecks, NotFound
from baton.domain.learning.archive import Taught, build_archive
from baton.domain.learning.topics import topics_of_stores
from baton.domain.stores import clock_of

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
        checks.fail("to", "before_start")
    elif (end - start).days > PERIOD_MAX_DAYS:
        checks.fail("to", "too_long", says="period_too_long", max=PERIOD_MAX_DAYS)
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
            and clock_of(store).day_of(fulfilled_at) <= day
        ):
            on_time += 1
    return Rate(due, on_time)


async def task_on_time_rates(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> dict[str, Rate]:
    """Per task kind: done by the deadline / due in the period (cancelled tasks left out)."""
    store = await _store(session, actor, store_id, start, end)
    since, until = clock_of(store).days_bounds(start, end)
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
            checks.fail("to", "before_start")
        checks.raise_if_any()
        query = select(Store).order_by(Store.id)
        if actor.visible_store_ids is not None:
            query = query.where(Store.id.in_(actor.visible_store_ids))
        stores = list(await session.scalars(query))
    window = or_(
        *(
            and_(
                CaseRow.store_id == store.id,
                CaseRow.created_at >= clock_of(store).days_bounds(start, end)[0],
                CaseRow.created_at < clock_of(store).days_bounds(start, end)[1],
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


# --- capability 4: the learning archive -------------------------------------------------

MASTERY_WINDOW = timedelta(days=30)


async def _delivered(
    session: AsyncSession, store: Store, start: date, end: date
) -> dict[int, datetime]:
    """Customers handed a car over in the period (store-local days): their first handover."""
    since, until = clock_of(store).days_bounds(start, end)
    rows = await session.execute(
        select(Delivery.customer_id, func.min(Delivery.completed_at))
        .join(Customer, Customer.id == Delivery.customer_id)
        .where(
            Customer.store_id == store.id,
            Delivery.status == DeliveryStatus.COMPLETED,
            Delivery.completed_at >= since,
            Delivery.completed_at < until,
        )
        .group_by(Delivery.customer_id)
    )
    return {customer_id: at for customer_id, at in rows if at is not None}


async def delivery_training_share(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date
) -> Rate:
    """Customers handed over in the period who have a delivery-training session / all of them."""
    store = await _store(session, actor, store_id, start, end)
    actor.ensure(Action.READ_LEARNING_MEASURES)
    delivered = await _delivered(session, store, start, end)
    if not delivered:
        return Rate(0, 0)
    trained = await session.scalars(
        select(TeachingSession.customer_id)
        .where(
            TeachingSession.customer_id.in_(delivered),
            TeachingSession.kind == TeachingKind.DELIVERY_TRAINING,
        )
        .distinct()
    )
    return Rate(len(delivered), len(set(trained)))


@dataclass(frozen=True)
class MasteredByDay30:
    # Customers handed over in the period whose 30 days have passed (the others are not
    # counted yet: their window is still open).
    customers: int
    topics_mastered: int

    @property
    def per_customer(self) -> float | None:
        return self.topics_mastered / self.customers if self.customers else None


async def topics_mastered_by_day_30(
    session: AsyncSession, actor: Actor, store_id: int, start: date, end: date, *, now: datetime
) -> MasteredByDay30:
    """Topics mastered within 30 days of the handover, per customer handed over in the period."""
    store = await _store(session, actor, store_id, start, end)
    actor.ensure(Action.READ_LEARNING_MEASURES)
    delivered = {
        customer_id: at
        for customer_id, at in (await _delivered(session, store, start, end)).items()
        if at + MASTERY_WINDOW <= now
    }
    if not delivered:
        return MasteredByDay30(0, 0)
    rows = await session.execute(
        select(TeachingEntry.customer_id, TeachingEntry.topic_id, TeachingSession.taught_at)
        .join(TeachingSession, TeachingSession.id == TeachingEntry.session_id)
        .where(
            TeachingEntry.customer_id.in_(delivered),
            TeachingEntry.level == TeachingLevel.MASTERED,
        )
    )
    mastered = {
        (customer_id, topic_id)
        for customer_id, topic_id, at in rows
        if at <= delivered[customer_id] + MASTERY_WINDOW
    }
    return MasteredByDay30(len(delivered), len(mastered))


@dataclass(frozen=True)
class UnconfirmedSkips:
    topic: LearningTopic
    customers: int


async def unconfirmed_skips(
    session: AsyncSession, actor: Actor, store_id: int
) -> list[UnconfirmedSkips]:
    """Per topic, the store's customers who asked to skip it and were never taught it since:
    "I know this" taken on trust. Most first, then in the catalogue's order."""
    store = await session.get(Store, store_id)
    if store is None or not actor.sees_store(store.id):
        raise NotFound("Store", "storeId")
    actor.ensure(Action.READ_LEARNING_MEASURES)
    topics = (await topics_of_stores(session, [store.id]))[store.id]
    rows = await session.execute(
        select(TeachingEntry, TeachingSession)
        .join(TeachingSession, TeachingSession.id == TeachingEntry.session_id)
        .join(Customer, Customer.id == TeachingEntry.customer_id)
        .where(Customer.store_id == store.id)
    )
    by_customer: dict[int, list[Taught]] = {}
    for entry, teaching in rows:
        by_customer.setdefault(entry.customer_id, []).append(Taught(entry, teaching))
    counts: dict[int, int] = {}
    for taught in by_customer.values():
        # The stage only shapes teach-next, which is not read here.
        archive = build_archive(topics, taught, TopicStage.LATER)
        for record in archive.records:
            if record.skip is not None:
                counts[record.topic.id] = counts.get(record.topic.id, 0) + 1
    found = [UnconfirmedSkips(t, counts[t.id]) for t in topics if t.id in counts]
    return sorted(found, key=lambda s: -s.customers)
