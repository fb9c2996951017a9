"""DataLoaders: every per-object relation is batched, so a query's statement count stays flat."""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.dataloader import DataLoader

from baton.db.models import (
    Car,
    CarUse,
    CaseCollaborator,
    CaseComment,
    CaseSpell,
    ChecklistSignature,
    Customer,
    Delivery,
    DeliveryDateChange,
    EntitlementUse,
    Feedback,
    HandoverBrief,
    LearningTopic,
    Order,
    Promise,
    ServiceVisit,
    SpecialCircumstance,
    Store,
    Task,
    TeachingEntry,
    TeachingSession,
    Touchpoint,
    Upload,
    User,
    Vehicle,
)
from baton.db.models.base import Base
from baton.domain.history import TimelinePage, timeline_pages
from baton.domain.learning.archive import Archive, Taught
from baton.domain.learning.topics import topics_of_stores
from baton.reads.families import Family, FamilyKey, FamilyRows, families_loader

M = TypeVar("M", bound=Base)
T = TypeVar("T")

TimelineKey = tuple[int, int, tuple[datetime, int] | None]

# What hangs off a customer, read together in one statement (reads/families.py).
CUSTOMER_FAMILIES = {
    "vehicles": Family(Vehicle, Vehicle.customer_id, (Vehicle.id,)),
    "orders": Family(
        Order,
        Order.customer_id,
        (Order.created_at.desc(), Order.id.desc()),
        staff=Order.sales_consultant_id,
    ),
    "deliveries": Family(
        Delivery, Delivery.customer_id, (Delivery.id.desc(),), staff=Delivery.delivery_specialist_id
    ),
    "visits": Family(
        ServiceVisit,
        ServiceVisit.customer_id,
        (ServiceVisit.checked_in_at.desc(), ServiceVisit.id.desc()),
        staff=ServiceVisit.advisor_id,
    ),
    "feedback": Family(Feedback, Feedback.customer_id, (Feedback.created_at.desc(),)),
    "circumstances": Family(
        SpecialCircumstance,
        SpecialCircumstance.customer_id,
        (SpecialCircumstance.starts_on.desc(),),
    ),
    "promises": Family(Promise, Promise.customer_id, (Promise.order_id, Promise.id)),
    "teaching_entries": Family(TeachingEntry, TeachingEntry.customer_id, (TeachingEntry.id,)),
    "teaching_sessions": Family(
        TeachingSession,
        TeachingSession.customer_id,
        (TeachingSession.taught_at, TeachingSession.id),
        staff=TeachingSession.teacher_id,
    ),
}


def at_hand(pending: Awaitable[T]) -> T | Awaitable[T]:
    """A loader's answer itself when it is already there (the key was primed by the statement
    that read its parent, as a timeline page primes its actors), else the awaitable, which
    graphql-core waits on. A list whose every node answers at once then completes without a
    coroutine per node (the record's 20 timeline nodes: 8-10 % of the record's CPU)."""
    if isinstance(pending, asyncio.Future) and pending.done() and pending.exception() is None:
        return cast(T, pending.result())
    return pending


def _by_id(session: AsyncSession, model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: Sequence[int]) -> list[M | None]:
        rows = await session.scalars(select(model).where(model.id.in_(ids)))  # type: ignore[attr-defined]
        found = {row.id: row for row in rows}  # type: ignore[attr-defined]
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _children(
    session: AsyncSession,
    model: type[M],
    parent: InstrumentedAttribute[int],
    *order_by: Any,
    staff: InstrumentedAttribute[int] | None = None,
    users: DataLoader[int, User | None] | None = None,
    by_id: DataLoader[int, M | None] | None = None,
) -> DataLoader[int, list[M]]:
    """Rows of `model` per parent id. With `staff`, the user that column names comes in the
    same statement and primes `users`, so "advisor", "sales consultant" cost no extra query;
    `by_id` is primed with the rows themselves (a visit's vehicle is one of the customer's)."""

    async def load(parent_ids: Sequence[int]) -> list[list[M]]:
        grouped: dict[int, list[M]] = defaultdict(list)
        statement = select(model).where(parent.in_(parent_ids)).order_by(*order_by)
        if staff is None or users is None:
            rows: Sequence[Any] = [(row, None) for row in await session.scalars(statement)]
        else:
            statement = statement.add_columns(User).outerjoin(User, User.id == staff)
            rows = (await session.execute(statement)).all()
        for row, person in rows:
            grouped[getattr(row, parent.key)].append(row)
            if person is not None and users is not None:
                users.prime(person.id, person)
            if by_id is not None:
                by_id.prime(row.id, row)
        return [grouped[i] for i in parent_ids]

    return DataLoader(load_fn=load)


