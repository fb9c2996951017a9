"""Service visits (到店): a customer checked in for after-sales service."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Customer, ServiceVisit, VisitStatus
from baton.domain.access import Action, Actor
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks
from baton.domain.history import record
from baton.domain.vehicles import get_vehicle

COMPLAINT_MAX = 2000
MILEAGE_MAX_KM = 2_000_000


async def open_visit(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    vehicle_id: int | None,
    mileage_km: int | None,
    complaint: str,
    now: datetime,
) -> tuple[ServiceVisit, Customer]:
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
    record(
        session,
        actor,
        visit,
        customer_id=customer.id,
        kind="service_check_in",
        params={"complaint": clean_complaint},
        action="check_in",
        changes={"customer_id": customer.id, "mileage_km": mileage_km},
        now=now,
    )
    return visit, customer
