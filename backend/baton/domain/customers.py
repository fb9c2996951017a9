"""One customer, one record (一个客户，一条记录): create, edit and read the shared customer."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    CircumstanceKind,
    Customer,
    CustomerTag,
    SpecialCircumstance,
)
from baton.domain.access import Action, Actor
from baton.domain.errors import Conflict, FieldChecks, NotFound
from baton.domain.history import record
from baton.domain.phone import InvalidPhone, normalise_phone, reversed_digits
from baton.domain.stores import store_clock

NAME_MAX = 100
ADDRESS_MAX = 300
NOTE_MAX = 500
TAGS_MAX = 10


@dataclass(frozen=True)
class CustomerFields:
    """What staff may set on a customer; None leaves a field as it is on update."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None
    tags: Sequence[str] | None = None


async def get_customer(
    session: AsyncSession, actor: Actor, customer_id: int, *, path: str = "id"
) -> Customer:
    customer = await session.get(Customer, customer_id)
    if customer is None or not actor.sees_store(customer.store_id):
        raise NotFound("Customer", path)
    return customer


def _checked_fields(
    fields: CustomerFields, *, creating: bool, phone_region: str
) -> dict[str, object]:
    checks = FieldChecks()
    values: dict[str, object] = {}
    if creating or fields.name is not None:
        values["name"] = checks.text("input.name", fields.name, max_length=NAME_MAX)
    if creating or fields.phone is not None:
        raw_phone = checks.text("input.phone", fields.phone, max_length=32)
        if raw_phone:
            try:
                values["phone"] = normalise_phone(raw_phone, phone_region)
            except InvalidPhone:
                checks.fail("input.phone", "invalid_phone")
    if fields.address is not None:
        values["address"] = (
            checks.text("input.address", fields.address, max_length=ADDRESS_MAX, required=False)
            or None
        )
    if fields.tags is not None:
        allowed = {tag.value for tag in CustomerTag}
        unknown = sorted(set(fields.tags) - allowed)
        if unknown:
            checks.fail("input.tags", "unknown_tag", tags=list(unknown))
        elif len(fields.tags) > TAGS_MAX:
            checks.fail("input.tags", "too_many", says="too_many_tags", max=TAGS_MAX)
        values["tags"] = sorted(set(fields.tags))
    checks.raise_if_any()
    return values


async def create_customer(
    session: AsyncSession,
    actor: Actor,
    fields: CustomerFields,
    *,
    store_id: int | None,
    now: datetime,
    phone_region: str = "CN",
) -> Customer:
    """A new customer of `store_id`, by default the actor's own store."""
    actor.ensure(Action.EDIT_CUSTOMER)
    store_id = store_id or actor.user.store_id or 0
    if not actor.sees_store(store_id):
        raise NotFound("Store", "input.storeId")
    values = _checked_fields(fields, creating=True, phone_region=phone_region)
    phone = str(values["phone"])
    customer = Customer(
        store_id=store_id,
        name=str(values["name"]),
        name_reversed=str(values["name"])[::-1],
        phone=phone,
        phone_reversed=reversed_digits(phone),
        address=cast(str | None, values.get("address")),
        tags=cast(list[str], values.get("tags", [])),
        created_at=now,
        updated_at=now,
    )
    session.add(customer)
    await session.flush()
    record(
        session,
        actor,
        customer,
        customer_id=customer.id,
        kind="customer_created",
        params={},
        action="create",
        changes={k: v for k, v in values.items() if v is not None},
        now=now,
    )
    return customer


async def update_customer(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    fields: CustomerFields,
    *,
    expected_version: int,
    now: datetime,
    phone_region: str = "CN",
) -> Customer:
    customer = await get_customer(session, actor, customer_id, path="input.id")
    actor.ensure(Action.EDIT_CUSTOMER)
    values = _checked_fields(fields, creating=False, phone_region=phone_region)
    if customer.version != expected_version:
        raise Conflict("Customer", customer.version)
    changes = {k: v for k, v in values.items() if getattr(customer, k) != v}
    if not changes:
        return customer
    for key, value in changes.items():
        setattr(customer, key, value)
    if "name" in changes:
        customer.name_reversed = customer.name[::-1]
    if "phone" in changes:
        customer.phone_reversed = reversed_digits(customer.phone)
    customer.updated_at = now
    record(
        session,
        actor,
        customer,
        customer_id=customer.id,
        kind="customer_updated",
        params={"fields": sorted(changes)},
        action="update",
        changes=changes,
        now=now,
    )
    await session.flush()
    return customer


def is_active_circumstance(circumstance: SpecialCircumstance, today: date) -> bool:
    return circumstance.starts_on <= today and (
        circumstance.ends_on is None or circumstance.ends_on >= today
    )


async def record_special_circumstance(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    *,
    kind: CircumstanceKind,
    note: str,
    starts_on: date | None,
    ends_on: date | None,
    now: datetime,
) -> SpecialCircumstance:
    """Sold the old car, took leave, business trip: the customer is high priority while active
    (from `starts_on`, by default today in the store)."""
    customer = await get_customer(session, actor, customer_id, path="input.customerId")
    actor.ensure(Action.RECORD_CIRCUMSTANCE)
    if starts_on is None:
        starts_on = (await store_clock(session, customer.store_id)).today(now)
    checks = FieldChecks()
    clean_note = checks.text("input.note", note, max_length=NOTE_MAX, required=False) or ""
    if ends_on is not None and ends_on < starts_on:
        checks.fail("input.endsOn", "before_start")
    checks.raise_if_any()
    circumstance = SpecialCircumstance(
        customer_id=customer.id,
        kind=kind,
        note=clean_note,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(circumstance)
    await session.flush()
    record(
        session,
        actor,
        circumstance,
        customer_id=customer.id,
        kind="special_circumstance",
        params={"circumstance": kind.value, "note": clean_note},
        action="create",
        changes={"kind": kind.value, "ends_on": ends_on.isoformat() if ends_on else None},
        now=now,
    )
    return circumstance


async def active_circumstance_customer_ids(
    session: AsyncSession, customer_ids: Sequence[int], today: date
) -> set[int]:
    rows = await session.scalars(
        select(SpecialCircumstance.customer_id).where(
            SpecialCircumstance.customer_id.in_(customer_ids),
            SpecialCircumstance.starts_on <= today,
            (SpecialCircumstance.ends_on.is_(None)) | (SpecialCircumstance.ends_on >= today),
        )
    )
    return set(rows)
