"""The dispatcher: claims due alerts from the outbox, pushes them, records what happened.

One step (`run_once`) claims a batch (notify/claim.py: each alert is pushed by one of several
dispatchers, a user's alerts by one at a time), plans who gets which push (notify/plan.py:
digests, the per-user cap, devices that have it already), sends, and settles the batch
(notify/settle.py). The claim is a lease this module renews while the batch sends.

Delivery is per device: each push service acceptance is written to `push_deliveries` as it
happens (group commits while the batch is still sending), a retry goes only to the devices
still missing the alert, and a restart after a crash skips what was already handed over.

Sends are bounded per push service (origin), not by one shared pool, so a push service that
hangs holds only its own slots; after a few unanswered sends in a row it is left alone for
the backoff, its pushes going back to the queue without waiting for it.

Between steps `run` waits for whichever comes first: the commit that raised an alert due
now (db/outbox.py rings, notify/wakeup.py hears: PostgreSQL LISTEN/NOTIFY, SQLite an
in-process event), the next queued alert's due time, or the poll interval, the safety net.

    dispatcher = Dispatcher(sessions, client=client, vapid=keys, clock=clock, policy=policy)
    await dispatcher.run_once()   # one step: claim, send, record; tests drive it this way
"""

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from baton.clock import Clock
from baton.db.models import PushDelivery, PushSubscription
from baton.notify.claim import claim_due, renew_claim, seconds_to_next_due
from baton.notify.payload import ttl_seconds
from baton.notify.plan import Push, plan_pushes
from baton.notify.policy import DispatchPolicy
from baton.notify.settle import settle
from baton.notify.vapid import VapidKeys, audience, vapid_authorization
from baton.notify.wakeup import Wakeup
from baton.notify.webpush import Outcome, PushClient, PushRequestError, PushResult, send_push
from baton.notify.webpush import PushSubscription as Device

log = logging.getLogger(__name__)
TOKEN_LIFETIME = timedelta(hours=12)
# Reused for an hour: a push service never sees a token with less than 11 h left.
TOKEN_REUSE = timedelta(hours=1)
# How long the delivery writer gathers acceptances into one commit.
RECORD_GATHER = 0.05


@dataclass
class _Origin:
    """What one dispatcher knows of one push service."""

    slots: asyncio.Semaphore
    unanswered: int = 0  # sends in a row that got no answer
    resting_until: datetime | None = None


