"""Settling a sent batch: each alert sent, tried again (only on the devices still missing it),
failed or skipped; each device's last success or failure; devices their push service forgot
removed. One executemany per table, and only rows the settling dispatcher still holds."""

from collections import defaultdict
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Alert, PushState, PushSubscription
from baton.notify.plan import ERROR_MAX, Plan, failed, finished, first_sent, released
from baton.notify.policy import DispatchPolicy
from baton.notify.webpush import Outcome, PushResult

ALERT_COLUMNS = (
    "push_state",
    "attempts",
    "next_attempt_at",
    "sent_at",
    "digest_id",
    "push_error",
    "claimed_by",
    "claimed_until",
)


async def settle(
    session: AsyncSession, plan: Plan, claimer: str, policy: DispatchPolicy, now: datetime
) -> None:
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
        first = first_sent(alert, plan.delivered.get(alert_id, {}))
        if first is None and Outcome.DELIVERED in outcomes:
            first = now
        digest_id = digest_of.get(alert_id, alert.digest_id)
        bugs = [r for r in found if r.outcome is Outcome.BUG]
        refused = f"refused: {bugs[0].status} {bugs[0].detail}" if bugs else None
        if Outcome.RETRY in outcomes:
            # Only the devices still missing it are tried again.
            retry = [r for r in found if r.outcome is Outcome.RETRY]
            rows[alert_id] = _retried(alert, retry, policy, now, first, digest_id)
        elif first is not None:
            rows[alert_id] = finished(
                alert, PushState.SENT, first, digest_id=digest_id, error=refused
            )
        elif outcomes == {Outcome.GONE}:
            rows[alert_id] = finished(alert, PushState.SKIPPED, None, error="device gone")
        else:
            rows[alert_id] = failed(alert, refused or "refused")
    if rows:
        # Core executemany: one statement for the whole batch.
        table = cast(Table, Alert.__table__)
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("alert_id"), table.c.claimed_by == claimer)
            .values({name: bindparam(name) for name in ALERT_COLUMNS}),
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


def _retried(
    alert: Alert,
    results: list[PushResult],
    policy: DispatchPolicy,
    now: datetime,
    sent_at: datetime | None,
    digest_id: int | None,
) -> dict[str, object]:
    attempts = alert.attempts + 1
    last = results[0]
    detail = f"{last.status or 'no answer'}: {last.detail}"
    if attempts >= policy.max_attempts:
        gave_up = f"gave up after {attempts} attempts ({detail})"
        if sent_at is not None:
            # Another device has it: pushed, with a note of the one that never took it.
            return {
                **finished(alert, PushState.SENT, sent_at, digest_id=digest_id, error=gave_up),
                "attempts": attempts,
            }
        return failed(alert, gave_up)
    # What the push service asked for wins over our own schedule (RFC 8030 section 8.4).
    asked = max((r.retry_after for r in results if r.retry_after is not None), default=None)
    delay = asked if asked is not None else policy.backoff * 2 ** (attempts - 1)
    delay = min(max(delay, timedelta(seconds=1)), policy.backoff_max)
    return {
        **released(alert),
        "attempts": attempts,
        "next_attempt_at": now + delay,
        "sent_at": sent_at,
        "digest_id": digest_id,
        "push_error": detail[:ERROR_MAX],
    }
