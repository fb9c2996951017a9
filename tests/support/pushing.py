"""Shared by the push tests: a device subscribed on the loopback push service, an alert
about a new task, an alert's row as stored, and the dispatch policy the tests start from."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain import push_devices, tasks
from baton.domain.access import Actor
from baton.domain.alerts import raise_alert
from baton.notify.policy import DispatchPolicy
from baton.notify.vapid import VapidKeys
from tests.support.push_service import BrowserSubscription, PushService

LOOPBACK = push_devices.EndpointPolicy(allowed_hosts=(), allow_loopback=True)
POLICY = DispatchPolicy(sub="mailto:ops@baton.example", time_limit=2.0)
AsUser = Callable[..., Awaitable[Actor]]


async def device(
    db: AsyncSession, actor: Actor, service: PushService, clock: ManualClock, keys: VapidKeys
) -> BrowserSubscription:
    browser = service.make_subscription(application_server_key=keys.application_server_key)
    await push_devices.subscribe(
        db, actor, browser.to_json(), user_agent="test phone", policy=LOOPBACK, now=clock.now()
    )
    await db.commit()
    return browser


async def alert(
    db: AsyncSession, actor: Actor, clock: ManualClock, n: int = 1, **fields: Any
) -> int:
    """An alert about a new task for customer "客户<n>", due at 12:00 Shanghai."""
    task = await tasks.create_task(
        db,
        store_id=actor.user.store_id or 0,
        kind="welcome_callback",
        params={"customer": f"客户{n}"},
        assignee_id=actor.id,
        due_at=datetime(2026, 11, 24, 4, 0, tzinfo=UTC),
        now=clock.now(),
    )
    values: dict[str, Any] = {
        "kind": models.AlertKind.TASK_ASSIGNED,
        "params": {},
        "url": f"/tasks/{n}",
        "tag": f"task-{n}",
        "subject_type": "Task",
        "subject_id": task.id,
    }
    values.update(fields)
    alert_id = await raise_alert(db, user_id=actor.id, now=clock.now(), **values)
    await db.commit()
    assert alert_id is not None
    return alert_id


async def state(db: AsyncSession, alert_id: int) -> models.Alert:
    row = await db.get(models.Alert, alert_id, populate_existing=True)
    assert row is not None
    return row