def _timeline(
    session: AsyncSession, users: DataLoader[int, User | None]
) -> DataLoader[TimelineKey, TimelinePage]:
    """Pages of customers' timelines; the actors, read with them, prime `users`."""

    async def load(keys: Sequence[TimelineKey]) -> list[TimelinePage]:
        # Keys differ only when one query pages several customers differently; group them.
        by_window: dict[tuple[int, tuple[datetime, int] | None], list[int]] = defaultdict(list)
        for customer_id, first, before in keys:
            by_window[(first, before)].append(customer_id)
        pages: dict[TimelineKey, TimelinePage] = {}
        for (first, before), customer_ids in by_window.items():
            found = await timeline_pages(session, customer_ids, first=first, before=before)
            for customer_id, page in found.items():
                pages[(customer_id, first, before)] = page
                for actor in page.actors:
                    users.prime(actor.id, actor)
        return [pages[key] for key in keys]

    return DataLoader(load_fn=load)


def _topics(session: AsyncSession) -> DataLoader[int, list[LearningTopic]]:
    async def load(store_ids: Sequence[int]) -> list[list[LearningTopic]]:
        found = await topics_of_stores(session, store_ids)
        return [found[i] for i in store_ids]

    return DataLoader(load_fn=load)


class TaughtRows:
    """Each customer's teaching entries with their sessions, read as two of the customer's
    families (the teachers come along as the sessions' staff)."""

    def __init__(self, families: DataLoader[FamilyKey, list[Any]]) -> None:
        self.entries = FamilyRows[TeachingEntry](families, "teaching_entries")
        self.sessions = FamilyRows[TeachingSession](families, "teaching_sessions")

    def load(self, customer_id: int) -> Awaitable[list[Taught]]:
        # Both keys join the batch now (see FamilyRows.load), paired once both are read.
        return self._paired(self.entries.load(customer_id), self.sessions.load(customer_id))

    async def _paired(
        self,
        entries_read: Awaitable[list[TeachingEntry]],
        sessions_read: Awaitable[list[TeachingSession]],
    ) -> list[Taught]:
        entries, sessions = await entries_read, await sessions_read
        by_id = {teaching.id: teaching for teaching in sessions}
        taught = [Taught(entry, by_id[entry.session_id]) for entry in entries]
        return sorted(taught, key=lambda t: (t.session.taught_at, t.session.id, t.entry.id))


