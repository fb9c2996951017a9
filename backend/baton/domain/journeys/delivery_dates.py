"""Changing the delivery date (改期): sales and delivery are told, the customer's hearing of it
is recorded, and for a customer with an active special circumstance a store manager decides."""

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    Customer,
    DateChangeStatus,
    DeliveryDateChange,
    Order,
    OrderStatus,
    Task,
    TaskState,
)
from baton.domain.access import Action, Actor
from baton.domain.customers import active_circumstance_customer_ids
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.events import (
    DeliveryDateChanged,
    DeliveryDateChangeRejected,
    DeliveryDateChangeRequested,
)
from baton.domain.history import record
from baton.domain.journeys.cadence import move_before_delivery_tasks
from baton.domain.journeys.who_is_told import tell
from baton.domain.orders import delivery_of, get_order, handover_instant
from baton.domain.staff import store_manager_ids
from baton.domain.stores import StoreClock, store_clock
from baton.domain.tasks import close_task, create_task

REASON_MAX = 500
TOLD_HOW_MAX = 200
NOTE_MAX = 500
NOTICE_WITHIN = timedelta(hours=4)
APPROVAL_WITHIN = timedelta(hours=4)


async def reschedule_delivery(
    session: AsyncSession,
    actor: Actor,
    order_id: int,
    *,
    new_date: date,
    customer_told: bool,
    customer_told_how: str,
    reason: str,
    expected_version: int,
    now: datetime,
) -> DeliveryDateChange:
    order, customer = await get_order(session, actor, order_id)
    actor.ensure(Action.RESCHEDULE_DELIVERY)
    clock = await store_clock(session, customer.store_id)
    today = clock.today(now)
    checks = FieldChecks()
    clean_reason = checks.text("input.reason", reason, max_length=REASON_MAX, required=False)
    told_how = checks.text(
        "input.customerToldHow", customer_told_how, max_length=TOLD_HOW_MAX, required=False
    )
    if customer_told and not told_how:
        checks.fail("input.customerToldHow", "required", says="told_how")
    if new_date < today:
        checks.fail("input.newDate", "in_past")
    elif new_date == order.planned_delivery_date:
        checks.fail("input.newDate", "unchanged", says="same_date")
    checks.raise_if_any()
    if order.version != expected_version:
        raise Conflict("Order", order.version)
    if order.status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED):
        raise RuleViolation([Reason("not_reschedulable", f"Order:{order.id}", status=order.status)])
    pending = await session.scalar(
        select(DeliveryDateChange.id).where(
            DeliveryDateChange.order_id == order.id,
            DeliveryDateChange.status == DateChangeStatus.PENDING_APPROVAL,
        )
    )
    if pending is not None:
        raise RuleViolation(
            [
                Reason(
                    "change_pending",
                    f"DeliveryDateChange:{pending}",
                )
            ]
        )
    needs_approval = bool(await active_circumstance_customer_ids(session, [customer.id], today))
    change = DeliveryDateChange(
        order_id=order.id,
        customer_id=customer.id,
        old_date=order.planned_delivery_date,
        new_date=new_date,
        reason=clean_reason or "",
        customer_told=customer_told,
        customer_told_how=told_how or "",
        status=DateChangeStatus.PENDING_APPROVAL if needs_approval else DateChangeStatus.APPLIED,
        requested_by_id=actor.id,
        requested_at=now,
    )
    session.add(change)
    await session.flush()
    params = _dates(change) | {
        "customer_told": customer_told,
        "told_how": told_how or "",
        "reason": clean_reason or "",
    }
    record(
        session,
        actor,
        change,
        customer_id=customer.id,
        kind="delivery_date_change_requested" if needs_approval else "delivery_date_changed",
        params=params,
        action="reschedule_delivery",
        changes={
            "old_date": change.old_date.isoformat() if change.old_date else None,
            "new_date": new_date.isoformat(),
            "customer_told": customer_told,
            "needs_approval": needs_approval,
        },
        now=now,
    )
    if not needs_approval:
        await _apply(session, actor, change, order, customer, clock, now=now)
        return change
    managers = await store_manager_ids(session, customer.store_id)
    if not managers:
        raise RuleViolation([Reason("no_store_manager")])
    manager_id = managers[0]
    approval = await create_task(
        session,
        store_id=customer.store_id,
        kind="approve_delivery_date_change",
        params={"customer": customer.name} | _dates(change),
        assignee_id=manager_id,
        due_at=now + APPROVAL_WITHIN,
        now=now,
        customer_id=customer.id,
        order_id=order.id,
    )
    delivery = await delivery_of(session, order)
    requested = DeliveryDateChangeRequested(
        change,
        order,
        customer,
        delivery.delivery_specialist_id if delivery else None,
        actor.id,
        approval_task=approval,
    )
    await tell(session, requested, now=now)
    return change


