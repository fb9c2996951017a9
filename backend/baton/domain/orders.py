"""Orders (订单): created by sales, submitted only with a signed promise checklist."""

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Customer,
    Delivery,
    DeliveryStatus,
    Order,
    OrderStatus,
    Role,
    Store,
    User,
)
from baton.domain.access import Action, Actor
from baton.domain.customers import get_customer
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.localtime import local_date, zone
from baton.domain.records import add_audit_entry, add_timeline_event
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


async def store_time_zone(session: AsyncSession, store_id: int) -> str:
    store = await session.get(Store, store_id)
    assert store is not None
    return store.time_zone


def handover_instant(day: date, time_zone: str) -> datetime:
    return datetime.combine(day, HANDOVER_HOUR, tzinfo=zone(time_zone))


async def delivery_of(session: AsyncSession, order: Order) -> Delivery | None:
    return await session.scalar(select(Delivery).where(Delivery.order_id == order.id))


def ensure_open(order: Order) -> None:
    if order.status is OrderStatus.CANCELLED:
        raise RuleViolation(
            [Reason("order_cancelled", "the order is cancelled", f"Order:{order.id}")]
        )


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
            checks.fail("input.vehicleId", "this vehicle is not the customer's", "not_owned")
    time_zone = await store_time_zone(session, customer.store_id)
    if planned_delivery_date is not None and planned_delivery_date < local_date(now, time_zone):
        checks.fail("input.plannedDeliveryDate", "must not be in the past", "in_past")
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
    add_timeline_event(
        session,
        actor,
        customer_id=customer.id,
        kind="order_created",
        now=now,
        summary=order.model_name,
        subject_type="Order",
        subject_id=order.id,
    )
    add_audit_entry(
        session,
        actor,
        action="create",
        entity_type="Order",
        entity_id=order.id,
        now=now,
        changes={"model_name": order.model_name, "customer_id": customer.id},
    )
    return order


async def submit_order(
    session: AsyncSession,
    actor: Actor,
    order_id: int,
    *,
    delivery_specialist_id: int,
    expected_version: int,
    now: datetime,
) -> Order:
    """Submit: the signed checklist is the gate; the hot-handover tasks start here."""
    # Imported here because both build on this module's get_order.
    from baton.domain import cadence, signatures

    order, customer = await get_order(session, actor, order_id)
    actor.ensure(Action.MANAGE_ORDER)
    checks = FieldChecks()
    specialist = await session.get(User, delivery_specialist_id)
    if (
        specialist is None
        or specialist.role is not Role.DELIVERY_SPECIALIST
        or specialist.store_id != customer.store_id
        or not specialist.is_active
    ):
        checks.fail(
            "input.deliverySpecialistId",
            "must be an active delivery specialist of the customer's store",
            "not_delivery_specialist",
        )
    checks.raise_if_any()
    if order.version != expected_version:
        raise Conflict("Order", order.version)
    reasons: list[Reason] = []
    subject = f"Order:{order.id}"
    if order.status is not OrderStatus.DRAFT:
        reasons.append(Reason("not_draft", f"the order is {order.status.value}", subject))
    if order.planned_delivery_date is None:
        reasons.append(
            Reason("no_delivery_date", "the order has no planned delivery date", subject)
        )
    if await signatures.current_signature(session, order) is None:
        reasons.append(
            Reason(
                "checklist_unsigned",
                f"the customer has not signed version {order.checklist_version} "
                "of the promise checklist",
                subject,
            )
        )
    if reasons:
        raise RuleViolation(reasons)
    assert order.planned_delivery_date is not None and specialist is not None
    time_zone = await store_time_zone(session, customer.store_id)
    order.status = OrderStatus.SUBMITTED
    order.submitted_at = now
    delivery = Delivery(
        order_id=order.id,
        customer_id=customer.id,
        delivery_specialist_id=specialist.id,
        scheduled_at=handover_instant(order.planned_delivery_date, time_zone),
        status=DeliveryStatus.SCHEDULED,
    )
    session.add(delivery)
    await session.flush()
    add_timeline_event(
        session,
        actor,
        customer_id=customer.id,
        kind="order_submitted",
        now=now,
        summary=f"{order.model_name}，计划交付 {order.planned_delivery_date.isoformat()}",
        subject_type="Order",
        subject_id=order.id,
    )
    add_audit_entry(
        session,
        actor,
        action="submit",
        entity_type="Order",
        entity_id=order.id,
        now=now,
        changes={"delivery_specialist_id": specialist.id},
    )
    await cadence.schedule_after_submit(session, order, customer, delivery, now=now)
    return order
