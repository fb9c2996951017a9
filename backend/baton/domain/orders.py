"""Orders (订单): created by sales; submitting one is a journey (journeys/submission.py), and
so is the handover (journeys/handover.py), whose gate is the pure rule
`handover.handover_blockers`."""

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Customer,
    Delivery,
    Order,
    OrderStatus,
)
from baton.domain.access import Action, Actor
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.stores import StoreClock, store_clock
from baton.domain.vehicles import get_vehicle

MODEL_NAME_MAX = 100
# Handovers are booked for the morning unless the delivery bay says otherwise.
HANDOVER_HOUR = time(10, 0)


async def get_order(
    session: AsyncSession, actor: Actor, order_id: int, *, path: str = "input.orderId"
) -> tuple[Order, Customer]:
    """The order and its customer; another store's order looks like no order at all."""
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound("Order", path)
    try:
        customer = await get_customer(session, actor, order.customer_id, path=path)
    except NotFound:
        raise NotFound("Order", path) from None
    return order, customer


def handover_instant(day: date, clock: StoreClock) -> datetime:
    return clock.at(day, HANDOVER_HOUR)


async def delivery_of(session: AsyncSession, order: Order) -> Delivery | None:
    return await session.scalar(select(Delivery).where(Delivery.order_id == order.id))


def ensure_open(order: Order) -> None:
    if order.status is OrderStatus.CANCELLED:
        raise RuleViolation([Reason("order_cancelled", f"Order:{order.id}")])


async def create_order(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    model_name: str,
    planned_delivery_date: date | None,
    vehicle_id: int | None,
    now: datetime,
) -> Order:
    customer = await get_customer(session, actor, customer_id, path="input.customerId")
    actor.ensure(Action.MANAGE_ORDER)
    checks = FieldChecks()
    clean_model = checks.text("input.modelName", model_name, max_length=MODEL_NAME_MAX)
    if vehicle_id is not None:
        vehicle = await get_vehicle(session, actor, vehicle_id, path="input.vehicleId")
        if vehicle.customer_id != customer.id:
            checks.fail("input.vehicleId", "not_owned")
    today = (await store_clock(session, customer.store_id)).today(now)
    if planned_delivery_date is not None and planned_delivery_date < today:
        checks.fail("input.plannedDeliveryDate", "in_past")
    checks.raise_if_any()
    order = Order(
        customer_id=customer.id,
        vehicle_id=vehicle_id,
        sales_consultant_id=actor.id,
        model_name=clean_model or "",
        planned_delivery_date=planned_delivery_date,
        status=OrderStatus.DRAFT,
        created_at=now,
    )
    session.add(order)
    await session.flush()
    record(
        session,
        actor,
        order,
        customer_id=customer.id,
        kind="order_created",
        params={"model": order.model_name},
        action="create",
        changes={"model_name": order.model_name, "customer_id": customer.id},
        now=now,
    )
    return order
