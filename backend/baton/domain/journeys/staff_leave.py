"""A staff member leaves (离职交接): everything they hold passes to a successor of the same
store and role, in one transaction, so no customer is dropped (seed 003: the customer heard
"I've left the company" and nobody had taken over).

What a person holds is listed once, in HOLDINGS: a column that names the person responsible,
and the condition under which that responsibility is still open."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    BookingStatus,
    CarBooking,
    Case,
    CaseCollaborator,
    CaseSpell,
    CaseState,
    Delivery,
    DeliveryStatus,
    Order,
    OrderStatus,
    Promise,
    ServiceVisit,
    Task,
    TaskState,
    Touchpoint,
    User,
    UserSession,
    VisitStatus,
)
from baton.db.models.base import Base
from baton.domain.access import Action, Actor
from baton.domain.errors import FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.events import StaffTookOver
from baton.domain.history import add_audit_entry, add_timeline_event
from baton.domain.journeys.who_is_told import tell
from baton.domain.promises import UNFULFILLED


@dataclass(frozen=True)
class Holding:
    """One kind of open responsibility: rows of `model` whose `column` names the person."""

    name: str
    model: type[Base]
    column: str
    still_open: Any


HOLDINGS: tuple[Holding, ...] = (
    Holding("tasks", Task, "assignee_id", Task.state == TaskState.OPEN),
    Holding(
        "orders",
        Order,
        "sales_consultant_id",
        Order.status.in_([OrderStatus.DRAFT, OrderStatus.SUBMITTED]),
    ),
    Holding(
        "deliveries",
        Delivery,
        "delivery_specialist_id",
        Delivery.status == DeliveryStatus.SCHEDULED,
    ),
    Holding("promises", Promise, "made_by_id", Promise.status.in_(UNFULFILLED)),
    Holding(
        "visits",
        ServiceVisit,
        "advisor_id",
        ServiceVisit.status.in_([VisitStatus.CHECKED_IN, VisitStatus.IN_PROGRESS]),
    ),
    Holding("cases", Case, "owner_id", Case.state == CaseState.OPEN),
    Holding(
        "case_collaborations",
        CaseCollaborator,
        "user_id",
        CaseCollaborator.case_id.in_(select(Case.id).where(Case.state == CaseState.OPEN)),
    ),
    # The open stretch of time a person holds a case at a level: it passes on with the case.
    Holding("case_spells", CaseSpell, "user_id", CaseSpell.ended_at.is_(None)),
    # A car booked (or out, or waiting for one) is looked after by whoever booked it.
    Holding(
        "car_bookings",
        CarBooking,
        "booked_by_id",
        CarBooking.status.in_(
            [BookingStatus.BOOKED, BookingStatus.CHECKED_OUT, BookingStatus.NEEDS_CAR]
        ),
    ),
    # A touchpoint's named owner (关键接触点责任人) is a standing responsibility.
    Holding("touchpoints", Touchpoint, "owner_id", Touchpoint.owner_id.is_not(None)),
)


async def hand_over_and_deactivate(
    session: AsyncSession, actor: Actor, leaver_id: int, *, successor_id: int, now: datetime
) -> User:
    """The leaver's open work passes to the successor; the leaver's sessions end at once and
    they can no longer log in. Each customer's timeline says who took over."""
    actor.ensure(Action.MANAGE_STAFF)
    leaver = await session.get(User, leaver_id)
    if leaver is None or leaver.store_id is None or not actor.sees_store(leaver.store_id):
        raise NotFound("User", "input.userId")
    successor = await session.get(User, successor_id)
    checks = FieldChecks()
    if (
        successor is None
        or successor.id == leaver.id
        or not successor.is_active
        or successor.store_id != leaver.store_id
        or successor.role is not leaver.role
    ):
        checks.fail(
            "input.successorId",
            "not_a_successor",
        )
    checks.raise_if_any()
    assert successor is not None
    reasons = []
    if not leaver.is_active:
        reasons.append(Reason("already_inactive"))
    if leaver.id == actor.id:
        reasons.append(Reason("self"))
    if reasons:
        raise RuleViolation(reasons)

    moved: dict[str, int] = {}
    customers: set[int] = set()
    for holding in HOLDINGS:
        rows = await _held(session, holding, leaver.id)
        for row in rows:
            setattr(row, holding.column, successor.id)
            customer_id = getattr(row, "customer_id", None)
            if customer_id is not None:
                customers.add(customer_id)
        moved[holding.name] = len(rows)
    leaver.is_active = False
    await session.execute(delete(UserSession).where(UserSession.user_id == leaver.id))
    params = {"from": leaver.display_name, "to": successor.display_name}
    for customer_id in sorted(customers):
        add_timeline_event(
            session, actor, customer_id=customer_id, kind="staff_took_over", now=now, params=params
        )
    add_audit_entry(
        session,
        actor,
        action="hand_over_and_deactivate",
        entity=leaver,
        now=now,
        changes={"successor_id": successor.id, **moved, "customers": len(customers)},
    )
    await session.flush()
    await tell(
        session,
        StaffTookOver(successor, leaver, customers=len(customers), tasks=moved["tasks"]),
        now=now,
    )
    return leaver


async def _held(session: AsyncSession, holding: Holding, user_id: int) -> Sequence[Any]:
    column = getattr(holding.model, holding.column)
    found = await session.scalars(
        select(holding.model).where(column == user_id, holding.still_open)
    )
    return list(found)
