"""Touchpoints (关键接触点): the customer journey of a store in 33 steps and four stages, and
who owns each step (责任人制度). Eighteen steps cross departments; each has one primary owner
department, the departments that collaborate on it, and optionally a named owner per store.
Store managers edit owners; every change is audited."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Case,
    CaseState,
    Customer,
    Department,
    JourneyStage,
    Order,
    OrderStatus,
    Position,
    ServiceVisit,
    Touchpoint,
    User,
    VisitStatus,
)
from baton.domain.access import Action, Actor, Subject
from baton.domain.errors import Conflict, FieldChecks, NotFound
from baton.domain.history import add_audit_entry

S, D, V, P, M = (
    Department.SALES,
    Department.DELIVERY,
    Department.SERVICE,
    Department.PARTS,
    Department.MANAGEMENT,
)


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    stage: JourneyStage
    owner: Department
    collaborators: tuple[Department, ...] = ()

    @property
    def cross_department(self) -> bool:
        return bool(self.collaborators)


def _stage(stage: JourneyStage, first: int, *steps: tuple[object, ...]) -> list[Step]:
    return [
        Step(first + index, str(key), stage, owner, tuple(rest))  # type: ignore[arg-type]
        for index, (key, owner, *rest) in enumerate(steps)
    ]


# The journey as seed 002 lists it: purchase 1–8, delivery 9–16, usage 17–24, renewal 25–33.
JOURNEY: tuple[Step, ...] = (
    *_stage(
        JourneyStage.PURCHASE,
        1,
        ("showroom_enquiry", S),
        ("test_drive", S),
        ("order", S),
        ("deposit", S),
        ("loan", S, M),
        ("insurance", S, V),
        ("final_payment", S),
        ("delivery_appointment", D, S),
    ),
    *_stage(
        JourneyStage.DELIVERY,
        9,
        ("delivery_confirmation", D, S),
        ("vehicle_inspection", D, V),
        ("feature_walkthrough", D),
        ("home_charger_booking", D, V, P),
        ("insurance_activation", S, D),
        ("temporary_plate", D, S),
        ("permanent_plate", D, S),
        ("first_charging_guidance", D),
    ),
    *_stage(
        JourneyStage.USAGE,
        17,
        ("app_use", D, V),
        ("software_update", V),
        ("feature_questions", V, D),
        ("charging_problems", V, P, D),
        ("minor_faults", V, P),
        ("service_booking", V),
        ("service", V, P),
        ("post_service_callback", V),
    ),
    *_stage(
        JourneyStage.RENEWAL,
        25,
        ("insurance_renewal", S, V),
        ("accessories", P, V),
        ("referral", S),
        ("trade_in_enquiry", S, V),
        ("extended_warranty", V, S),
        ("annual_inspection", V),
        ("loyalty_benefits", S),
        ("satisfaction_survey", M),
        ("repurchase", S),
    ),
)


async def set_up_journey(session: AsyncSession, store_id: int) -> list[Touchpoint]:
    """The store's 33 touchpoints with the default owners, made once (idempotent)."""
    existing = {
        tp.number: tp
        for tp in await session.scalars(select(Touchpoint).where(Touchpoint.store_id == store_id))
    }
    for step in JOURNEY:
        if step.number not in existing:
            existing[step.number] = Touchpoint(
                store_id=store_id,
                number=step.number,
                key=step.key,
                stage=step.stage,
                cross_department=step.cross_department,
                owner_department=step.owner,
                collaborating_departments=[d.value for d in step.collaborators],
            )
            session.add(existing[step.number])
    await session.flush()
    return [existing[number] for number in sorted(existing)]


@dataclass(frozen=True)
class JourneyMapRow:
    touchpoint: Touchpoint
    open_cases: int


async def journey_map(session: AsyncSession, actor: Actor, store_id: int) -> list[JourneyMapRow]:
    """The store's touchpoints in journey order with their open cases, in two statements."""
    if not actor.sees_store(store_id):
        raise NotFound("Store", "storeId")
    touchpoints = list(
        await session.scalars(
            select(Touchpoint).where(Touchpoint.store_id == store_id).order_by(Touchpoint.number)
        )
    )
    counts = dict(
        (
            await session.execute(
                select(Case.touchpoint_id, func.count())
                .where(Case.store_id == store_id, Case.state == CaseState.OPEN)
                .group_by(Case.touchpoint_id)
            )
        ).all()
    )
    return [JourneyMapRow(tp, counts.get(tp.id, 0)) for tp in touchpoints]


