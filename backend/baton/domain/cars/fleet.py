"""Cars (车辆池): the store's test-drive fleet (owned by sales) and the service backup pool,
each with its status, odometer and charge."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Car, CarPool, CarStatus
from baton.domain.access import Action, Actor
from baton.domain.errors import FieldChecks, NotFound
from baton.domain.history import add_audit_entry
from baton.domain.stores import store_clock
from baton.domain.vin import InvalidVin, normalise_vin

# A car in these states takes no new booking until someone changes its status.
NOT_BOOKABLE = frozenset({CarStatus.CLEANING_INSPECTION, CarStatus.BODY_SHOP, CarStatus.RETIRED})
FLEET_MAX = 200


async def get_car(session: AsyncSession, actor: Actor, car_id: int, *, path: str) -> Car:
    car = await session.get(Car, car_id)
    if car is None or not actor.sees_store(car.store_id):
        raise NotFound("Car", path)
    return car


async def cars_of_store(session: AsyncSession, actor: Actor, store_id: int) -> Sequence[Car]:
    """The store's cars not retired, test-drive cars first, then the backup pool."""
    if not actor.sees_store(store_id):
        raise NotFound("Store", "storeId")
    rows = await session.scalars(
        select(Car)
        .where(Car.store_id == store_id, Car.status != CarStatus.RETIRED)
        .order_by(Car.pool.desc(), Car.plate)
        .limit(FLEET_MAX)
    )
    return rows.all()


async def lock_cars(session: AsyncSession, car_ids: Sequence[int]) -> None:
    """Take the per-car lock, in id order so two lockers never wait on each other.

    The UPDATE takes SQLite's write lock (waiting out busy_timeout) and PostgreSQL's row lock,
    so the overlap check that follows reads every booking committed before it."""
    for car_id in sorted(set(car_ids)):
        await session.execute(
            update(Car)
            .where(Car.id == car_id)
            .values(lock_seq=Car.lock_seq + 1)
            .execution_options(synchronize_session=False)
        )


async def add_car(
    session: AsyncSession,
    actor: Actor,
    store_id: int,
    *,
    plate: str,
    vin: str,
    model: str,
    pool: CarPool,
    odometer_km: int,
    now: datetime,
) -> Car:
    if not actor.sees_store(store_id):
        raise NotFound("Store", "input.storeId")
    actor.ensure(Action.MANAGE_CARS)
    checks = FieldChecks()
    clean_plate = checks.text("input.plate", plate, max_length=16) or ""
    clean_model = checks.text("input.model", model, max_length=100) or ""
    clean_vin = ""
    try:
        clean_vin = normalise_vin(vin)
    except InvalidVin as error:
        checks.fail("input.vin", "invalid_vin", says=error.says, **error.params)
    if odometer_km < 0:
        checks.fail("input.odometerKm", "out_of_range", says="at_least", min=0)
    if await session.scalar(select(Car.id).where(Car.plate == clean_plate)):
        checks.fail("input.plate", "duplicate", says="plate_taken")
    checks.raise_if_any()
    car = Car(
        store_id=store_id,
        plate=clean_plate,
        vin=clean_vin,
        model=clean_model,
        pool=pool,
        status=CarStatus.AVAILABLE,
        odometer_km=odometer_km,
        charge_percent=100,
        in_fleet_from=(await store_clock(session, store_id)).today(now),
    )
    session.add(car)
    await session.flush()
    add_audit_entry(
        session, actor, action="add_car", entity=car, now=now, changes={"plate": car.plate}
    )
    return car
