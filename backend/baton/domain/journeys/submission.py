"""Submitting an order (提交订单): the signed checklist is the gate, and the hot handover starts."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Delivery, DeliveryStatus, Order, OrderStatus, Role, User
from baton.domain.access import Action, Actor
from baton.domain.errors import Conflict, FieldChecks, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.journeys.cadence import schedule_after_submit
from baton.domain.orders import get_order, handover_instant
from baton.domain.signatures import current_signature
from baton.domain.stores import store_clock


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
            "not_delivery_specialist",
        )
    checks.raise_if_any()
    if order.version != expected_version:
        raise Conflict("Order", order.version)
    reasons: list[Reason] = []
    subject = f"Order:{order.id}"
    if order.status is not OrderStatus.DRAFT:
        reasons.append(Reason("not_draft", subject, status=order.status))
    if order.planned_delivery_date is None:
        reasons.append(Reason("no_delivery_date", subject))
    if await current_signature(session, order) is None:
        reasons.append(
            Reason(
                "checklist_unsigned",
                subject,
                version=order.checklist_version,
            )
        )
    if reasons:
        raise RuleViolation(reasons)
    assert order.planned_delivery_date is not None and specialist is not None
    clock = await store_clock(session, customer.store_id)
    order.status = OrderStatus.SUBMITTED
    order.submitted_at = now
    delivery = Delivery(
        order_id=order.id,
        customer_id=customer.id,
        delivery_specialist_id=specialist.id,
        scheduled_at=handover_instant(order.planned_delivery_date, clock),
        status=DeliveryStatus.SCHEDULED,
    )
    session.add(delivery)
    await session.flush()
    record(
        session,
        actor,
        order,
        customer_id=customer.id,
        kind="order_submitted",
        params={
            "model": order.model_name,
            "planned_delivery_date": order.planned_delivery_date.isoformat(),
        },
        action="submit",
        changes={"delivery_specialist_id": specialist.id},
        now=now,
    )
    await schedule_after_submit(session, order, customer, delivery, now=now)
    return order
