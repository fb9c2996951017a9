"""Using an entitlement at a service visit (权益使用): one use per visit, never more than
promised, never after it expires."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import EntitlementUse, PromiseDue, PromiseStatus, ServiceVisit
from baton.domain.access import Action, Actor
from baton.domain.customers import get_customer
from baton.domain.errors import NotFound, Reason, RuleViolation
from baton.domain.history import record
from baton.domain.promises import IN_PROGRESS, get_promise, uses_left
from baton.domain.stores import store_clock


async def record_entitlement_use(
    session: AsyncSession, actor: Actor, visit_id: int, promise_id: int, *, now: datetime
) -> EntitlementUse:
    visit = await session.get(ServiceVisit, visit_id)
    if visit is None:
        raise NotFound("ServiceVisit", "input.visitId")
    try:
        customer = await get_customer(session, actor, visit.customer_id, path="input.visitId")
    except NotFound:
        raise NotFound("ServiceVisit", "input.visitId") from None
    promise, _, _ = await get_promise(session, actor, promise_id)
    actor.ensure(Action.RECORD_ENTITLEMENT_USE)
    today = (await store_clock(session, customer.store_id)).today(now)
    subject = f"Promise:{promise.id}"
    reasons = []
    if promise.customer_id != customer.id:
        reasons.append(Reason("not_customers", subject))
    elif promise.due is not PromiseDue.ENTITLEMENT:
        reasons.append(Reason("not_entitlement", subject))
    elif promise.status not in IN_PROGRESS:
        reasons.append(Reason("not_usable", subject, status=promise.status))
    elif promise.entitlement_valid_until is None or promise.entitlement_valid_until < today:
        reasons.append(Reason("expired", subject))
    elif uses_left(promise, today) <= 0:
        reasons.append(Reason("used_up", subject))
    elif await session.scalar(
        select(EntitlementUse.id).where(
            EntitlementUse.promise_id == promise.id, EntitlementUse.visit_id == visit.id
        )
    ):
        reasons.append(Reason("used_this_visit", subject))
    if reasons:
        raise RuleViolation(reasons)
    promise.entitlement_used += 1
    total = promise.entitlement_total or 0
    if promise.entitlement_used >= total:
        promise.status = PromiseStatus.FULFILLED
        promise.fulfilled_at = now
    else:
        promise.status = PromiseStatus.PARTIALLY_FULFILLED
    promise.updated_at = now
    use = EntitlementUse(
        promise_id=promise.id,
        visit_id=visit.id,
        customer_id=customer.id,
        recorded_by_id=actor.id,
        used_at=now,
    )
    session.add(use)
    await session.flush()
    record(
        session,
        actor,
        use,
        customer_id=customer.id,
        kind="entitlement_used",
        params={"promise": promise.description, "used": promise.entitlement_used, "total": total},
        action="use_entitlement",
        changes={"visit_id": visit.id, "used": promise.entitlement_used, "total": total},
        now=now,
        audited=promise,
    )
    return use
