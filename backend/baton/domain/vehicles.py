"""Vehicles on the customer record, found again by VIN suffix or plate."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Vehicle
from baton.domain.access import Action, Actor
from baton.domain.customers import get_customer
from baton.domain.errors import Conflict, FieldChecks, NotFound
from baton.domain.history import record
from baton.domain.vin import InvalidVin, normalise_vin

MODEL_NAME_MAX = 100
PLATE_MAX = 16
PLATE_SEPARATORS = str.maketrans("", "", " ·.-_")


def normalise_plate(raw: str) -> str:
    return raw.upper().translate(PLATE_SEPARATORS)


def _reversed(text: str | None) -> str | None:
    return text[::-1] if text else None


async def get_vehicle(
    session: AsyncSession, actor: Actor, vehicle_id: int, *, path: str = "id"
) -> Vehicle:
    vehicle = await session.get(Vehicle, vehicle_id)
    if vehicle is None:
        raise NotFound("Vehicle", path)
    await get_customer(session, actor, vehicle.customer_id, path=path)
    return vehicle


async def _check_vin(
    session: AsyncSession, checks: FieldChecks, raw: str | None, *, own_id: int | None = None
) -> str | None:
    text = checks.text("input.vin", raw, max_length=32)
    if not text:
        return None
    try:
        vin = normalise_vin(text)
    except InvalidVin as error:
        checks.fail("input.vin", "invalid_vin", says=error.says, **error.params)
        return None
    holder = await session.scalar(select(Vehicle.id).where(Vehicle.vin == vin))
    if holder is not None and holder != own_id:
        checks.fail("input.vin", "duplicate", says="vin_taken")
    return vin


async def add_vehicle(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    vin: str,
    plate: str | None,
    model_name: str,
    now: datetime,
) -> Vehicle:
    customer = await get_customer(session, actor, customer_id, path="input.customerId")
    actor.ensure(Action.EDIT_VEHICLE)
    checks = FieldChecks()
    clean_vin = await _check_vin(session, checks, vin)
    clean_model = checks.text("input.modelName", model_name, max_length=MODEL_NAME_MAX)
    clean_plate = checks.text("input.plate", plate, max_length=PLATE_MAX, required=False)
    checks.raise_if_any()
    assert clean_vin is not None and clean_model is not None
    plate_key = normalise_plate(clean_plate) if clean_plate else None
    vehicle = Vehicle(
        customer_id=customer.id,
        vin=clean_vin,
        vin_reversed=clean_vin[::-1],
        plate=plate_key,
        plate_reversed=_reversed(plate_key),
        model_name=clean_model,
        created_at=now,
    )
    session.add(vehicle)
    await session.flush()
    record(
        session,
        actor,
        vehicle,
        customer_id=customer.id,
        kind="vehicle_added",
        params={"model": clean_model, "vin": clean_vin},
        action="create",
        changes={"vin": clean_vin, "plate": plate_key, "model_name": clean_model},
        now=now,
    )
    return vehicle


async def update_vehicle(
    session: AsyncSession,
    actor: Actor,
    vehicle_id: int,
    *,
    expected_version: int,
    vin: str | None,
    plate: str | None,
    model_name: str | None,
    now: datetime,
) -> Vehicle:
    vehicle = await get_vehicle(session, actor, vehicle_id, path="input.id")
    actor.ensure(Action.EDIT_VEHICLE)
    checks = FieldChecks()
    changes: dict[str, str | None] = {}
    if vin is not None:
        changes["vin"] = await _check_vin(session, checks, vin, own_id=vehicle.id)
    if model_name is not None:
        changes["model_name"] = checks.text(
            "input.modelName", model_name, max_length=MODEL_NAME_MAX
        )
    if plate is not None:
        clean_plate = checks.text("input.plate", plate, max_length=PLATE_MAX, required=False)
        changes["plate"] = normalise_plate(clean_plate) if clean_plate else None
    checks.raise_if_any()
    if vehicle.version != expected_version:
        raise Conflict("Vehicle", vehicle.version)
    changes = {k: v for k, v in changes.items() if getattr(vehicle, k) != v}
    if not changes:
        return vehicle
    if "vin" in changes:
        vehicle.vin = str(changes["vin"])
        vehicle.vin_reversed = vehicle.vin[::-1]
    if "plate" in changes:
        vehicle.plate = changes["plate"]
        vehicle.plate_reversed = _reversed(vehicle.plate)
    if "model_name" in changes:
        vehicle.model_name = str(changes["model_name"])
    record(
        session,
        actor,
        vehicle,
        customer_id=vehicle.customer_id,
        kind="vehicle_updated",
        params={"fields": sorted(changes)},
        action="update",
        changes=dict(changes),
        now=now,
    )
    await session.flush()
    return vehicle
