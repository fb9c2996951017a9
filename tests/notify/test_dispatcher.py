"""The dispatcher against the loopback push service: real encrypted pushes, both databases."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.db.engine import create_engine
from baton.domain import promises
from baton.domain.alerts import inbox_page, raise_alert
from baton.domain.journeys.reminders import sweep_reminders
from baton.notify.dispatcher import Dispatcher
from baton.notify.vapid import VapidKeys, save_vapid_keys, vapid_keys_or_none
from tests.support.orders import HANDOVER, OrderRecord, submitted
from tests.support.push_service import (
    BrowserSubscription,
    PushService,
    Reply,
    run_push_service,
)
from tests.support.pushing import POLICY, AsUser, alert, device, state


async def test_alert_is_pushed_encrypted_with_the_payload_contract(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    browser = await device(db, advisor, service, clock, vapid_keys)
    alert_id = await alert(db, advisor, clock)

    assert await dispatcher().run_once() == 1

    [push] = service.delivered_to(browser)
    payload = push.json()
    assert payload["title"] == "新任务：新车主欢迎回访：客户1"
    assert payload["body"] == "截止 11月24日 12:00"
    assert payload["url"] == "/tasks/1" and payload["tag"] == "task-1"
    assert payload["alertId"] and payload["count"] == 1
    assert push.headers["ttl"] == str(24 * 3600) and push.headers["urgency"] == "normal"
    assert push.headers["topic"] == "task-1"
    row = await state(db, alert_id)
    assert row.push_state is models.PushState.SENT and row.claimed_by is None
    assert await dispatcher().run_once() == 0
    assert len(service.delivered) == 1


async def test_two_dispatchers_on_one_database_push_each_alert_exactly_once(
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
    expected = {await alert(db, user, clock, n) for user in users for n in range(4)}
    # A second process: its own engine and connection pool on the same database.
    other = create_engine(engine.url.render_as_string(hide_password=False))
    try:
        small = replace(POLICY, batch_size=7)
        first, second = dispatcher(small), dispatcher(small, other)
        while sum(await asyncio.gather(first.run_once(), second.run_once())):
            pass
    finally:
        await other.dispose()

    pushed = [push.json()["alertId"] for push in service.delivered]
    assert len(pushed) == len(expected) == 40
    assert len(set(pushed)) == 40
    sent = await db.scalar(
        select(func.count()).where(models.Alert.push_state == models.PushState.SENT)
    )
    assert sent == 40


async def test_quiet_hours_hold_the_push_until_morning(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    clock.advance(timedelta(hours=12, minutes=30))  # 22:30 Shanghai
    await alert(db, advisor, clock)

    assert await dispatcher().run_once() == 0
    clock.advance(timedelta(hours=9, minutes=29))  # 07:59
    assert await dispatcher().run_once() == 0
    clock.advance(timedelta(minutes=1))  # 08:00
    assert await dispatcher().run_once() == 1
    assert len(service.delivered) == 1


async def test_customer_here_ignores_quiet_hours_and_is_urgent_with_a_short_ttl(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    clock.advance(timedelta(hours=12, minutes=30))  # 22:30 Shanghai
    await alert(db, advisor, clock, kind=models.AlertKind.CUSTOMER_HERE, urgent=True)

    assert await dispatcher().run_once() == 1
    [push] = service.delivered
    assert push.headers["urgency"] == "high" and push.headers["ttl"] == "3600"


async def test_a_burst_for_one_user_becomes_one_digest_push(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    ids = [await alert(db, advisor, clock, n) for n in range(6)]

    assert await dispatcher().run_once() == 6

    [push] = service.delivered
    payload = push.json()
    assert payload["title"] == "6 条新提醒" and payload["count"] == 6
    assert payload["url"] == "/inbox" and payload["alertId"] is None
    assert payload["body"].startswith(
        "新任务：新车主欢迎回访：客户5\n新任务：新车主欢迎回访：客户4"
    )
    rows = [await state(db, alert_id) for alert_id in ids]
    assert {row.push_state for row in rows} == {models.PushState.SENT}
    assert {row.digest_id for row in rows} == {ids[-1]}


async def test_five_alerts_are_still_pushed_one_by_one(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    for n in range(5):
        await alert(db, advisor, clock, n)
    await dispatcher().run_once()
    assert len(service.delivered) == 5


async def test_per_user_rate_cap_holds_pushes_until_the_window_moves(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    capped = dispatcher(replace(POLICY, rate_cap=2, digest_threshold=100))
    for n in range(3):
        await alert(db, advisor, clock, n)
        await capped.run_once()
        clock.advance(timedelta(minutes=1))
    assert len(service.delivered) == 2

    clock.advance(timedelta(minutes=6))
    await capped.run_once()
    assert len(service.delivered) == 2
    clock.advance(timedelta(minutes=1))  # ten minutes after the first push
    await capped.run_once()
    assert len(service.delivered) == 3


async def test_dedupe_raises_the_same_task_and_reason_once(
    db: AsyncSession, as_user: AsUser, clock: ManualClock
) -> None:
    advisor = await as_user("service_advisor")
    await alert(db, advisor, clock, dedupe_key="task:1:due_soon")
    again = await raise_alert(
        db,
        user_id=advisor.id,
        kind=models.AlertKind.TASK_DUE_SOON,
        params={},
        url="/",
        now=clock.now(),
        dedupe_key="task:1:due_soon",
    )
    await db.commit()
    assert again is None
    assert await db.scalar(select(func.count()).select_from(models.Alert)) == 1


async def test_410_deletes_the_subscription(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    browser = await device(db, advisor, service, clock, vapid_keys)
    service.answer(browser, Reply(410))
    alert_id = await alert(db, advisor, clock)

    await dispatcher().run_once()

    assert await db.scalar(select(func.count()).select_from(models.PushSubscription)) == 0
    row = await state(db, alert_id)
    assert row.push_state is models.PushState.SKIPPED and row.read_at is None


async def test_429_is_retried_after_retry_after(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    browser = await device(db, advisor, service, clock, vapid_keys)
    service.answer(browser, Reply(429, retry_after="120"), times=1)
    alert_id = await alert(db, advisor, clock)

    await dispatcher().run_once()
    row = await state(db, alert_id)
    assert row.push_state is models.PushState.QUEUED and row.attempts == 1
    assert row.next_attempt_at == clock.now() + timedelta(seconds=120)
    clock.advance(timedelta(seconds=119))
    assert await dispatcher().run_once() == 0
    clock.advance(timedelta(seconds=1))
    assert await dispatcher().run_once() == 1
    assert len(service.delivered) == 1
    assert (await state(db, alert_id)).push_state is models.PushState.SENT


async def test_500_is_retried_with_backoff_then_failed_and_the_inbox_entry_stays(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    browser = await device(db, advisor, service, clock, vapid_keys)
    service.answer(browser, Reply(500))
    alert_id = await alert(db, advisor, clock)
    three = dispatcher(replace(POLICY, max_attempts=3))

    delays = []
    for _ in range(3):
        before = clock.now()
        assert await three.run_once() == 1
        row = await state(db, alert_id)
        delays.append(row.next_attempt_at - before)
        clock.set(row.next_attempt_at)
    assert delays[:2] == [timedelta(seconds=30), timedelta(seconds=60)]
    row = await state(db, alert_id)
    assert row.push_state is models.PushState.FAILED and row.attempts == 3
    assert row.push_error is not None and "500" in row.push_error
    assert await three.run_once() == 0
    page = await inbox_page(db, advisor, first=10, after_id=None, now=clock.now())
    assert [a.id for a in page.alerts] == [alert_id]


async def test_a_hanging_push_service_is_cut_off_without_stalling_other_sends(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    stuck_user, fine_user = await as_user("service_advisor"), await as_user("sales_consultant")
    stuck = await device(db, stuck_user, service, clock, vapid_keys)
    service.hang(stuck)
    fine = await device(db, fine_user, service, clock, vapid_keys)
    stuck_alert = await alert(db, stuck_user, clock)
    for n in range(3):
        await alert(db, fine_user, clock, n)

    started = time.monotonic()
    assert await dispatcher(replace(POLICY, time_limit=0.5)).run_once() == 4
    assert time.monotonic() - started < 3
    assert len(service.delivered_to(fine)) == 3
    row = await state(db, stuck_alert)
    assert row.push_state is models.PushState.QUEUED and row.attempts == 1
    assert row.push_error is not None and "no answer" in row.push_error


async def test_an_alert_for_a_user_without_devices_stays_in_the_inbox_only(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
) -> None:
    advisor = await as_user("service_advisor")
    alert_id = await alert(db, advisor, clock)
    await dispatcher().run_once()
    assert (await state(db, alert_id)).push_state is models.PushState.SKIPPED
    assert service.requests == []


async def test_english_users_get_english_and_long_lists_are_summarised_under_the_limit(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    advisor.user.language = "en"
    await device(db, advisor, service, clock, vapid_keys)
    # Staff type promises in Chinese: 3 bytes a character, five long ones pass the limit.
    promised = [
        f"promise number {n}: " + "全车脚垫与后备箱垫，家用充电桩上门安装" * 20 for n in range(9)
    ]
    params = {"customer": "客户1", "open": len(promised), "notes": [], "promises": promised}
    await alert(db, advisor, clock, kind=models.AlertKind.CUSTOMER_HERE, params=params)

    await dispatcher().run_once()

    [push] = service.delivered
    assert push.plaintext is not None and len(push.plaintext) <= 3800
    payload = push.json()
    assert payload["title"] == "Customer here: 客户1"
    assert payload["body"].startswith("9 open promises\n• promise number 0")
    assert payload["body"].endswith(")")


def test_the_public_key_is_read_from_the_key_file_when_there_is_one(
    tmp_path: Path, vapid_keys: VapidKeys
) -> None:
    path = tmp_path / "vapid.pem"
    assert vapid_keys_or_none(path) is None
    save_vapid_keys(vapid_keys, path)
    found = vapid_keys_or_none(path)
    assert found is not None
    assert found.application_server_key == vapid_keys.application_server_key


async def test_the_t_minus_3_push_lists_only_the_promises_still_open_when_it_is_sent(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
    customer_with_order: Callable[..., Awaitable[OrderRecord]],
) -> None:
    record = await customer_with_order(promises=3)
    await submitted(db, record, as_user, clock)
    delivery = await as_user("delivery_specialist")
    await dispatcher().run_once()  # the new-task alerts, before this phone subscribed
    await device(db, delivery, service, clock, vapid_keys)
    clock.set(HANDOVER - timedelta(days=3))  # 10:00 Shanghai, three days before
    await sweep_reminders(db, now=clock.now(), lead=timedelta(hours=2))
    # The floor mats arrive after the alert was raised and before it goes out.
    mats = record.promises[0]
    await promises.change_promise_status(
        db,
        delivery,
        mats.id,
        models.PromiseStatus.FULFILLED,
        expected_version=mats.version,
        now=clock.now(),
    )
    await db.commit()

    await dispatcher().run_once()

    [push] = [p for p in service.delivered if p.json()["kind"] == "promises_pending"]
    payload = push.json()
    assert payload["title"] == f"交车前待兑现承诺：{record.customer.name}"
    # The handover relative to the send time, as the app says due times: three days from now.
    assert payload["body"] == "交车：3 天后；1 项承诺未兑现\n• 家用充电桩安装"


# --- delivery under faults: per device, slow services, crashes, Retry-After, logs, digests ---


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    for _ in range(int(within / 0.01)):
        if await check():
            return
        await asyncio.sleep(0.01)


def pushed_ids(service: PushService, browser: BrowserSubscription | None = None) -> list[Any]:
    found = service.delivered if browser is None else service.delivered_to(browser)
    return [push.json()["alertId"] for push in found]


async def test_a_device_answering_500_is_retried_alone_and_the_other_is_not_sent_it_again(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    phone = await device(db, advisor, service, clock, vapid_keys)
    tablet = await device(db, advisor, service, clock, vapid_keys)
    service.answer(tablet, Reply(500), times=2)
    alert_id = await alert(db, advisor, clock)

    delays = []
    for _ in range(3):
        before = clock.now()
        assert await dispatcher().run_once() == 1
        row = await state(db, alert_id)
        delays.append(row.next_attempt_at - before)
        clock.set(row.next_attempt_at)

    assert len(pushed_ids(service, phone)) == 1
    assert len(pushed_ids(service, tablet)) == 1
    assert len([r for r in service.requests if r.subscription_id == tablet.id]) == 3
    assert delays[:2] == [timedelta(seconds=30), timedelta(seconds=60)]
    row = await state(db, alert_id)
    assert row.push_state is models.PushState.SENT and row.attempts == 3
    assert await dispatcher().run_once() == 0
    deliveries = await db.scalar(select(func.count()).select_from(models.PushDelivery))
    assert deliveries == 2


async def test_an_alert_one_device_took_is_sent_when_the_other_device_gives_up(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    phone = await device(db, advisor, service, clock, vapid_keys)
    tablet = await device(db, advisor, service, clock, vapid_keys)
    service.answer(tablet, Reply(500))
    alert_id = await alert(db, advisor, clock)
    three = dispatcher(replace(POLICY, max_attempts=3))

    first_sent = clock.now()
    for _ in range(3):
        # Queued while the tablet is still being tried, and known to have reached the phone.
        row = await state(db, alert_id)
        assert row.push_state is models.PushState.QUEUED
        assert await three.run_once() == 1
        clock.set((await state(db, alert_id)).next_attempt_at)

    row = await state(db, alert_id)
    assert row.push_state is models.PushState.SENT and row.sent_at == first_sent
    assert row.push_error is not None and "gave up" in row.push_error
    assert len(pushed_ids(service, phone)) == 1
    assert await three.run_once() == 0


async def test_a_hanging_push_service_delays_no_one_on_another_and_is_then_left_alone(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    stuck_user = await as_user("service_advisor")
    # More hanging devices than the dispatcher has send slots for one push service.
    for _ in range(POLICY.concurrency + 2):
        await device(db, stuck_user, service, clock, vapid_keys)
    service.answer_all(Reply(hang=True))
    async with run_push_service(clock=clock.now) as healthy:
        others = [await as_user(role) for role in ("sales_consultant", "technician", "parts")]
        phones = [await device(db, user, healthy, clock, vapid_keys) for user in others]
        await alert(db, stuck_user, clock, 0)
        for n, user in enumerate(others, start=1):
            await alert(db, user, clock, n)

        one = dispatcher()
        started = time.monotonic()
        running = asyncio.create_task(one.run_once())

        async def all_arrived() -> bool:
            return len(healthy.delivered) == len(phones)

        await eventually(all_arrived)
        arrived = max(push.arrived for push in healthy.delivered) - started
        assert len(healthy.delivered) == len(phones)
        assert arrived < 1.0, f"other users' pushes arrived after {arrived:.2f}s"
        assert await running == 4

        # It stopped answering: the next round does not wait on it again.
        asked = len(service.requests)
        await alert(db, stuck_user, clock, 10)
        await alert(db, others[0], clock, 11)
        started = time.monotonic()
        assert await one.run_once() == 2
        assert time.monotonic() - started < 1.0
        assert len(service.requests) == asked
        assert len(healthy.delivered) == len(phones) + 1


async def test_a_resting_push_service_is_not_asked_again_by_the_same_dispatcher(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    stuck_user = await as_user("service_advisor")
    for _ in range(3):
        await device(db, stuck_user, service, clock, vapid_keys)
    service.answer_all(Reply(hang=True))
    one = dispatcher(replace(POLICY, time_limit=2.0))
    first = await alert(db, stuck_user, clock, 0)
    await one.run_once()
    asked = len(service.requests)
    assert asked == 3

    second = await alert(db, stuck_user, clock, 1)
    started = time.monotonic()
    assert await one.run_once() == 1
    assert time.monotonic() - started < 1.5  # not the 2 s a send to it would wait
    assert len(service.requests) == asked
    row = await state(db, second)
    assert row.push_state is models.PushState.QUEUED
    assert row.push_error is not None and "not answering" in row.push_error
    assert row.next_attempt_at == clock.now() + POLICY.backoff
    assert (await state(db, first)).push_state is models.PushState.QUEUED

    clock.advance(POLICY.backoff)
    service.answer_all(None)
    assert await one.run_once() == 2
    assert len(service.delivered) == 6


async def test_a_dispatcher_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    db: AsyncSession,
    engine: AsyncEngine,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    roles = ["sales_consultant", "delivery_specialist", "service_advisor"]
    users = [await as_user(role, store) for store in ("A", "B") for role in roles]
    browsers = [await device(db, user, service, clock, vapid_keys) for user in users]
    for n, user in enumerate(users):
        await alert(db, user, clock, n)
    # Two send slots: the first and fourth pushes hang, the second and third go through, the
    # last two wait behind the hanging ones.
    service.answer(browsers[0], Reply(hang=True), times=1)
    service.answer(browsers[3], Reply(hang=True), times=1)
    doomed = dispatcher(replace(POLICY, concurrency=2, time_limit=60))

    running = asyncio.create_task(doomed.run_once())

    async def recorded() -> bool:
        count = await db.scalar(select(func.count()).select_from(models.PushDelivery))
        await db.rollback()
        return count == 2

    await eventually(recorded)
    assert await recorded() and not running.done()
    running.cancel()  # killed: nothing settled, the claim left behind
    with contextlib.suppress(asyncio.CancelledError):
        await running

    restarted = dispatcher()
    assert await restarted.run_once() == 0  # the claim still holds
    assert POLICY.claim_for <= timedelta(seconds=15)
    clock.advance(POLICY.claim_for + timedelta(seconds=1))
    assert await restarted.run_once() == 6

    pushed = pushed_ids(service)
    assert len(pushed) == len(set(pushed)) == 6
    rows = (await db.scalars(select(models.Alert))).all()
    assert {row.push_state for row in rows} == {models.PushState.SENT}
    assert all(len(pushed_ids(service, browser)) == 1 for browser in browsers)


@pytest.mark.parametrize("form", ["seconds", "http-date"])
async def test_retry_after_wins_over_the_default_backoff(
    form: str,
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    browser = await device(db, advisor, service, clock, vapid_keys)
    later = clock.now() + timedelta(seconds=2)
    value = "2" if form == "seconds" else format_datetime(later, usegmt=True)
    service.answer(browser, Reply(429, retry_after=value), times=1)
    alert_id = await alert(db, advisor, clock)

    await dispatcher().run_once()
    row = await state(db, alert_id)
    assert row.push_state is models.PushState.QUEUED
    assert abs(row.next_attempt_at - later) < timedelta(seconds=1)
    clock.set(row.next_attempt_at)
    assert await dispatcher().run_once() == 1
    assert (await state(db, alert_id)).push_state is models.PushState.SENT


async def test_logs_never_show_a_device_endpoint(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
    caplog: pytest.LogCaptureFixture,
) -> None:
    advisor = await as_user("service_advisor")
    fine = await device(db, advisor, service, clock, vapid_keys)
    refused = await device(db, advisor, service, clock, vapid_keys)
    service.answer(refused, Reply(400))
    await alert(db, advisor, clock)
    caplog.set_level(logging.DEBUG)

    await dispatcher().run_once()

    messages = [record.getMessage() for record in caplog.records]
    assert any("refused a push" in m and service.origin in m for m in messages)
    for secret in (fine.id, refused.id, "/push/"):
        assert not [m for m in messages if secret in m]


async def test_a_digest_never_stands_for_one_alert(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    for n in range(5):
        await alert(db, advisor, clock, n)
    await dispatcher().run_once()
    clock.advance(timedelta(minutes=1))
    last = await alert(db, advisor, clock, 5)

    await dispatcher().run_once()

    payload = service.delivered[-1].json()
    assert payload["kind"] == "task_assigned" and payload["count"] == 1
    assert (await state(db, last)).digest_id is None


async def test_a_digest_counts_only_alerts_not_pushed_yet(
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    service: PushService,
    dispatcher: Callable[..., Dispatcher],
    vapid_keys: VapidKeys,
) -> None:
    advisor = await as_user("service_advisor")
    await device(db, advisor, service, clock, vapid_keys)
    three = dispatcher(replace(POLICY, digest_threshold=3))
    for n in range(3):
        await alert(db, advisor, clock, n)
    await three.run_once()
    assert len(service.delivered) == 3
    clock.advance(timedelta(minutes=1))
    for n in range(3, 5):
        await alert(db, advisor, clock, n)

    await three.run_once()

    payload = service.delivered[-1].json()
    assert payload["kind"] == "digest" and payload["count"] == 2
    assert payload["title"] == "2 条新提醒"


async def test_two_dispatchers_never_both_push_one_users_burst(
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
    ids = [await alert(db, advisor, clock, n) for n in range(6)]
    other = create_engine(engine.url.render_as_string(hide_password=False))
    try:
        small = replace(POLICY, batch_size=3, digest_threshold=2)
        first, second = dispatcher(small), dispatcher(small, other)
        claimed = await asyncio.gather(first.run_once(), second.run_once())
        assert sorted(claimed) == [0, 3]
        assert len(service.delivered) == 1
        while sum(await asyncio.gather(first.run_once(), second.run_once())):
            pass
    finally:
        await other.dispose()

    digests = [push.json() for push in service.delivered]
    assert [d["kind"] for d in digests] == ["digest", "digest"]
    assert sum(d["count"] for d in digests) == 6
    rows = [await state(db, alert_id) for alert_id in ids]
    assert {row.push_state for row in rows} == {models.PushState.SENT}