class Loaders:
    """Created per request by the context, each loader on first use; never shared between users."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # A customer's learning archive, built once per request from the loaders below.
        self.archives: dict[int, Archive] = {}

    @cached_property
    def user(self) -> DataLoader[int, User | None]:
        return _by_id(self.session, User)

    @cached_property
    def store(self) -> DataLoader[int, Store | None]:
        return _by_id(self.session, Store)

    @cached_property
    def customer(self) -> DataLoader[int, Customer | None]:
        return _by_id(self.session, Customer)

    @cached_property
    def vehicle(self) -> DataLoader[int, Vehicle | None]:
        return _by_id(self.session, Vehicle)

    @cached_property
    def order(self) -> DataLoader[int, Order | None]:
        return _by_id(self.session, Order)

    @cached_property
    def signature(self) -> DataLoader[int, ChecklistSignature | None]:
        return _by_id(self.session, ChecklistSignature)

    @cached_property
    def task(self) -> DataLoader[int, Task | None]:
        return _by_id(self.session, Task)

    @cached_property
    def families_of_customer(self) -> DataLoader[FamilyKey, list[Any]]:
        return families_loader(
            self.session,
            CUSTOMER_FAMILIES,
            users=self.user,
            primes={"vehicles": self.vehicle, "orders": self.order},
        )

    @cached_property
    def vehicles_of_customer(self) -> FamilyRows[Vehicle]:
        return FamilyRows(self.families_of_customer, "vehicles")

    @cached_property
    def orders_of_customer(self) -> FamilyRows[Order]:
        return FamilyRows(self.families_of_customer, "orders")

    @cached_property
    def deliveries_of_customer(self) -> FamilyRows[Delivery]:
        return FamilyRows(self.families_of_customer, "deliveries")

    @cached_property
    def uses_of_visit(self) -> DataLoader[int, list[EntitlementUse]]:
        return _children(self.session, EntitlementUse, EntitlementUse.visit_id, EntitlementUse.id)

    @cached_property
    def visits_of_customer(self) -> FamilyRows[ServiceVisit]:
        return FamilyRows(self.families_of_customer, "visits")

    @cached_property
    def feedback_of_customer(self) -> FamilyRows[Feedback]:
        return FamilyRows(self.families_of_customer, "feedback")

    @cached_property
    def circumstances_of_customer(self) -> FamilyRows[SpecialCircumstance]:
        return FamilyRows(self.families_of_customer, "circumstances")

    @cached_property
    def timeline(self) -> DataLoader[TimelineKey, TimelinePage]:
        return _timeline(self.session, self.user)

    @cached_property
    def promises_of_order(self) -> DataLoader[int, list[Promise]]:
        return _children(self.session, Promise, Promise.order_id, Promise.id)

    @cached_property
    def promises_of_customer(self) -> FamilyRows[Promise]:
        return FamilyRows(self.families_of_customer, "promises")

    @cached_property
    def signatures_of_order(self) -> DataLoader[int, list[ChecklistSignature]]:
        return _children(
            self.session,
            ChecklistSignature,
            ChecklistSignature.order_id,
            ChecklistSignature.checklist_version.desc(),
        )

    @cached_property
    def deliveries_of_order(self) -> DataLoader[int, list[Delivery]]:
        return _children(self.session, Delivery, Delivery.order_id, Delivery.id)

    @cached_property
    def photos_of_promise(self) -> DataLoader[int, list[Upload]]:
        return _children(
            self.session,
            Upload,
            Upload.promise_id,  # type: ignore[arg-type]
            Upload.id,
        )

    @cached_property
    def briefs_of_order(self) -> DataLoader[int, list[HandoverBrief]]:
        return _children(self.session, HandoverBrief, HandoverBrief.order_id, HandoverBrief.id)

    @cached_property
    def date_changes_of_order(self) -> DataLoader[int, list[DeliveryDateChange]]:
        return _children(
            self.session,
            DeliveryDateChange,
            DeliveryDateChange.order_id,
            DeliveryDateChange.id.desc(),
        )

    @cached_property
    def touchpoint(self) -> DataLoader[int, Touchpoint | None]:
        return _by_id(self.session, Touchpoint)

    @cached_property
    def collaborators_of_case(self) -> DataLoader[int, list[CaseCollaborator]]:
        return _children(
            self.session,
            CaseCollaborator,
            CaseCollaborator.case_id,
            CaseCollaborator.id,
            staff=CaseCollaborator.user_id,
            users=self.user,
        )

    @cached_property
    def comments_of_case(self) -> DataLoader[int, list[CaseComment]]:
        return _children(
            self.session,
            CaseComment,
            CaseComment.case_id,
            CaseComment.at,
            CaseComment.id,
            staff=CaseComment.author_id,
            users=self.user,
        )

    @cached_property
    def spells_of_case(self) -> DataLoader[int, list[CaseSpell]]:
        return _children(
            self.session,
            CaseSpell,
            CaseSpell.case_id,
            CaseSpell.started_at,
            CaseSpell.id,
            staff=CaseSpell.user_id,
            users=self.user,
        )

    @cached_property
    def topics_of_store(self) -> DataLoader[int, list[LearningTopic]]:
        return _topics(self.session)

    @cached_property
    def taught_of_customer(self) -> TaughtRows:
        return TaughtRows(self.families_of_customer)

    @cached_property
    def car(self) -> DataLoader[int, Car | None]:
        return _by_id(self.session, Car)

    @cached_property
    def use_of_booking(self) -> DataLoader[int, list[CarUse]]:
        return _children(self.session, CarUse, CarUse.booking_id, CarUse.id)