async def get_touchpoint(
    session: AsyncSession, actor: Actor, touchpoint_id: int, path: str
) -> Touchpoint:
    touchpoint = await session.get(Touchpoint, touchpoint_id)
    if touchpoint is None or not actor.sees_store(touchpoint.store_id):
        raise NotFound("Touchpoint", path)
    return touchpoint


async def department_people(
    session: AsyncSession, store_id: int, department: Department, position: Position
) -> list[User]:
    """Active staff of a store's department at a position, longest-serving first."""
    rows = await session.scalars(
        select(User)
        .where(User.store_id == store_id, User.is_active.is_(True), User.position == position)
        .order_by(User.id)
    )
    return [user for user in rows if user.department is department]


async def set_touchpoint_owners(
    session: AsyncSession,
    actor: Actor,
    touchpoint_id: int,
    *,
    owner_department: Department,
    collaborating_departments: list[Department],
    owner_id: int | None,
    expected_version: int,
    now: datetime,
) -> Touchpoint:
    """A store manager sets the owner department, collaborators and the named owner."""
    touchpoint = await get_touchpoint(session, actor, touchpoint_id, "input.id")
    actor.ensure(Action.EDIT_TOUCHPOINTS, Subject(store_id=touchpoint.store_id))
    checks = FieldChecks()
    collaborators: list[Department] = []
    for index, department in enumerate(collaborating_departments):
        if department is owner_department:
            checks.fail(
                f"input.collaboratingDepartments.{index}",
                "is_owner",
            )
        elif department in collaborators:
            checks.fail(f"input.collaboratingDepartments.{index}", "duplicate", says="given_twice")
        else:
            collaborators.append(department)
    if owner_id is not None:
        owner = await session.get(User, owner_id)
        if owner is None or owner.store_id != touchpoint.store_id or not owner.is_active:
            checks.fail("input.ownerId", "unknown", says="not_store_staff")
        elif owner.department is not owner_department:
            checks.fail(
                "input.ownerId", "other", says="owner_department", department=owner_department
            )
    checks.raise_if_any()
    if touchpoint.version != expected_version:
        raise Conflict("Touchpoint", touchpoint.version)
    before = {
        "owner_department": touchpoint.owner_department.value,
        "collaborating_departments": list(touchpoint.collaborating_departments),
        "owner_id": touchpoint.owner_id,
    }
    touchpoint.owner_department = owner_department
    touchpoint.collaborating_departments = [d.value for d in collaborators]
    touchpoint.cross_department = bool(collaborators)
    touchpoint.owner_id = owner_id
    await session.flush()
    after = {
        "owner_department": owner_department.value,
        "collaborating_departments": [d.value for d in collaborators],
        "owner_id": owner_id,
    }
    add_audit_entry(
        session,
        actor,
        action="set_touchpoint_owners",
        entity=touchpoint,
        now=now,
        changes={"before": before, "after": after},
    )
    return touchpoint


async def suggested_touchpoint(
    session: AsyncSession, actor: Actor, customer_id: int
) -> tuple[Customer, list[Touchpoint], Touchpoint | None]:
    """The customer's store's touchpoints and the one their stage suggests: in for service,
    a service step; an order not yet delivered, delivery; delivered, usage; else purchase."""
    customer = await session.get(Customer, customer_id)
    if customer is None or not actor.sees_store(customer.store_id):
        raise NotFound("Customer", "customerId")
    points = list(
        await session.scalars(
            select(Touchpoint)
            .where(Touchpoint.store_id == customer.store_id)
            .order_by(Touchpoint.number)
        )
    )
    statuses = set(
        await session.scalars(
            select(Order.status).where(
                Order.customer_id == customer.id, Order.status != OrderStatus.CANCELLED
            )
        )
    )
    in_service = await session.scalar(
        select(ServiceVisit.id)
        .where(
            ServiceVisit.customer_id == customer.id,
            ServiceVisit.status != VisitStatus.COMPLETED,
        )
        .limit(1)
    )
    if in_service is not None:
        key = "service"
    elif OrderStatus.SUBMITTED in statuses:
        key = "delivery_confirmation"
    elif OrderStatus.DELIVERED in statuses:
        key = "feature_questions"
    elif OrderStatus.DRAFT in statuses:
        key = "order"
    else:
        key = "showroom_enquiry"
    return customer, points, next((tp for tp in points if tp.key == key), None)
