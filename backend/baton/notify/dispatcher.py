"""The dispatcher: claims due alerts from the outbox, pushes them, records what happened.

Several dispatchers (app replicas, `baton worker`) may run against one database: a batch is
claimed in one statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the single
writer makes the UPDATE itself the lock), so each alert is pushed by one of them. A claim
takes a user's alerts whole: while one dispatcher holds any of a user's alerts no other
claims that user's (on PostgreSQL an advisory lock per user orders concurrent claims), so
digests and the rate cap are decided by one dispatcher that sees everything the user has
waiting. A claim is a short lease the owner renews while it sends, so a dispatcher that dies
mid-batch gives its alerts back within seconds.

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
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from baton.clock import Clock
from baton.db.models import Alert, PushDelivery, PushState, PushSubscription, Store, User
from baton.domain.stores import default_time_zone
from baton.domain.wording import AlertFacts, alert_facts
from baton.notify.payload import (
    DEFAULT_TTL_SECONDS,
    TTL_SECONDS,
    Payload,
    alert_payload,
    digest_payload,
)
from baton.notify.vapid import VapidKeys, audience, vapid_authorization
from baton.notify.wakeup import Wakeup
from baton.notify.webpush import Outcome, PushClient, PushRequestError, PushResult, send_push
from baton.notify.webpush import PushSubscription as Device
from baton.settings import Settings
from baton.texts import Reader

log = logging.getLogger(__name__)
ERROR_MAX = 200
TOKEN_LIFETIME = timedelta(hours=12)
# Reused for an hour: a push service never sees a token with less than 11 h left.
TOKEN_REUSE = timedelta(hours=1)
# How long the delivery writer gathers acceptances into one commit.
RECORD_GATHER = 0.05
# pg_try_advisory_xact_lock(CLAIM_LOCK, user_id): one claimer of a user's alerts at a time.
CLAIM_LOCK = 0x6261746F  # "bato"


@dataclass(frozen=True)
class DispatchPolicy:
    sub: str  # the VAPID contact
    batch_size: int = 200
    # Sends in flight per push service (origin); measured best on 2 cores for one service.
    concurrency: int = 10
    time_limit: float = 10.0
    # The claim lease, renewed every third of it while the batch is sending.
    claim_seconds: float = 15.0
    # Unanswered sends in a row (timeouts, network errors) before an origin is backed off.
    origin_failures: int = 3
    max_attempts: int = 6
    backoff: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(hours=1)
    digest_threshold: int = 5
    digest_window: timedelta = timedelta(minutes=10)
    rate_cap: int = 10
    rate_window: timedelta = timedelta(minutes=10)

    @property
    def claim_for(self) -> timedelta:
        return timedelta(seconds=self.claim_seconds)

    @classmethod
    def from_settings(cls, settings: Settings) -> "DispatchPolicy":
        return cls(
            sub=settings.vapid_subject,
            batch_size=settings.push_batch_size,
            concurrency=settings.push_concurrency,
            time_limit=settings.push_timeout_seconds,
            claim_seconds=settings.push_claim_seconds,
            max_attempts=settings.push_max_attempts,
            backoff=timedelta(seconds=settings.push_backoff_seconds),
            backoff_max=timedelta(seconds=settings.push_backoff_max_seconds),
            digest_threshold=settings.push_digest_threshold,
            digest_window=timedelta(minutes=settings.push_digest_window_minutes),
            rate_cap=settings.push_rate_cap,
            rate_window=timedelta(minutes=settings.push_rate_window_minutes),
        )


@dataclass
class Push:
    """One payload for one user's devices, standing for one alert or a digest of several."""

    alerts: list[Alert]
    payload: Payload
    urgent: bool
    devices: list[PushSubscription]
    results: list[tuple[PushSubscription, PushResult]] = field(default_factory=list)

    @property
    def lead(self) -> Alert:
        return max(self.alerts, key=lambda alert: alert.id)


