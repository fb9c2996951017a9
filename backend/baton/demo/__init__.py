"""Demo data (`baton seed --demo`): one region, two stores, staff for every role, ~200
customers with history, orders in each checklist state, cases, and the shared car calendar.

Deterministic for a given `now`: the same names, VINs and plates every time. The parts:
`people` (staff and customers), `orders` (the promise checklist), `cases`, `cars`."""

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.db.models import Position, Role
from baton.demo.cars import seed_cars
from baton.demo.cases import PLANS as CASE_PLANS
from baton.demo.cases import seed_cases
from baton.demo.orders import PLANS as ORDER_PLANS
from baton.demo.orders import seed_orders
from baton.demo.people import (
    CUSTOMERS_PER_STORE,
    DEMO_PASSWORD,
    POSITIONS,
    STAFF,
    make_phone,
    seed_customer,
)
from baton.domain.auth import hash_password
from baton.domain.learning import topics
from baton.domain.phone import reversed_digits

__all__ = ["DEMO_PASSWORD", "seed_demo"]


async def seed_demo(
    session: AsyncSession, *, now: datetime | None = None
) -> list[tuple[str, str, str]]:
    """Loads the demo once; returns (username, role, store) of each demo login, or [] if present."""
    now = now or datetime.now(UTC)
    if await session.scalar(select(models.Region.id).where(models.Region.code == "EAST")):
        return []
    rng = random.Random(20261123)
    region = models.Region(code="EAST", name="华东大区")
    session.add(region)
    await session.flush()
    stores = {
        "SH-PD": models.Store(region_id=region.id, code="SH-PD", name="上海浦东店"),
        "SH-XH": models.Store(region_id=region.id, code="SH-XH", name="上海徐汇店"),
    }
    session.add_all(stores.values())
    await session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    users: dict[str, models.User] = {}
    for username, name, role, store_code, phone in STAFF:
        users[username] = models.User(
            username=username,
            display_name=name,
            password_hash=password_hash,
            role=role,
            position=POSITIONS.get(username, Position.STAFF),
            phone=f"+86{phone}" if phone else None,
            store_id=stores[store_code].id if store_code else None,
            region_id=region.id if role is Role.REGIONAL_DIRECTOR else None,
            created_at=now,
        )
    session.add_all(users.values())
    await session.flush()
    phones: set[str] = set()
    for store in stores.values():
        staff = {
            user.role: user
            for user in users.values()
            if user.store_id == store.id and user.position is Position.STAFF
        }
        catalogue = await topics.seed_default_catalogue(
            session, store.id, now=now - timedelta(days=900)
        )
        for index in range(CUSTOMERS_PER_STORE):
            await seed_customer(session, rng, store, staff, catalogue, phones, index, now)
        await _seed_checklist_orders(session, rng, store, staff, phones, now)
        await _seed_cases(session, store, list(users.values()), now)
        await session.flush()
        await seed_cars(session, store, staff, "沪A·D" if store.code == "SH-PD" else "沪B·D", now)
    await session.commit()
    return [(username, role.value, store_code or "—") for username, _, role, store_code, _ in STAFF]


async def _seed_cases(
    session: AsyncSession, store: models.Store, users: list[models.User], now: datetime
) -> None:
    customers = list(
        await session.scalars(
            select(models.Customer)
            .where(models.Customer.store_id == store.id)
            .order_by(models.Customer.id)
            .limit(len(CASE_PLANS))
        )
    )
    await seed_cases(session, store, users, customers, now)


async def _seed_checklist_orders(
    session: AsyncSession,
    rng: random.Random,
    store: models.Store,
    staff: dict[Role, models.User],
    phones: set[str],
    now: datetime,
) -> None:
    """Four more customers whose orders sit in each checklist state (demo/orders.py)."""
    made = []
    for name, _, _ in ORDER_PLANS:
        phone = make_phone(rng, phones)
        customer = models.Customer(
            store_id=store.id,
            name=name,
            name_reversed=name[::-1],
            phone=phone,
            phone_reversed=reversed_digits(phone),
            address=None,
            tags=[],
            created_at=now,
            updated_at=now,
        )
        session.add(customer)
        made.append(customer)
    await session.flush()
    await seed_orders(session, store, staff, made, now)
