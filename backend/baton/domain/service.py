"""After-sales service: checking a customer in for a visit."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import ServiceVisit, VisitStatus
from baton.domain import alert_triggers
from baton.domain.access import Action, Actor
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks
from baton.domain.records import add_audit_entry, add_timeline_event
from baton.domain.vehicles import get_vehicle

COMPLAINT_MAX = 2000
MILEAGE_MAX_KM = 2_000_000


async def check_in_for_service(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    vehicle_id: int | None,
    mileage_km: int | None,
    complaint: str,
    now: datetime,
) -> ServiceVisit:
    customer = await get_customer(session, actor, customer_id, path="input.customerId")
    actor.ensure(Action.CHECK_IN)
    checks = FieldChecks()
    if vehicle_id is not None:
        vehicle = await get_vehicle(session, actor, vehicle_id, path="input.vehicleId")
        if vehicle.customer_id != customer.id:
            checks.fail("input.vehicleId", "this vehicle is not the customer's", "not_owned")
    if mileage_km is not None and not 0 <= mileage_km <= MILEAGE_MAX_KM:
        checks.fail("input.mileageKm", f"must be between 0 and {MILEAGE_MAX_KM}", "out_of_range")
    clean_complaint = (
        checks.text("input.complaint", complaint, max_length=COMPLAINT_MAX, required=False) or ""
    )
    checks.raise_if_any()
    visit = ServiceVisit(
        customer_id=customer.id,
        vehicle_id=vehicle_id,
        advisor_id=actor.id,
        checked_in_at=now,
        mileage_km=mileage_km,
        complaint=clean_complaint,
        status=VisitStatus.CHECKED_IN,
    )
    session.add(visit)
    await session.flush()
    add_timeline_event(
        session,
        actor,
        customer_id=customer.id,
        kind="service_check_in",
        now=now,
        summary=clean_complaint,
        subject_type="ServiceVisit",
        subject_id=visit.id,
    )
    add_audit_entry(
        session,
        actor,
        action="check_in",
        entity_type="ServiceVisit",
        entity_id=visit.id,
        now=now,
        changes={"customer_id": customer.id, "mileage_km": mileage_km},
    )
    await alert_triggers.customer_checked_in(session, visit, customer, now=now)
    return visit
