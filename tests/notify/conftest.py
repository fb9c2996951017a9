"""Fixtures for push tests: a loopback push service, one shared client, a VAPID key pair."""

from collections.abc import AsyncIterator

import httpx
import pytest

from baton.notify.vapid import VapidKeys, generate_vapid_keys
from baton.notify.webpush import new_push_client
from tests.support.push_service import PushService, run_push_service


@pytest.fixture
async def push_service() -> AsyncIterator[PushService]:
    async with run_push_service() as service:
        yield service


@pytest.fixture
async def push_client() -> AsyncIterator[httpx.AsyncClient]:
    async with new_push_client() as client:
        yield client


@pytest.fixture(scope="session")
def vapid_keys() -> VapidKeys:
    return generate_vapid_keys()
