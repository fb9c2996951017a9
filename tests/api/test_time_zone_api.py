"""Each user reads times in one zone, sent by the server: their store's, or the server's
BATON_DEFAULT_TIME_ZONE for staff without a store (the PWA formats times in it)."""

from sqlalchemy.ext.asyncio import AsyncSession

from baton.settings import Settings
from tests.support.api import ApiClient
from tests.support.world import World

ME = "{ me { timeZone store { timeZone } } }"


async def test_staff_of_a_store_read_its_zone(
    api: ApiClient, db: AsyncSession, world: World, settings: Settings
) -> None:
    settings.default_time_zone = "America/New_York"
    world.stores["A"].time_zone = "Europe/Berlin"
    await db.commit()
    await api.login_as("service_advisor")
    me = (await api.data(ME))["me"]
    assert me == {"timeZone": "Europe/Berlin", "store": {"timeZone": "Europe/Berlin"}}


async def test_staff_without_a_store_read_the_servers_default_zone(
    api: ApiClient, settings: Settings
) -> None:
    settings.default_time_zone = "America/New_York"
    await api.login_as("regional_director", store=None)
    me = (await api.data(ME))["me"]
    assert me == {"timeZone": "America/New_York", "store": None}
