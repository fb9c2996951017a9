"""The handover (交车) gate and its completion, and the briefs passed between departments.

The gate is the point of Baton: a car is not handed over while a promise due at handover is
still open, unless the customer has signed its deferral or waiver (the current list is signed)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    BriefKind,
    DeliveryStatus,
    HandoverBrief,
    Order,
    OrderStatus,
    Role,
    Task,
    TaskState,
    User,
)
from baton.domain.access import Action, Actor, Subject
from baton.domain.errors import Conflict, FieldChecks, Reason, RuleViolation
from baton.domain.handover import handover_blockers
from baton.domain.history import add_timeline_event, record
from baton.domain.journeys.cadence import schedule_after_handover
from baton.domain.orders import delivery_of, get_order, handover_instant
from baton.domain.promises import promises_of_order
from baton.domain.signatures import current_signature
from baton.domain.stores import store_clock
from baton.domain.tasks import close_task

ISSUES_MAX = 2000
BRIEF_FIELD_MAX = 2000
# The first free check, unless the handover names another day.
FIRST_SERVICE_AFTER_DAYS = 90
BRIEF_TASK = {
    BriefKind.SALES_TO_DELIVERY: "brief_delivery",
    BriefKind.DELIVERY_TO_SERVICE: "brief_service_advisor",
}
BRIEF_WRITERS = {
    BriefKind.SALES_TO_DELIVERY: Action.WRITE_SALES_BRIEF,
    BriefKind.DELIVERY_TO_SERVICE: Action.WRITE_DELIVERY_BRIEF,
}


async def handover_refusals(session: AsyncSession, order: Order) -> list[Reason]:
    return handover_blockers(
        order, await promises_of_order(session, order.id), await current_signature(session, order)
    )


async def _default_advisor(session: AsyncSession, store_id: int) -> int | None:
    return await session.scalar(
        select(User.id)
        .where(User.store_id == store_id, User.role == Role.SERVICE_ADVISOR, User.is_active)
        .order_by(User.id)
        .limit(1)
    )


async def complete_handover(
    session: AsyncSession,
    actor: Actor,
    order_id: int,
    *,
    expected_version: int,
    customer_issues: str,
    now: datetime,
    advisor_id: int | None = None,
    first_service_on: date | None = None,
) -> Order:
    order, customer = await get_order(session, actor, order_id)
    actor.ensure(Action.COMPLETE_HANDOVER)
    clock = await store_clock(session, customer.store_id)
    today = clock.today(now)
    checks = FieldChecks()
    issues = checks.text(
        "input.customerIssues", customer_issues, max_length=ISSUES_MAX, required=False
    )
    if first_service_on is not None and first_service_on <= today:
        checks.fail("input.firstServiceOn", "not_future")
    if advisor_id is not None:
        advisor = await session.get(User, advisor_id)
        if (
            advisor is None
            or advisor.role is not Role.SERVICE_ADVISOR
            or advisor.store_id != customer.store_id
        ):
            checks.fail("input.serviceAdvisorId", "not_advisor")
    checks.raise_if_any()
    if order.version != expected_version:
        raise Conflict("Order", order.version)
    reasons = await handover_refusals(session, order)
    advisor_id = advisor_id or await _default_advisor(session, customer.store_id)
    if advisor_id is None:
        reasons.append(Reason("no_service_advisor"))
    if reasons:
        raise RuleViolation(reasons)
    assert advisor_id is not None
    delivery = await delivery_of(session, order)
    signature = await current_signature(session, order)
    assert delivery is not None and signature is not None
    delivery.status = DeliveryStatus.COMPLETED
    delivery.completed_at = now
    delivery.completed_by_id = actor.id
    delivery.final_signature_id = signature.id
    delivery.customer_issues = issues or ""
    delivery.first_service_on = first_service_on or today + timedelta(days=FIRST_SERVICE_AFTER_DAYS)
    order.status = OrderStatus.DELIVERED
    await session.flush()
    record(
        session,
        actor,
        delivery,
        customer_id=customer.id,
        kind="handover_completed",
        params={
            "model": order.model_name,
            "version": signature.checklist_version,
            "hash": signature.content_hash[:12],
            "issues": issues or "",
        },
        action="complete_handover",
        changes={
            "order_id": order.id,
            "final_signature_id": signature.id,
            "hash": signature.content_hash,
        },
        now=now,
    )
    await schedule_after_handover(
        session,
        order,
        customer,
        delivery,
        advisor_id=advisor_id,
        first_service_at=handover_instant(delivery.first_service_on, clock),
        now=now,
    )
    return order


@dataclass(frozen=True)
class BriefFields:
    personality: str = ""
    special_needs: str = ""
    concerns: str = ""
    issues: str = ""


async def write_brief(
    session: AsyncSession,
    actor: Actor,
    order_id: int,
    kind: BriefKind,
    fields: BriefFields,
    *,
    now: datetime,
) -> HandoverBrief:
    """Sales to delivery (personality, special needs, concerns) or delivery to service
    (the issues raised at handover); writing it completes the actor's brief task."""
    order, customer = await get_order(session, actor, order_id)
    actor.ensure(BRIEF_WRITERS[kind], Subject(store_id=customer.store_id))
    checks = FieldChecks()
    values = {
        name: checks.text(
            f"input.{camel}", getattr(fields, name), max_length=BRIEF_FIELD_MAX, required=False
        )
        or ""
        for name, camel in (
            ("personality", "personality"),
            ("special_needs", "specialNeeds"),
            ("concerns", "concerns"),
            ("issues", "issues"),
        )
    }
    if not any(values.values()):
        checks.fail("input", "empty", says="empty_brief")
    checks.raise_if_any()
    brief = HandoverBrief(
        order_id=order.id,
        customer_id=customer.id,
        kind=kind,
        written_by_id=actor.id,
        created_at=now,
        **values,
    )
    session.add(brief)
    await session.flush()
    notes = [v for v in values.values() if v]
    add_timeline_event(
        session,
        actor,
        customer_id=customer.id,
        kind=f"brief_{kind.value}",
        now=now,
        params={"notes": notes},
        subject=brief,
    )
    task = await session.scalar(
        select(Task).where(
            Task.order_id == order.id,
            Task.kind == BRIEF_TASK[kind],
            Task.state == TaskState.OPEN,
        )
    )
    if task is not None:
        close_task(task, actor, outcome="brief_written", note="；".join(notes), now=now)
    return brief
