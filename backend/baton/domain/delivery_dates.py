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
    Role,
    Task,
    TaskState,
    User,
)
from baton.domain import cadence
from baton.domain.access import Action, Actor
from baton.domain.customers import active_circumstance_customer_ids
from baton.domain.errors import Conflict, FieldChecks, NotFound, Reason, RuleViolation
from baton.domain.localtime import local_date
from baton.domain.orders import delivery_of, get_order, handover_instant, store_time_zone
from baton.domain.records import add_audit_entry, add_timeline_event
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
    time_zone = await store_time_zone(session, customer.store_id)
    today = local_date(now, time_zone)
    checks = FieldChecks()
    clean_reason = checks.text("input.reason", reason, max_length=REASON_MAX, required=False)
    told_how = checks.text(
        "input.customerToldHow", customer_told_how, max_length=TOLD_HOW_MAX, required=False
    )
    if customer_told and not told_how:
        checks.fail("input.customerToldHow", "say how the customer was told", "required")
    if new_date < today:
        checks.fail("input.newDate", "must not be in the past", "in_past")
    elif new_date == order.planned_delivery_date:
        checks.fail("input.newDate", "is the current delivery date", "unchanged")
    checks.raise_if_any()
    if order.version != expected_version:
        raise Conflict("Order", order.version)
    if order.status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED):
        raise RuleViolation(
            [Reason("not_reschedulable", f"the order is {order.status.value}", f"Order:{order.id}")]
        )
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
                    "another date change waits for the store manager",
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
    told = f"已告知客户（{told_how}）" if customer_told else "尚未告知客户"
    summary = f"{_dates(change)}，{told}" + (f"；原因：{clean_reason}" if clean_reason else "")
    add_audit_entry(
        session,
        actor,
        action="reschedule_delivery",
        entity_type="DeliveryDateChange",
        entity_id=change.id,
        now=now,
        changes={
            "old_date": change.old_date.isoformat() if change.old_date else None,
            "new_date": new_date.isoformat(),
            "customer_told": customer_told,
            "needs_approval": needs_approval,
        },
    )
    if needs_approval:
        manager_id = await _store_manager(session, customer.store_id)
        if manager_id is None:
            raise RuleViolation([Reason("no_store_manager", "the store has no manager", None)])
        await create_task(
            session,
            store_id=customer.store_id,
            kind="approve_delivery_date_change",
            subject=f"审批改期（客户有特殊情况）：{customer.name}：{_dates(change)}",
            assignee_id=manager_id,
            due_at=now + APPROVAL_WITHIN,
            now=now,
            customer_id=customer.id,
            order_id=order.id,
        )
        _timeline(session, actor, change, "delivery_date_change_requested", summary, now)
        return change
    _timeline(session, actor, change, "delivery_date_changed", summary, now)
    await _apply(session, actor, change, order, customer, time_zone, now=now)
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
                    f"the change is {change.status.value}",
                    f"DeliveryDateChange:{change.id}",
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
    verdict = "批准" if approve else "驳回"
    summary = f"店长{verdict}改期 {_dates(change)}" + (f"：{clean_note}" if clean_note else "")
    _timeline(session, actor, change, f"delivery_date_change_{change.status.value}", summary, now)
    add_audit_entry(
        session,
        actor,
        action="decide_date_change",
        entity_type="DeliveryDateChange",
        entity_id=change.id,
        now=now,
        changes={"status": change.status.value, "note": change.decision_note},
    )
    if approve:
        if order.status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED):
            raise RuleViolation(
                [
                    Reason(
                        "not_reschedulable",
                        f"the order is {order.status.value}",
                        f"Order:{order.id}",
                    )
                ]
            )
        time_zone = await store_time_zone(session, customer.store_id)
        await _apply(session, actor, change, order, customer, time_zone, now=now)
    await session.flush()
    return change


async def _apply(
    session: AsyncSession,
    actor: Actor,
    change: DeliveryDateChange,
    order: Order,
    customer: Customer,
    time_zone: str,
    *,
    now: datetime,
) -> None:
    """The new date holds: move the handover and its T-x tasks, and tell sales and delivery."""
    order.planned_delivery_date = change.new_date
    delivery = await delivery_of(session, order)
    if delivery is None:
        await session.flush()
        return
    handover_at = handover_instant(change.new_date, time_zone)
    delivery.scheduled_at = handover_at
    await cadence.move_before_delivery_tasks(session, order, customer, handover_at, now=now)
    told = "已告知客户" if change.customer_told else "客户尚未知晓，请联系"
    # Whoever made the change knows of it; the others get a task each.
    for assignee_id in {order.sales_consultant_id, delivery.delivery_specialist_id} - {actor.id}:
        await create_task(
            session,
            store_id=customer.store_id,
            kind="delivery_date_changed",
            subject=f"交付日期变更：{customer.name}：{_dates(change)}（{told}）",
            assignee_id=assignee_id,
            due_at=now + NOTICE_WITHIN,
            now=now,
            customer_id=customer.id,
            order_id=order.id,
        )
    await session.flush()


async def _store_manager(session: AsyncSession, store_id: int) -> int | None:
    return await session.scalar(
        select(User.id)
        .where(User.store_id == store_id, User.role == Role.STORE_MANAGER, User.is_active)
        .order_by(User.id)
        .limit(1)
    )


def _dates(change: DeliveryDateChange) -> str:
    old = change.old_date.isoformat() if change.old_date else "未定"
    return f"{old} → {change.new_date.isoformat()}"


def _timeline(
    session: AsyncSession,
    actor: Actor,
    change: DeliveryDateChange,
    kind: str,
    summary: str,
    now: datetime,
) -> None:
    add_timeline_event(
        session,
        actor,
        customer_id=change.customer_id,
        kind=kind,
        now=now,
        summary=summary,
        subject_type="DeliveryDateChange",
        subject_id=change.id,
    )