@dataclass
class Plan:
    pushes: list[Push] = field(default_factory=list)
    # alert id -> column values to write without sending
    settled: dict[int, dict[str, object]] = field(default_factory=dict)
    # alert id -> device id -> when a push service accepted it (an earlier try or dispatcher)
    delivered: dict[int, dict[int, datetime]] = field(default_factory=dict)


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
            alerts = await self._claim(session, now)
            if not alerts:
                return 0
            # Committed before planning: SQLite's one write lock (PostgreSQL: the advisory
            # locks) is held for the claim only, not through the reads that plan the pushes,
            # so the app's own writes (an alert raised, a delivery recorded) need not wait.
            await session.commit()
            plan = await self._plan(session, alerts, now)
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
            await self._record(session, plan, now)
            await session.commit()
        return len(alerts)

    async def _renew(self, alert_ids: list[int]) -> None:
        """Keep this batch's claim alive while it sends: the lease is short so that a dead
        dispatcher's batch is taken up again in seconds."""
        while True:
            await asyncio.sleep(self.policy.claim_seconds / 3)
            try:
                async with self.sessions() as session:
                    await session.execute(
                        update(Alert)
                        .where(Alert.id.in_(alert_ids), Alert.claimed_by == self.name)
                        .values(claimed_until=self.clock.now() + self.policy.claim_for)
                        .execution_options(synchronize_session=False)
                    )
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
                    wait = min(wait, await self._until_next_due())
                except Exception:
                    log.exception("dispatcher step failed; retrying after the poll interval")
                await wakeup.wait(stop, seconds=wait)

    async def _until_next_due(self) -> float:
        """Seconds until the next queued alert comes due (alerts due already but held by
        another dispatcher are left to the poll, or two dispatchers would spin on them)."""
        now = self.clock.now()
        async with self.sessions() as session:
            due = await session.scalar(
                select(func.min(Alert.next_attempt_at)).where(
                    Alert.push_state == PushState.QUEUED, Alert.next_attempt_at > now
                )
            )
        if due is None:
            return float("inf")
        return max((due - now).total_seconds(), 0.0)

    # --- claim -----------------------------------------------------------------------------

    async def _claim(self, session: AsyncSession, now: datetime) -> list[Alert]:
        other = aliased(Alert)
        # Users another dispatcher holds, as one set read once (NOT IN): as a correlated
        # NOT EXISTS the plan hung on fresh statistics, and a burst of alerts queued before
        # autovacuum's ANALYZE made PostgreSQL rescan every queued alert per candidate (1 s a
        # claim for 10,000 queued).
        held_elsewhere = select(other.user_id).where(
            other.push_state == PushState.QUEUED,
            other.claimed_until >= now,
            other.claimed_by != self.name,
        )
        conditions = [
            Alert.push_state == PushState.QUEUED,
            Alert.next_attempt_at <= now,
            or_(Alert.claimed_until.is_(None), Alert.claimed_until < now),
            Alert.user_id.not_in(held_elsewhere),
        ]
        bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            # Two claimers could each take part of one user's alerts before either commits;
            # the advisory lock (held to this transaction's commit) lets one claim a user at
            # a time, and the UPDATE below then sees the other's committed claim.
            candidates = list(
                await session.scalars(
                    select(Alert.user_id)
                    .where(*conditions)
                    .group_by(Alert.user_id)
                    .order_by(func.min(Alert.next_attempt_at))
                    .limit(self.policy.batch_size)
                )
            )
            if not candidates:
                return []
            locked = await session.scalars(
                text(
                    "SELECT u FROM unnest(CAST(:ids AS integer[])) AS u"
                    " WHERE pg_try_advisory_xact_lock(:key, u)"
                ),
                {"ids": candidates, "key": CLAIM_LOCK},
            )
            conditions.append(Alert.user_id.in_(list(locked)))
        due = (
            select(Alert.id)
            .where(*conditions)
            .order_by(Alert.next_attempt_at, Alert.id)
            .limit(self.policy.batch_size)
            # PostgreSQL: rows another dispatcher is claiming are skipped, not waited for.
            # SQLite compiles this away; its one writer serialises the UPDATE instead.
            .with_for_update(skip_locked=True)
            # Read once, as a materialised CTE: inside `IN (...)` PostgreSQL may rescan the
            # subquery per row, and each rescan skips the rows this UPDATE has just claimed,
            # so the LIMIT stopped holding (seen: one dispatcher claimed 6 of a batch of 3).
            .cte("due")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        claimed = await session.scalars(
            update(Alert)
            .where(Alert.id.in_(select(due.c.id)))
            .values(claimed_by=self.name, claimed_until=now + self.policy.claim_for)
            .returning(Alert.id)
            .execution_options(synchronize_session=False)
        )
        ids = list(claimed)
        if not ids:
            return []
        rows = await session.scalars(select(Alert).where(Alert.id.in_(ids)).order_by(Alert.id))
        return list(rows)

    # --- plan: who gets which push ---------------------------------------------------------

    async def _plan(self, session: AsyncSession, alerts: list[Alert], now: datetime) -> Plan:
        policy = self.policy
        user_ids = {alert.user_id for alert in alerts}
        readers = await self._readers(session, user_ids, now)
        facts = await alert_facts(session, alerts)
        devices: dict[int, list[PushSubscription]] = defaultdict(list)
        for device in await session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id.in_(user_ids))
            .order_by(PushSubscription.id)
        ):
            devices[device.user_id].append(device)
        recent = await self._sent_since(session, user_ids, now - policy.digest_window)
        pushes, first_push = await self._pushes_since(session, user_ids, now - policy.rate_window)

        plan = Plan(delivered=await self._delivered(session, [alert.id for alert in alerts]))
        missing: dict[int, list[PushSubscription]] = {}
        by_user: dict[int, list[Alert]] = defaultdict(list)
        for alert in alerts:
            ttl = TTL_SECONDS.get(alert.kind, DEFAULT_TTL_SECONDS)
            earlier = plan.delivered.get(alert.id, {})
            first = _first_sent(alert, earlier)
            missing[alert.id] = [d for d in devices.get(alert.user_id, []) if d.id not in earlier]
            if first is not None and (not missing[alert.id] or now > alert.due_at + _s(ttl)):
                # Every device has it (a dispatcher died before settling), or too late for
                # the rest: it was pushed.
                plan.settled[alert.id] = _done(alert, PushState.SENT, first, error=None)
            elif now > alert.due_at + _s(ttl):
                plan.settled[alert.id] = _failed(alert, "expired before it could be pushed")
            elif not missing[alert.id]:
                plan.settled[alert.id] = _done(alert, PushState.SKIPPED, None)
            else:
                by_user[alert.user_id].append(alert)

        for user_id, waiting in by_user.items():
            reader = readers[user_id]
            # "Customer is here now" is never digested or held back by the cap.
            for alert in (a for a in waiting if a.urgent):
                payload = alert_payload(alert, facts[alert.id], reader)
                plan.pushes.append(Push([alert], payload, True, missing[alert.id]))
            ordinary = [a for a in waiting if not a.urgent]
            if not ordinary:
                continue
            allowed = policy.rate_cap - pushes.get(user_id, 0)
            if allowed <= 0:
                resume = first_push.get(user_id, now) + policy.rate_window
                for alert in ordinary:
                    plan.settled[alert.id] = _hold(alert, max(resume, now + timedelta(seconds=1)))
                continue
            if (
                recent.get(user_id, 0) + len(ordinary) > policy.digest_threshold
                and len(ordinary) > 1
            ):
                plan.pushes.extend(
                    self._digests(ordinary, missing, devices[user_id], facts, reader)
                )
                continue
            for alert in ordinary[:allowed]:
                payload = alert_payload(alert, facts[alert.id], reader)
                plan.pushes.append(Push([alert], payload, False, missing[alert.id]))
            resume = now + policy.rate_window / policy.rate_cap
            for alert in ordinary[allowed:]:
                plan.settled[alert.id] = _hold(alert, resume)
        return plan

    def _digests(
        self,
        ordinary: list[Alert],
        missing: dict[int, list[PushSubscription]],
        mine: list[PushSubscription],
        facts: dict[int, AlertFacts],
        reader: Reader,
    ) -> list[Push]:
        """One digest per set of devices missing the same alerts: a device that already has
        some of them is told only of the rest, and `count` is what it is told of."""
        groups: dict[tuple[int, ...], list[PushSubscription]] = defaultdict(list)
        for device in mine:
            key = tuple(a.id for a in ordinary if device in missing[a.id])
            if key:
                groups[key].append(device)
        by_id = {alert.id: alert for alert in ordinary}
        found = []
        for key, group in groups.items():
            members = [by_id[alert_id] for alert_id in key]
            if len(members) == 1:
                payload = alert_payload(members[0], facts[members[0].id], reader)
            else:
                payload = digest_payload(members, facts, len(members), reader)
            found.append(Push(members, payload, False, group))
        return found

    async def _delivered(
        self, session: AsyncSession, alert_ids: list[int]
    ) -> dict[int, dict[int, datetime]]:
        rows = await session.execute(
            select(PushDelivery.alert_id, PushDelivery.device_id, PushDelivery.sent_at).where(
                PushDelivery.alert_id.in_(alert_ids)
            )
        )
        found: dict[int, dict[int, datetime]] = defaultdict(dict)
        for alert_id, device_id, sent_at in rows:
            found[alert_id][device_id] = sent_at
        return found

    async def _readers(
        self, session: AsyncSession, user_ids: set[int], now: datetime
    ) -> dict[int, Reader]:
        """Each user's reader; a push says its times relative to `now`, when it is sent."""
        found = await session.execute(
            select(User.id, User.language, Store.time_zone)
            .outerjoin(Store, Store.id == User.store_id)
            .where(User.id.in_(user_ids))
        )
        default = default_time_zone()
        return {
            user_id: Reader(language, time_zone or default, now)
            for user_id, language, time_zone in found
        }

    async def _sent_since(
        self, session: AsyncSession, user_ids: set[int], since: datetime
    ) -> dict[int, int]:
        rows = await session.execute(
            select(Alert.user_id, func.count())
            .where(Alert.user_id.in_(user_ids), Alert.sent_at >= since)
            .group_by(Alert.user_id)
        )
        return {user_id: count for user_id, count in rows}

    async def _pushes_since(
        self, session: AsyncSession, user_ids: set[int], since: datetime
    ) -> tuple[dict[int, int], dict[int, datetime]]:
        """Pushes, not alerts: a digest's members count once, through its lead."""
        rows = await session.execute(
            select(Alert.user_id, func.count(), func.min(Alert.sent_at))
            .where(
                Alert.user_id.in_(user_ids),
                Alert.sent_at > since,
                or_(Alert.digest_id.is_(None), Alert.digest_id == Alert.id),
            )
            .group_by(Alert.user_id)
        )
        counts: dict[int, int] = {}
        first: dict[int, datetime] = {}
        for user_id, count, earliest in rows:
            counts[user_id] = count
            if earliest is not None:
                first[user_id] = earliest
        return counts, first

    # --- send ------------------------------------------------------------------------------

    async def _send(self, push: Push, now: datetime, deliveries: _Deliveries) -> None:
        body = push.payload.encode()
        lead = push.lead
        ttl = TTL_SECONDS.get(lead.kind, DEFAULT_TTL_SECONDS)

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

    # --- record ----------------------------------------------------------------------------

    async def _record(self, session: AsyncSession, plan: Plan, now: datetime) -> None:
        rows = dict(plan.settled)
        gone: set[int] = set()
        device_rows: list[dict[str, object]] = []
        alerts: dict[int, Alert] = {}
        results: dict[int, list[PushResult]] = defaultdict(list)
        digest_of: dict[int, int] = {}
        for push in plan.pushes:
            for device, result in push.results:
                if result.outcome is Outcome.GONE:
                    gone.add(device.id)
                    continue
                ok = result.outcome is Outcome.DELIVERED
                device_rows.append(
                    {
                        "device_id": device.id,
                        "last_success_at": now if ok else device.last_success_at,
                        "last_failure_at": device.last_failure_at if ok else now,
                    }
                )
            for alert in push.alerts:
                alerts[alert.id] = alert
                results[alert.id].extend(result for _, result in push.results)
                if len(push.alerts) > 1:
                    digest_of[alert.id] = push.lead.id
        for alert_id, alert in alerts.items():
            found = results[alert_id]
            outcomes = {result.outcome for result in found}
            first = _first_sent(alert, plan.delivered.get(alert_id, {}))
            if first is None and Outcome.DELIVERED in outcomes:
                first = now
            digest_id = digest_of.get(alert_id, alert.digest_id)
            bugs = [r for r in found if r.outcome is Outcome.BUG]
            refused = f"refused: {bugs[0].status} {bugs[0].detail}" if bugs else None
            if Outcome.RETRY in outcomes:
                # Only the devices still missing it are tried again.
                retry = [r for r in found if r.outcome is Outcome.RETRY]
                rows[alert_id] = self._retry(alert, retry, now, first, digest_id)
            elif first is not None:
                rows[alert_id] = _done(
                    alert, PushState.SENT, first, digest_id=digest_id, error=refused
                )
            elif outcomes == {Outcome.GONE}:
                rows[alert_id] = _done(alert, PushState.SKIPPED, None, error="device gone")
            else:
                rows[alert_id] = _failed(alert, refused or "refused")
        if rows:
            # Core executemany: one statement for the whole batch.
            table = cast(Table, Alert.__table__)
            await session.execute(
                update(table)
                .where(table.c.id == bindparam("alert_id"), table.c.claimed_by == self.name)
                .values(
                    {
                        name: bindparam(name)
                        for name in (
                            "push_state",
                            "attempts",
                            "next_attempt_at",
                            "sent_at",
                            "digest_id",
                            "push_error",
                            "claimed_by",
                            "claimed_until",
                        )
                    }
                ),
                [{"alert_id": alert_id, **values} for alert_id, values in rows.items()],
            )
        if device_rows:
            devices = cast(Table, PushSubscription.__table__)
            await session.execute(
                update(devices)
                .where(devices.c.id == bindparam("device_id"))
                .values(
                    last_success_at=bindparam("last_success_at"),
                    last_failure_at=bindparam("last_failure_at"),
                ),
                device_rows,
            )
        if gone:
            # The browser unsubscribed or the push service forgot the device (404/410).
            await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))

    def _retry(
        self,
        alert: Alert,
        results: list[PushResult],
        now: datetime,
        sent_at: datetime | None,
        digest_id: int | None,
    ) -> dict[str, object]:
        attempts = alert.attempts + 1
        last = results[0]
        detail = f"{last.status or 'no answer'}: {last.detail}"
        if attempts >= self.policy.max_attempts:
            gave_up = f"gave up after {attempts} attempts ({detail})"
            if sent_at is not None:
                # Another device has it: pushed, with a note of the one that never took it.
                return {
                    **_done(alert, PushState.SENT, sent_at, digest_id=digest_id, error=gave_up),
                    "attempts": attempts,
                }
            return _failed(alert, gave_up)
        # What the push service asked for wins over our own schedule (RFC 8030 section 8.4).
        asked = max((r.retry_after for r in results if r.retry_after is not None), default=None)
        delay = asked if asked is not None else self.policy.backoff * 2 ** (attempts - 1)
        delay = min(max(delay, timedelta(seconds=1)), self.policy.backoff_max)
        return {
            **_base(alert),
            "attempts": attempts,
            "next_attempt_at": now + delay,
            "sent_at": sent_at,
            "digest_id": digest_id,
            "push_error": detail[:ERROR_MAX],
        }


