"""Stores (门店) and their clock: rules speak in the store's days and hours.

A store carries its own time zone; a user without a store (a regional director, an admin)
reads times in BATON_DEFAULT_TIME_ZONE."""

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Store, User
from baton.settings import get_settings


def default_time_zone() -> str:
    return get_settings().default_time_zone


async def store_time_zone(session: AsyncSession, store_id: int) -> str:
    store = await session.get(Store, store_id)
    return store.time_zone if store is not None else default_time_zone()


async def user_time_zone(session: AsyncSession, user: User) -> str:
    if user.store_id is None:
        return default_time_zone()
    return await store_time_zone(session, user.store_id)
