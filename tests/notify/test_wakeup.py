"""The dispatcher wakes on the commit that queued an alert, not at its poll: both databases
(PostgreSQL through LISTEN/NOTIFY, SQLite through the in-process event)."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from baton.clock import ManualClock, SystemClock
from baton.db import models
from baton.db.engine import create_engine, create_sessionmaker
from baton.domain.alerts import raise_alert
from baton.notify.dispatcher import Dispatcher
from baton.notify.vapid import VapidKeys
from tests.support.push_service import PushService
from tests.support.pushing import POLICY, AsUser, alert, device

# Far longer than any wait below: a push that arrives came from the wake-up, not the poll.
LONG_POLL = 120.0
HERE = {"customer": "客户1", "open": 0, "notes": [], "promises": []}


@asynccontextmanager
async def running(*dispatchers: Dispatcher, poll: float = LONG_POLL) -> AsyncIterator[None]:
    stop = asyncio.Event()
    loops = [asyncio.create_task(d.run(stop, poll_seconds=poll)) for d in dispatchers]
    try:
        await asyncio.sleep(0.3)  # each has claimed nothing and is waiting
        yield
    finally:
        stop.set()
        await asyncio.gather(*loops)


async def pushed(service: PushService, count: int, *, within: float) -> float:
    """Seconds until `count` pushes arrived; fails after `within`."""
    started = time.monotonic()
    while len(service.delivered) < count:
        assert time.monotonic() - started < within, f"{len(service.delivered)} of {count} pushed"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_an_alert_raised_while_the_dispatcher_waits_is_pushed_at_once(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    browser = await device(db, advisor, service, clock, vapid_keys)
    async with running(dispatcher()):
        await alert(db, advisor, clock)  # raised and committed
        assert await pushed(service, 1, within=5.0) < 5.0
        # A second one, after the dispatcher went back to waiting.
        await alert(db, advisor, clock, 2)
        await pushed(service, 2, within=5.0)
    assert [p.json()["tag"] for p in service.delivered_to(browser)] == ["task-1", "task-2"]


async def test_after_a_rollback_the_next_alert_of_the_session_still_wakes_the_dispatcher(
    db: AsyncSession,
    engine: AsyncEngine,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    async with running(dispatcher()), create_sessionmaker(engine)() as writer:
        for tag in ("undone", "kept"):
            await raise_alert(
                writer, user_id=advisor.id, kind=models.AlertKind.CUSTOMER_HERE, params=HERE,
                url="/tasks/1", now=clock.now(), tag=tag,
            )  # fmt: skip
            if tag == "undone":
                await writer.rollback()  # its NOTIFY goes with it; the next must ring anew
        await writer.commit()
        await pushed(service, 1, within=5.0)
        await asyncio.sleep(0.3)
    assert [p.json()["tag"] for p in service.delivered] == ["kept"]


async def test_two_listening_dispatchers_push_each_alert_once(
    db: AsyncSession,
    engine: AsyncEngine,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    roles = ["sales_consultant", "delivery_specialist", "service_advisor", "technician", "parts"]
    users = [await as_user(role, store) for role in roles for store in ("A", "B")]
    for user in users:
        await device(db, user, service, clock, vapid_keys)
    # A second process: its own engine and connection pool on the same database.
    other = create_engine(engine.url.render_as_string(hide_password=False))
    try:
        small = replace(POLICY, batch_size=7)
        async with running(dispatcher(small), dispatcher(small, other)):
            for n in range(4):
                for user in users:
                    await alert(db, user, clock, n)
            await pushed(service, 40, within=10.0)
            await asyncio.sleep(0.5)  # nothing more comes
    finally:
        await other.dispose()

    pushed_ids = [push.json()["alertId"] for push in service.delivered]
    assert len(pushed_ids) == len(set(pushed_ids)) == 40
    sent = await db.scalar(
        select(func.count()).where(models.Alert.push_state == models.PushState.SENT)
    )
    assert sent == 40


async def test_a_writer_the_doorbell_cannot_reach_is_heard_at_the_poll(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    async with running(dispatcher(), poll=0.5):
        # Written as another program would: no raise_alert, so no ring.
        await db.execute(
            insert(models.Alert).values(
                user_id=advisor.id, kind=models.AlertKind.CUSTOMER_HERE, params=HERE,
                url="/tasks/1", tag="task-1", urgent=False, created_at=clock.now(),
                due_at=clock.now(), push_state=models.PushState.QUEUED, attempts=0,
                next_attempt_at=clock.now(),
            )
        )  # fmt: skip
        await db.commit()
        await pushed(service, 1, within=5.0)


@pytest.fixture
async def real_time_service() -> AsyncIterator[PushService]:
    from tests.support.push_service import run_push_service

    async with run_push_service() as running_service:
        yield running_service


async def test_an_alert_due_later_is_pushed_when_it_comes_due_not_at_the_next_poll(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    real_time_service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    advisor.user.quiet_hours_start = advisor.user.quiet_hours_end = datetime.min.time()
    await device(db, advisor, real_time_service, clock, vapid_keys)
    live = dispatcher()
    live.clock = SystemClock()
    now = datetime.now(UTC)
    due = now + timedelta(seconds=1.5)
    await raise_alert(
        db, user_id=advisor.id, kind=models.AlertKind.CUSTOMER_HERE, params=HERE,
        url="/tasks/1", now=now, due_at=due, tag="task-1",
    )  # fmt: skip
    await db.commit()
    async with running(live):
        await pushed(real_time_service, 1, within=6.0)
    [push] = real_time_service.delivered
    assert push.at >= due
    assert push.at - due < timedelta(seconds=1.5)
