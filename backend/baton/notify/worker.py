"""The notify worker: the dispatcher and the reminder sweep, in `baton serve` or `baton worker`."""

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baton.clock import Clock
from baton.domain.journeys.cases.escalation import sweep_escalations
from baton.domain.journeys.reminders import sweep_reminders
from baton.notify.dispatcher import Dispatcher
from baton.notify.policy import DispatchPolicy
from baton.notify.vapid import vapid_keys_or_none
from baton.notify.webpush import new_push_client
from baton.settings import Settings

log = logging.getLogger(__name__)


async def sweep_forever(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
    stop: asyncio.Event,
) -> None:
    lead = timedelta(minutes=settings.alert_due_soon_minutes)
    while not stop.is_set():
        try:
            async with sessions() as session:
                raised = await sweep_reminders(session, now=clock.now(), lead=lead)
            if raised:
                log.info("reminder sweep raised %d alerts", raised)
            async with sessions() as session:
                rises = await sweep_escalations(session, now=clock.now())
            if rises:
                log.info("escalation sweep moved %d cases up a level", rises)
        except Exception:
            log.exception("reminder sweep failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.reminder_sweep_seconds)


async def run_worker(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
    stop: asyncio.Event,
) -> None:
    """Sweep reminders and dispatch pushes until `stop` is set."""
    keys = vapid_keys_or_none(settings.vapid_private_key_file)
    sweeping = asyncio.create_task(sweep_forever(sessions, settings, clock, stop))
    if keys is None:
        # Alerts stay queued in the inbox until a key exists; nobody can subscribe without it.
        log.warning(
            "no VAPID key at %s: web push is off until `baton vapid` makes one",
            settings.vapid_private_key_file,
        )
        await sweeping
        return
    policy = DispatchPolicy.from_settings(settings)
    started = time.monotonic()
    async with new_push_client(
        # Sends are bounded per push service; a few services may each use their share.
        timeout=settings.push_timeout_seconds,
        max_connections=settings.push_concurrency * 8,
    ) as client:
        dispatcher = Dispatcher(sessions, client=client, vapid=keys, clock=clock, policy=policy)
        log.info("dispatcher %s started", dispatcher.name)
        try:
            await dispatcher.run(stop, poll_seconds=settings.dispatcher_poll_seconds)
        finally:
            await sweeping
            log.info("dispatcher stopped after %.0f s", time.monotonic() - started)
