"""Planning a claimed batch: which payload goes to which of a user's devices, and which
alerts settle without a push (every device has it already, too late, no device, or held back
by the user's cap). Also the column values an alert is left with, shared with settle.py."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Alert, PushDelivery, PushState, PushSubscription, Store, User
from baton.domain.stores import clock_in
from baton.domain.wording import AlertFacts, alert_facts
from baton.notify.payload import Payload, alert_payload, digest_payload, ttl_seconds
from baton.notify.policy import DispatchPolicy
from baton.notify.webpush import PushResult
from baton.texts import Reader

ERROR_MAX = 200


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


async def plan_pushes(
    session: AsyncSession, alerts: list[Alert], now: datetime, policy: DispatchPolicy
) -> Plan:
    user_ids = {alert.user_id for alert in alerts}
    readers = await _readers(session, user_ids, now)
    facts = await alert_facts(session, alerts)
    devices: dict[int, list[PushSubscription]] = defaultdict(list)
    for device in await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id.in_(user_ids))
        .order_by(PushSubscription.id)
    ):
        devices[device.user_id].append(device)
    recent = await _sent_since(session, user_ids, now - policy.digest_window)
    pushes, first_push = await _pushes_since(session, user_ids, now - policy.rate_window)

    plan = Plan(delivered=await _delivered(session, [alert.id for alert in alerts]))
    missing: dict[int, list[PushSubscription]] = {}
    by_user: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        expires = alert.due_at + timedelta(seconds=ttl_seconds(alert.kind))
        earlier = plan.delivered.get(alert.id, {})
        first = first_sent(alert, earlier)
        missing[alert.id] = [d for d in devices.get(alert.user_id, []) if d.id not in earlier]
        if first is not None and (not missing[alert.id] or now > expires):
            # Every device has it (a dispatcher died before settling), or too late for
            # the rest: it was pushed.
            plan.settled[alert.id] = finished(alert, PushState.SENT, first)
        elif now > expires:
            plan.settled[alert.id] = failed(alert, "expired before it could be pushed")
        elif not missing[alert.id]:
            plan.settled[alert.id] = finished(alert, PushState.SKIPPED, None)
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
                plan.settled[alert.id] = held(alert, max(resume, now + timedelta(seconds=1)))
            continue
        if recent.get(user_id, 0) + len(ordinary) > policy.digest_threshold and len(ordinary) > 1:
            plan.pushes.extend(_digests(ordinary, missing, devices[user_id], facts, reader))
            continue
        for alert in ordinary[:allowed]:
            payload = alert_payload(alert, facts[alert.id], reader)
            plan.pushes.append(Push([alert], payload, False, missing[alert.id]))
        resume = now + policy.rate_window / policy.rate_cap
        for alert in ordinary[allowed:]:
            plan.settled[alert.id] = held(alert, resume)
    return plan


def _digests(
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


async def _delivered(session: AsyncSession, alert_ids: list[int]) -> dict[int, dict[int, datetime]]:
    rows = await session.execute(
        select(PushDelivery.alert_id, PushDelivery.device_id, PushDelivery.sent_at).where(
            PushDelivery.alert_id.in_(alert_ids)
        )
    )
    found: dict[int, dict[int, datetime]] = defaultdict(dict)
    for alert_id, device_id, sent_at in rows:
        found[alert_id][device_id] = sent_at
    return found


async def _readers(session: AsyncSession, user_ids: set[int], now: datetime) -> dict[int, Reader]:
    """Each user's reader; a push says its times relative to `now`, when it is sent."""
    found = await session.execute(
        select(User.id, User.language, Store.time_zone)
        .outerjoin(Store, Store.id == User.store_id)
        .where(User.id.in_(user_ids))
    )
    return {
        user_id: Reader(language, clock_in(time_zone).time_zone, now)
        for user_id, language, time_zone in found
    }


async def _sent_since(session: AsyncSession, user_ids: set[int], since: datetime) -> dict[int, int]:
    rows = await session.execute(
        select(Alert.user_id, func.count())
        .where(Alert.user_id.in_(user_ids), Alert.sent_at >= since)
        .group_by(Alert.user_id)
    )
    return {user_id: count for user_id, count in rows}


async def _pushes_since(
    session: AsyncSession, user_ids: set[int], since: datetime
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


# --- what an alert is left with --------------------------------------------------------------


def first_sent(alert: Alert, delivered: dict[int, datetime]) -> datetime | None:
    """When a push service first took this alert for one of its user's devices, if ever."""
    times = [t for t in (alert.sent_at, *delivered.values()) if t is not None]
    return min(times, default=None)


def released(alert: Alert) -> dict[str, object]:
    """The alert as it was, queued and no longer claimed."""
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


def held(alert: Alert, until: datetime) -> dict[str, object]:
    """Not sent yet (the user's push cap): back to the queue, no attempt spent."""
    return {**released(alert), "next_attempt_at": until}


def finished(
    alert: Alert,
    state: PushState,
    sent_at: datetime | None,
    *,
    digest_id: int | None = None,
    error: str | None = None,
) -> dict[str, object]:
    return {
        **released(alert),
        "push_state": state,
        "attempts": alert.attempts + (sent_at is not None),
        "sent_at": sent_at,
        "digest_id": digest_id,
        "push_error": error,
    }


def failed(alert: Alert, detail: str) -> dict[str, object]:
    return {
        **released(alert),
        "push_state": PushState.FAILED,
        "attempts": alert.attempts + 1,
        "push_error": detail[:ERROR_MAX],
    }
