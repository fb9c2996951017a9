"""A loaner for a service visit (代步车): booked on the first free car, backup pool first, or
recorded as unmet with its reason."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingDepartment, Car, LoanerRequest, LoanerStatus, ServiceVisit
from baton.domain.access import Action, Actor
from baton.domain.cars.bookings import car_reasons, holding_conflicts, time_reasons
from baton.domain.cars.fleet import NOT_BOOKABLE, lock_cars
from baton.domain.cars.policy import store_policy
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks, NotFound, RuleViolation
from baton.domain.history import add_timeline_event
from baton.domain.journeys.cars.booking import check_times, new_booking, save_booking


async def _loaner_cars(session: AsyncSession, store_id: int) -> Sequence[Car]:
    """Backup pool first, then the test-drive fleet."""
    rows = await session.scalars(
        select(Car)
        .where(Car.store_id == store_id, Car.status.notin_(NOT_BOOKABLE))
        .order_by(Car.pool, Car.id)
    )
    return rows.all()


async def request_loaner(
    session: AsyncSession,
    actor: Actor,
    visit_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> LoanerRequest:
    """A loaner for a customer's service visit: booked on the first free car (backup pool
    first), or recorded unmet ("no_car_free") so the fulfilment rate counts it."""
    visit = await session.get(ServiceVisit, visit_id)
    if visit is None:
        raise NotFound("ServiceVisit", "input.visitId")
    customer = await get_customer(session, actor, visit.customer_id, path="input.visitId")
    actor.ensure(Action.BOOK_CAR)
    checks = FieldChecks()
    check_times(checks, starts_at, ends_at)
    checks.raise_if_any()
    policy = await store_policy(session, customer.store_id)
    cars = await _loaner_cars(session, customer.store_id)
    await lock_cars(session, [car.id for car in cars])
    if bad_times := time_reasons(policy, starts_at, ends_at, now):
        raise RuleViolation(bad_times)
    blocked_until = ends_at + policy.turnaround
    chosen: Car | None = None
    for car in cars:
        await session.refresh(car)
        if car_reasons(car):
            continue
        if not await holding_conflicts(session, car.id, starts_at, blocked_until):
            chosen = car
            break
    request = LoanerRequest(
        store_id=customer.store_id,
        visit_id=visit.id,
        customer_id=customer.id,
        requested_by_id=actor.id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=LoanerStatus.UNMET,
        unmet_reason="no_car_free",
        created_at=now,
    )
    if chosen is not None:
        booking = new_booking(
            actor,
            chosen,
            policy,
            BookingDepartment.SERVICE,
            customer_id=customer.id,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose="",
            now=now,
        )
        await save_booking(session, actor, booking, now)
        request.status = LoanerStatus.BOOKED
        request.booking_id = booking.id
        request.unmet_reason = ""
    session.add(request)
    await session.flush()
    add_timeline_event(
        session,
        actor,
        customer_id=customer.id,
        kind="loaner_booked" if chosen else "loaner_unmet",
        now=now,
        params={"plate": chosen.plate if chosen else "", "starts_at": starts_at.isoformat()},
        subject=request,
    )
    return request
