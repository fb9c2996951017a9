"""Service visits (到店): a customer checked in for after-sales service."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Customer, ServiceVisit, VisitStatus
from baton.domain.access import Action, Actor
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks
from baton.domain.history import record
from baton.domain.localtime import PHONE_CLOCK_SKEW
from baton.domain.stores import store_clock
from baton.domain.vehicles import get_vehicle

COMPLAINT_MAX = 2000
MILEAGE_MAX_KM = 2_000_000
# A check-in queued offline carries the moment it was tapped. The server believes it within
# these bounds: a phone clock a little ahead, and no older than the phone keeps its queue.
CHECKED_IN_MAX_AGE = timedelta(hours=24)
# More cars than a store's workshop takes in a day; the list stays bounded.
IN_WORKSHOP_MAX = 100


async def in_workshop_today(
    session: AsyncSession, actor: Actor, *, now: datetime
) -> list[ServiceVisit]:
    """The visits of the actor's own store checked in today (store-local) and not yet completed,
    the latest arrival first (who may be at the desk now): who is in the workshop. Staff
    without a store see none (a director's region is many workshops, not one)."""
    store_id = actor.user.store_id
    if store_id is None or not actor.sees_store(store_id):
        return []
    start, end = (await store_clock(session, store_id)).today_bounds(now)
    found = await session.scalars(
        select(ServiceVisit)
        .join(Customer, Customer.id == ServiceVisit.customer_id)
        .where(
            Customer.store_id == store_id,
            ServiceVisit.checked_in_at >= start,
            ServiceVisit.checked_in_at < end,
            ServiceVisit.status != VisitStatus.COMPLETED,
        )
        .order_by(ServiceVisit.checked_in_at.desc(), ServiceVisit.id.desc())
        .limit(IN_WORKSHOP_MAX)
    )
    return list(found)


async def open_visit(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    vehicle_id: int | None,
    mileage_km: int | None,
    complaint: str,
    now: datetime,
    checked_in_at: datetime | None = None,
) -> tuple[ServiceVisit, Customer]:
    """Open a visit at `now`, or at `checked_in_at` when the phone queued it offline (tapped
    then, sent later): not after `now` beyond a small clock skew, not older than the queue's
    limit. A tap a little in the future is taken as `now`."""
    customer = await get_customer(session, actor, customer_id, path="input.customerId")
    actor.ensure(Action.CHECK_IN)
    checks = FieldChecks()
    if vehicle_id is not None:
        vehicle = await get_vehicle(session, actor, vehicle_id, path="input.vehicleId")
        if vehicle.customer_id != customer.id:
            checks.fail("input.vehicleId", "not_owned")
    if mileage_km is not None and not 0 <= mileage_km <= MILEAGE_MAX_KM:
        checks.fail("input.mileageKm", "out_of_range", min=0, max=MILEAGE_MAX_KM)
    clean_complaint = (
        checks.text("input.complaint", complaint, max_length=COMPLAINT_MAX, required=False) or ""
    )
    at = now
    if checked_in_at is not None:
        if checked_in_at.tzinfo is None:
            checks.fail("input.checkedInAt", "invalid", says="no_time_zone")
        elif checked_in_at > now + PHONE_CLOCK_SKEW:
            checks.fail("input.checkedInAt", "in_future")
        elif checked_in_at < now - CHECKED_IN_MAX_AGE:
            checks.fail("input.checkedInAt", "too_old")
        else:
            at = min(checked_in_at, now)
    checks.raise_if_any()
    visit = ServiceVisit(
        customer_id=customer.id,
        vehicle_id=vehicle_id,
        advisor_id=actor.id,
        checked_in_at=at,
        mileage_km=mileage_km,
        complaint=clean_complaint,
        status=VisitStatus.CHECKED_IN,
    )
    session.add(visit)
    await session.flush()
    record(
        session,
        actor,
        visit,
        customer_id=customer.id,
        kind="service_check_in",
        params={"complaint": clean_complaint},
        action="check_in",
        changes={"customer_id": customer.id, "mileage_km": mileage_km}
        | ({"received_at": now.isoformat()} if at != now else {}),
        now=at,
    )
    return visit, customer