def _s(seconds: int) -> timedelta:
    return timedelta(seconds=seconds)


def _first_sent(alert: Alert, delivered: dict[int, datetime]) -> datetime | None:
    """When a push service first took this alert for one of its user's devices, if ever."""
    times = [t for t in (alert.sent_at, *delivered.values()) if t is not None]
    return min(times, default=None)


def _base(alert: Alert) -> dict[str, object]:
    return {
        "push_state": PushState.QUEUED,
        "attempts": alert.attempts,
        "next_attempt_at": alert.next_attempt_at,
        "sent_at": alert.sent_at,
        "digest_id": alert.digest_id,
        "push_error": alert.push_error,
        "claimed_by": None,
        "claimed_until": None,
    }


def _hold(alert: Alert, until: datetime) -> dict[str, object]:
    """Not sent yet (the user's push cap): back to the queue, no attempt spent."""
    return {**_base(alert), "next_attempt_at": until}


def _done(
    alert: Alert,
    state: PushState,
    sent_at: datetime | None,
    *,
    digest_id: int | None = None,
    error: str | None = None,
) -> dict[str, object]:
    return {
        **_base(alert),
        "push_state": state,
        "attempts": alert.attempts + (sent_at is not None),
        "sent_at": sent_at,
        "digest_id": digest_id,
        "push_error": error,
    }


def _failed(alert: Alert, detail: str) -> dict[str, object]:
    return {
        **_base(alert),
        "push_state": PushState.FAILED,
        "attempts": alert.attempts + 1,
        "push_error": detail[:ERROR_MAX],
    }