async def decide_date_change(
    session: AsyncSession,
    actor: Actor,
    change_id: int,
    *,
    approve: bool,
    note: str,
    expected_version: int,
    now: datetime,
) -> DeliveryDateChange:
    change = await session.get(DeliveryDateChange, change_id)
    if change is None:
        raise NotFound("DeliveryDateChange", "input.id")
    order, customer = await get_order(session, actor, change.order_id, path="input.id")
    actor.ensure(Action.APPROVE_DATE_CHANGE)
    checks = FieldChecks()
    clean_note = checks.text("input.note", note, max_length=NOTE_MAX, required=not approve)
    checks.raise_if_any()
    if change.version != expected_version:
        raise Conflict("DeliveryDateChange", change.version)
    if change.status is not DateChangeStatus.PENDING_APPROVAL:
        raise RuleViolation(
            [
                Reason(
                    "already_decided",
                    f"DeliveryDateChange:{change.id}",
                    status=change.status,
                )
            ]
        )
    change.status = DateChangeStatus.APPROVED if approve else DateChangeStatus.REJECTED
    change.decided_by_id = actor.id
    change.decided_at = now
    change.decision_note = clean_note or ""
    approval_task = await session.scalar(
        select(Task).where(
            Task.order_id == order.id,
            Task.kind == "approve_delivery_date_change",
            Task.state == TaskState.OPEN,
        )
    )
    if approval_task is not None:
        close_task(
            approval_task, actor, outcome=change.status.value, note=change.decision_note, now=now
        )
    record(
        session,
        actor,
        change,
        customer_id=change.customer_id,
        kind=f"delivery_date_change_{change.status.value}",
        params=_dates(change) | {"note": change.decision_note},
        action="decide_date_change",
        changes={"status": change.status.value, "note": change.decision_note},
        now=now,
    )
    if not approve:
        delivery = await delivery_of(session, order)
        rejected = DeliveryDateChangeRejected(
            change,
            order,
            customer,
            delivery.delivery_specialist_id if delivery else None,
            actor.id,
        )
        await tell(session, rejected, now=now)
        await session.flush()
        return change
    if order.status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED):
        raise RuleViolation([Reason("not_reschedulable", f"Order:{order.id}", status=order.status)])
    clock = await store_clock(session, customer.store_id)
    await _apply(session, actor, change, order, customer, clock, now=now)
    await session.flush()
    return change


async def _apply(
    session: AsyncSession,
    actor: Actor,
    change: DeliveryDateChange,
    order: Order,
    customer: Customer,
    clock: StoreClock,
    *,
    now: datetime,
) -> None:
    """The new date holds: move the handover and its T-x tasks; sales and delivery each get
    a task to act on it (whoever made the change knows of it) and are told."""
    order.planned_delivery_date = change.new_date
    delivery = await delivery_of(session, order)
    if delivery is None:
        await session.flush()
        return
    handover_at = handover_instant(change.new_date, clock)
    delivery.scheduled_at = handover_at
    await move_before_delivery_tasks(session, order, handover_at, now=now)
    params = {"customer": customer.name, "customer_told": change.customer_told} | _dates(change)
    for assignee_id in {order.sales_consultant_id, delivery.delivery_specialist_id} - {actor.id}:
        await create_task(
            session,
            store_id=customer.store_id,
            kind="delivery_date_changed",
            params=params,
            assignee_id=assignee_id,
            due_at=now + NOTICE_WITHIN,
            now=now,
            customer_id=customer.id,
            order_id=order.id,
        )
    changed = DeliveryDateChanged(
        change, order, customer, delivery.delivery_specialist_id, actor.id
    )
    await tell(session, changed, now=now)
    await session.flush()


def _dates(change: DeliveryDateChange) -> dict[str, str | None]:
    return {
        "old_date": change.old_date.isoformat() if change.old_date else None,
        "new_date": change.new_date.isoformat(),
    }
