"""The dispatcher: claims due alerts from the outbox, pushes them, records what happened.

Several dispatchers (app replicas, `baton worker`) may run against one database: a batch is
claimed in one statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the single
writer makes the UPDATE itself the lock), so each alert is pushed by one of them. A claim
expires, so a dispatcher that dies mid-batch gives its alerts back.

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

import httpx
from sqlalchemy import Table, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from baton.clock import Clock
from baton.db.models import Alert, PushState, PushSubscription, Store, User
from baton.domain.stores import default_time_zone
from baton.domain.wording import alert_facts
from baton.notify.payload import (
    DEFAULT_TTL_SECONDS,
    TTL_SECONDS,
    Payload,
    alert_payload,
    digest_payload,
)
from baton.notify.vapid import VapidKeys, audience, vapid_authorization
from baton.notify.webpush import Outcome, PushRequestError, PushResult, send_push
from baton.notify.webpush import PushSubscription as Device
from baton.settings import Settings
from baton.texts import Reader

log = logging.getLogger(__name__)
ERROR_MAX = 200
TOKEN_LIFETIME = timedelta(hours=12)
# Reused for an hour: a push service never sees a token with less than 11 h left.
TOKEN_REUSE = timedelta(hours=1)


@dataclass(frozen=True)
class DispatchPolicy:
    sub: str  # the VAPID contact
    batch_size: int = 200
    concurrency: int = 10  # measured best on 2 cores; more only queues on the CPU
    time_limit: float = 10.0
    max_attempts: int = 6
    backoff: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(hours=1)
    digest_threshold: int = 5
    digest_window: timedelta = timedelta(minutes=10)
    rate_cap: int = 10
    rate_window: timedelta = timedelta(minutes=10)

    @property
    def claim_for(self) -> timedelta:
        # Longer than any batch can take, so a live claim never expires under its owner.
        return timedelta(seconds=self.time_limit * 4 + 60)

    @classmethod
    def from_settings(cls, settings: Settings) -> "DispatchPolicy":
        return cls(
            sub=settings.vapid_subject,
            batch_size=settings.push_batch_size,
            concurrency=settings.push_concurrency,
            time_limit=settings.push_timeout_seconds,
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


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        client: httpx.AsyncClient,
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
        # Shared by every batch of this dispatcher: the bound holds across overlapping runs.
        self._slots = asyncio.Semaphore(policy.concurrency)
        self._tokens: dict[str, tuple[str, datetime]] = {}

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
            plan = await self._plan(session, alerts, now)
            await session.commit()
        await asyncio.gather(*(self._send(push, now) for push in plan.pushes))
        async with self.sessions() as session:
            await self._record(session, plan, now)
            await session.commit()
        return len(alerts)

    async def run(self, stop: asyncio.Event, *, poll_seconds: float) -> None:
        """Until `stop`: a full batch goes straight on to the next, else wait for `poll`."""
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("dispatcher step failed; retrying after the poll interval")
                handled = 0
            if handled < self.policy.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=poll_seconds)

    # --- claim -----------------------------------------------------------------------------

    async def _claim(self, session: AsyncSession, now: datetime) -> list[Alert]:
        due = (
            select(Alert.id)
            .where(
                Alert.push_state == PushState.QUEUED,
                Alert.next_attempt_at <= now,
                or_(Alert.claimed_until.is_(None), Alert.claimed_until < now),
            )
            .order_by(Alert.next_attempt_at, Alert.id)
            .limit(self.policy.batch_size)
            # PostgreSQL: rows another dispatcher is claiming are skipped, not waited for.
            # SQLite compiles this away; its one writer serialises the UPDATE instead.
            .with_for_update(skip_locked=True)
        )
        claimed = await session.scalars(
            update(Alert)
            .where(Alert.id.in_(due.scalar_subquery()))
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
        readers = await self._readers(session, user_ids)
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

        plan = Plan()
        by_user: dict[int, list[Alert]] = defaultdict(list)
        for alert in alerts:
            ttl = TTL_SECONDS.get(alert.kind, DEFAULT_TTL_SECONDS)
            if now > alert.due_at + timedelta(seconds=ttl):
                plan.settled[alert.id] = _failed(alert, "expired before it could be pushed")
            elif not devices.get(alert.user_id):
                plan.settled[alert.id] = _done(alert, PushState.SKIPPED, None)
            else:
                by_user[alert.user_id].append(alert)

        for user_id, waiting in by_user.items():
            reader = readers[user_id]
            mine = devices[user_id]
            # "Customer is here now" is never digested or held back by the cap.
            for alert in (a for a in waiting if a.urgent):
                plan.pushes.append(
                    Push([alert], alert_payload(alert, facts[alert.id], reader), True, mine)
                )
            ordinary = [a for a in waiting if not a.urgent]
            if not ordinary:
                continue
            allowed = policy.rate_cap - pushes.get(user_id, 0)
            if allowed <= 0:
                resume = first_push.get(user_id, now) + policy.rate_window
                for alert in ordinary:
                    plan.settled[alert.id] = _hold(alert, max(resume, now + timedelta(seconds=1)))
                continue
            count = recent.get(user_id, 0) + len(ordinary)
            if count > policy.digest_threshold and len(ordinary) > 0:
                payload = digest_payload(ordinary, facts, count, reader)
                plan.pushes.append(Push(ordinary, payload, False, mine))
                continue
            for alert in ordinary[:allowed]:
                plan.pushes.append(
                    Push([alert], alert_payload(alert, facts[alert.id], reader), False, mine)
                )
            resume = now + policy.rate_window / policy.rate_cap
            for alert in ordinary[allowed:]:
                plan.settled[alert.id] = _hold(alert, resume)
        return plan

    async def _readers(self, session: AsyncSession, user_ids: set[int]) -> dict[int, Reader]:
        found = await session.execute(
            select(User.id, User.language, Store.time_zone)
            .outerjoin(Store, Store.id == User.store_id)
            .where(User.id.in_(user_ids))
        )
        default = default_time_zone()
        return {
            user_id: Reader(language, time_zone or default)
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

    async def _send(self, push: Push, now: datetime) -> None:
        body = push.payload.encode()
        lead = push.lead
        ttl = TTL_SECONDS.get(lead.kind, DEFAULT_TTL_SECONDS)

        async def one(device: PushSubscription) -> tuple[PushSubscription, PushResult]:
            async with self._slots:
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
                    log.error("push %s not sent: %s", lead.id, error)
                    result = PushResult(Outcome.BUG, None, detail=str(error))
                return device, result

        push.results = list(await asyncio.gather(*(one(device) for device in push.devices)))

    # --- record ----------------------------------------------------------------------------

    async def _record(self, session: AsyncSession, plan: Plan, now: datetime) -> None:
        rows = dict(plan.settled)
        gone: set[int] = set()
        device_rows: list[dict[str, object]] = []
        for push in plan.pushes:
            outcomes = {result.outcome for _, result in push.results}
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
            digest_id = push.lead.id if len(push.alerts) > 1 else None
            for alert in push.alerts:
                if Outcome.DELIVERED in outcomes:
                    rows[alert.id] = _done(alert, PushState.SENT, now, digest_id=digest_id)
                elif Outcome.RETRY in outcomes:
                    retry = [r for _, r in push.results if r.outcome is Outcome.RETRY]
                    rows[alert.id] = self._retry(alert, retry, now)
                elif outcomes == {Outcome.GONE}:
                    rows[alert.id] = _done(alert, PushState.SKIPPED, None, error="device gone")
                else:
                    bugs = [r for _, r in push.results if r.outcome is Outcome.BUG]
                    detail = f"refused: {bugs[0].status} {bugs[0].detail}" if bugs else "refused"
                    rows[alert.id] = _failed(alert, detail)
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

    def _retry(self, alert: Alert, results: list[PushResult], now: datetime) -> dict[str, object]:
        attempts = alert.attempts + 1
        last = results[0]
        detail = f"{last.status or 'no answer'}: {last.detail}"
        if attempts >= self.policy.max_attempts:
            return _failed(alert, f"gave up after {attempts} attempts ({detail})")
        delay = self.policy.backoff * 2 ** (attempts - 1)
        asked = max((r.retry_after for r in results if r.retry_after), default=timedelta(0))
        delay = min(max(delay, asked), self.policy.backoff_max)
        return {
            **_base(alert),
            "attempts": attempts,
            "next_attempt_at": now + delay,
            "push_error": detail[:ERROR_MAX],
        }


def _base(alert: Alert) -> dict[str, object]:
    return {
        "push_state": PushState.QUEUED,
        "attempts": alert.attempts,
        "next_attempt_at": alert.next_attempt_at,
        "sent_at": None,
        "digest_id": None,
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
