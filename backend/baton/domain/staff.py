"""Staff accounts: created by an admin from the command line; a store's staff, for managers."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Region, Role, Store, User
from baton.domain.access import Action, Actor
from baton.domain.auth import PASSWORD_MIN, hash_password
from baton.domain.customers import get_customer
from baton.domain.errors import FieldChecks, NotFound
from baton.domain.phone import InvalidPhone, normalise_phone

STORE_ROLES = frozenset(Role) - {Role.REGIONAL_DIRECTOR, Role.ADMIN}


async def create_staff_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    display_name: str,
    role: Role,
    store_code: str | None = None,
    region_code: str | None = None,
    phone: str | None = None,
    language: str = "zh-CN",
    now: datetime,
) -> User:
    checks = FieldChecks()
    clean_username = (checks.text("username", username, max_length=64) or "").lower()
    if len(password) < PASSWORD_MIN:
        checks.fail("password", "too_short", min=PASSWORD_MIN)
    store_id = region_id = None
    if role in STORE_ROLES:
        store_id = await session.scalar(select(Store.id).where(Store.code == store_code))
        if store_id is None:
            checks.fail("store", "unknown", says="unknown_store")
    if role is Role.REGIONAL_DIRECTOR:
        region_id = await session.scalar(select(Region.id).where(Region.code == region_code))
        if region_id is None:
            checks.fail("region", "unknown", says="unknown_region")
    clean_phone = None
    if phone:
        try:
            clean_phone = normalise_phone(phone)
        except InvalidPhone:
            checks.fail("phone", "invalid_phone")
    if await session.scalar(select(User.id).where(User.username == clean_username)):
        checks.fail("username", "duplicate", says="username_taken")
    checks.raise_if_any()
    user = User(
        username=clean_username,
        phone=clean_phone,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
        store_id=store_id,
        region_id=region_id,
        language=language,
        is_active=True,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    return user


STAFF_SHOWN = 200


async def staff_of_store(
    session: AsyncSession, actor: Actor, store_id: int, *, role: Role | None = None
) -> list[User]:
    """A store's active staff, by name: whom a manager may name as a successor."""
    actor.ensure(Action.MANAGE_STAFF)
    if not actor.sees_store(store_id):
        raise NotFound("Store", "storeId")
    query = select(User).where(User.store_id == store_id, User.is_active.is_(True))
    if role is not None:
        query = query.where(User.role == role)
    return list(await session.scalars(query.order_by(User.display_name).limit(STAFF_SHOWN)))


async def delivery_specialists_for(
    session: AsyncSession, actor: Actor, customer_id: int
) -> list[User]:
    """Whom an order of this customer may be submitted to (提交订单): the active delivery
    specialists of the customer's store, by name. Asked by who submits orders, not only managers."""
    actor.ensure(Action.MANAGE_ORDER)
    customer = await get_customer(session, actor, customer_id, path="customerId")
    query = select(User).where(
        User.store_id == customer.store_id,
        User.role == Role.DELIVERY_SPECIALIST,
        User.is_active.is_(True),
    )
    return list(await session.scalars(query.order_by(User.display_name).limit(STAFF_SHOWN)))


async def store_manager_ids(session: AsyncSession, store_id: int) -> list[int]:
    """The active store managers of a store (who finds a car when none is free)."""
    rows = await session.scalars(
        select(User.id)
        .where(User.store_id == store_id, User.role == Role.STORE_MANAGER, User.is_active)
        .order_by(User.id)
    )
    return list(rows)
