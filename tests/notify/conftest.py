"""Fixtures for push tests: a loopback push service, one shared client, a VAPID key pair,
and `dispatcher(policy, engine)` to make dispatchers on the test database (or another engine)."""

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from baton.clock import ManualClock
from baton.db.engine import create_sessionmaker
from baton.notify.dispatcher import Dispatcher
from baton.notify.policy import DispatchPolicy
from baton.notify.vapid import VapidKeys, generate_vapid_keys
from baton.notify.webpush import PushClient, new_push_client
from tests.support.push_service import PushService, run_push_service
from tests.support.pushing import POLICY


@pytest.fixture
async def push_service() -> AsyncIterator[PushService]:
    async with run_push_service() as service:
        yield service


@pytest.fixture
async def push_client() -> AsyncIterator[PushClient]:
    async with new_push_client() as client:
        yield client


@pytest.fixture(scope="session")
def vapid_keys() -> VapidKeys:
    return generate_vapid_keys()


@pytest.fixture
async def service(clock: ManualClock) -> AsyncIterator[PushService]:
    # The push service judges token expiry by the same (manual) time the sender signs with.
    async with run_push_service(clock=clock.now) as running:
        yield running


@pytest.fixture
def dispatcher(
    engine: AsyncEngine, push_client: PushClient, vapid_keys: VapidKeys, clock: ManualClock
) -> Callable[..., Dispatcher]:
    def make(policy: DispatchPolicy = POLICY, target: AsyncEngine | None = None) -> Dispatcher:
        return Dispatcher(
            create_sessionmaker(target or engine),
            client=push_client,
            vapid=vapid_keys,
            clock=clock,
            policy=policy,
        )

    return make