class _Deliveries:
    """Writes acceptances while the batch still sends: one commit at a time, each taking every
    row that came in within RECORD_GATHER of the first (a group commit). A commit per push cost
    a third of the sender's throughput on PostgreSQL; a crash can now repeat at most the
    pushes of the last RECORD_GATHER, not the batch. Recording never holds a send."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._pending: list[dict[str, object]] = []
        self._writer: asyncio.Task[None] | None = None

    def add(self, rows: list[dict[str, object]]) -> None:
        self._pending.extend(rows)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        while self._pending:
            await asyncio.sleep(RECORD_GATHER)
            rows, self._pending = self._pending, []
            try:
                async with self.sessions() as session:
                    # Core, not the ORM's bulk insert, whose bookkeeping showed in the profile.
                    await session.execute(insert(cast(Table, PushDelivery.__table__)), rows)
                    await session.commit()
            except Exception:
                # The batch's settlement still records the alerts as sent; only a crash
                # before it could now send these again.
                log.exception("could not record %d push deliveries", len(rows))

    async def drain(self) -> None:
        while self._writer is not None and not self._writer.done():
            await self._writer


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        client: PushClient,
        vapid: VapidKeys,
        clock: Clock,
        policy: DispatchPolicy,
        name: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.vapid = vapid
        self.clock = clock
        self.policy = policy
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        # Per push service and shared by every batch of this dispatcher.
        self._origins: dict[str, _Origin] = {}
        self._tokens: dict[str, tuple[str, datetime]] = {}

    def _origin(self, endpoint: str) -> _Origin:
        try:
            origin = audience(endpoint)
        except ValueError:
            origin = ""  # prepare_push refuses the endpoint with its own message
        state = self._origins.get(origin)
        if state is None:
            state = self._origins[origin] = _Origin(asyncio.Semaphore(self.policy.concurrency))
        return state

    def _heard(self, origin: _Origin, result: PushResult) -> None:
        if result.outcome is not Outcome.RETRY or result.status is not None:
            origin.unanswered = 0
            origin.resting_until = None
            return
        origin.unanswered += 1
        if origin.unanswered >= self.policy.origin_failures:
            origin.resting_until = self.clock.now() + self.policy.backoff

    def _authorization(self, endpoint: str, now: datetime) -> str | None:
        """One VAPID token per push service origin, renewed well before it expires: signing
        every push costs a third of the sender's CPU."""
        try:
            origin = audience(endpoint)
        except ValueError:
            return None  # prepare_push refuses the endpoint with its own message
        cached = self._tokens.get(origin)
        if cached is not None and now < cached[1]:
            return cached[0]
        header = vapid_authorization(
            self.vapid, endpoint=endpoint, sub=self.policy.sub, now=now, lifetime=TOKEN_LIFETIME
        )
        self._tokens[origin] = (header, now + TOKEN_REUSE)
        return header

    async def run_once(self) -> int:
        """Claim one batch of due alerts, push them, record outcomes; how many were claimed."""
        now = self.clock.now()
        async with self.sessions() as session:
            alerts = await claim_due(
                session,
                self.name,
                now=now,
                until=now + self.policy.claim_for,
                limit=self.policy.batch_size,
            )
            if not alerts:
                return 0
            # Committed before planning: SQLite's one write lock (PostgreSQL: the advisory
            # locks) is held for the claim only, not through the reads that plan the pushes,
            # so the app's own writes (an alert raised, a delivery recorded) need not wait.
            await session.commit()
            plan = await plan_pushes(session, alerts, now, self.policy)
        deliveries = _Deliveries(self.sessions)
        renewing = asyncio.create_task(self._renew([alert.id for alert in alerts]))
        try:
            await asyncio.gather(*(self._send(push, now, deliveries) for push in plan.pushes))
            await deliveries.drain()
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        async with self.sessions() as session:
            await settle(session, plan, self.name, self.policy, now)
            await session.commit()
        return len(alerts)

    async def _renew(self, alert_ids: list[int]) -> None:
        """Keep this batch's claim alive while it sends: the lease is short so that a dead
        dispatcher's batch is taken up again in seconds."""
        while True:
            await asyncio.sleep(self.policy.claim_seconds / 3)
            try:
                async with self.sessions() as session:
                    until = self.clock.now() + self.policy.claim_for
                    await renew_claim(session, self.name, alert_ids, until=until)
                    await session.commit()
            except Exception:
                log.exception("could not renew the claim on %d alerts", len(alert_ids))

    async def run(self, stop: asyncio.Event, *, poll_seconds: float) -> None:
        """Until `stop`: a full batch goes straight on to the next; otherwise wait for a commit
        that queued an alert due now (db/outbox.py), the next queued alert's due time, or
        `poll_seconds`, whichever comes first."""
        engine = cast(AsyncEngine, self.sessions.kw["bind"])
        async with Wakeup(engine, retry_seconds=poll_seconds) as wakeup:
            while not stop.is_set():
                # Before the claim looks: a commit from now on wakes the next wait at once.
                wakeup.clear()
                wait = poll_seconds
                try:
                    handled = await self.run_once()
                    if handled >= self.policy.batch_size:
                        continue
                    async with self.sessions() as session:
                        wait = min(wait, await seconds_to_next_due(session, self.clock.now()))
                except Exception:
                    log.exception("dispatcher step failed; retrying after the poll interval")
                await wakeup.wait(stop, seconds=wait)

    # --- send ------------------------------------------------------------------------------

    async def _send(self, push: Push, now: datetime, deliveries: _Deliveries) -> None:
        body = push.payload.encode()
        lead = push.lead
        ttl = ttl_seconds(lead.kind)

        async def one(device: PushSubscription) -> tuple[PushSubscription, PushResult]:
            origin = self._origin(device.endpoint)
            async with origin.slots:
                result = await self._send_one(push, device, body, ttl, origin, now)
            if result.outcome is Outcome.DELIVERED:
                deliveries.add(
                    [
                        {"alert_id": a.id, "device_id": device.id, "sent_at": now}
                        for a in push.alerts
                    ]
                )
            return device, result

        push.results = list(await asyncio.gather(*(one(device) for device in push.devices)))

    async def _send_one(
        self,
        push: Push,
        device: PushSubscription,
        body: bytes,
        ttl: int,
        origin: _Origin,
        now: datetime,
    ) -> PushResult:
        resting = origin.resting_until
        if resting is not None and self.clock.now() < resting:
            # Its push service has stopped answering: back to the queue without a wait.
            return PushResult(
                Outcome.RETRY,
                None,
                retry_after=resting - self.clock.now(),
                detail="push service not answering; left alone for now",
            )
        try:
            result = await send_push(
                self.client,
                Device(device.endpoint, device.p256dh, device.auth),
                body,
                vapid=self.vapid,
                sub=self.policy.sub,
                ttl=ttl,
                urgency="high" if push.urgent else "normal",
                topic=push.payload.tag,
                now=now,
                time_limit=self.policy.time_limit,
                authorization=self._authorization(device.endpoint, now),
            )
        except PushRequestError as error:
            log.error("push %s not sent: %s", push.lead.id, error)
            return PushResult(Outcome.BUG, None, detail=str(error))
        self._heard(origin, result)
        return result
