"""Alerts (提醒): the one entry point that raises them, quiet hours, and the user's inbox.

`raise_alert` writes the inbox entry, which is also the push outbox row, in the caller's
transaction: the change and its alert commit or roll back together. The dispatcher
(notify/dispatcher.py) pushes due rows later; nothing here talks to the network. An alert
due now rings the outbox (db/outbox.py), so the commit wakes the dispatcher at once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Alert, AlertKind, PushState, User
from baton.db.outbox import ring_after_commit
from baton.domain.access import Actor
from baton.domain.errors import FieldChecks, NotFound
from baton.domain.stores import StoreClock, user_clock
from baton.texts import LANGUAGES

# Store-local; a user may choose others (updateAlertPreferences). Equal start and end: none.
DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(8, 0)
URL_MAX = 300
TAG_MAX = 64
INBOX_PAGE_MAX = 100


def quiet_hours_of(user: User) -> tuple[time, time]:
    return (
        user.quiet_hours_start or DEFAULT_QUIET_START,
        user.quiet_hours_end or DEFAULT_QUIET_END,
    )


def after_quiet_hours(moment: datetime, start: time, end: time, time_zone: str) -> datetime:
    """`moment`, or the end of the quiet hours it falls in (store-local, may span midnight)."""
    if start == end:
        return moment
    clock = StoreClock(time_zone)
    local = clock.local(moment)
    now_time = local.time().replace(tzinfo=None)
    day = local.date()
    if start < end:
        if not start <= now_time < end:
            return moment
    elif end <= now_time < start:
        return moment
    elif now_time >= start:
        day += timedelta(days=1)
    return clock.at(day, end).astimezone(UTC)


async def raise_alert(
    session: AsyncSession,
    *,
    user_id: int,
    kind: AlertKind,
    params: dict[str, Any],
    url: str,
    now: datetime,
    subject_type: str | None = None,
    subject_id: int | None = None,
    customer_id: int | None = None,
    dedupe_key: str | None = None,
    tag: str | None = None,
    urgent: bool = False,
    due_at: datetime | None = None,
) -> int | None:
    """Queue one alert for one user, in the caller's transaction; the id, or None when skipped.

    Its title and body are rendered from `kind` and `params` when read or pushed. Who is told
    of what is decided in journeys/who_is_told.py, the one caller besides tests.

    Skipped: the same `dedupe_key` was already raised for this user (the same task and
    reason alert once), or the user is inactive. `url` is an in-app path ("/tasks/…").
    Quiet hours move the push (not the inbox entry) to their end unless `urgent` ("customer
    is here now"), which also makes the push high-urgency with a short TTL.
    """
    if not url.startswith("/") or url.startswith("//") or len(url) > URL_MAX:
        raise ValueError(f"alert url must be an in-app path, got {url!r}")
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    wanted = max(due_at or now, now)
    if not urgent:
        start, end = quiet_hours_of(user)
        wanted = after_quiet_hours(wanted, start, end, (await user_clock(session, user)).time_zone)
    if tag is None:
        tag = f"{subject_type}-{subject_id}" if subject_type else kind.value
    values = {
        "user_id": user_id,
        "kind": kind,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "customer_id": customer_id,
        "params": params,
        "url": url,
        "tag": tag[:TAG_MAX],
        "dedupe_key": dedupe_key,
        "urgent": urgent,
        "created_at": now,
        "due_at": wanted,
        "push_state": PushState.QUEUED,
        "attempts": 0,
        "next_attempt_at": wanted,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING, not check-then-insert: two requests racing on the same
    # trigger must not fail the change that raised them.
    statement = (
        insert(Alert)
        .values(values)
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(Alert.id)
    )
    alert_id: int | None = await session.scalar(statement)
    if alert_id is not None and wanted <= now:
        # Pushed as soon as this transaction commits, not at the dispatcher's next poll.
        await ring_after_commit(session)
    return alert_id


# --- the inbox ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxPage:
    alerts: list[Alert]
    has_next: bool


async def inbox_page(
    session: AsyncSession, actor: Actor, *, first: int, after_id: int | None, now: datetime
) -> InboxPage:
    """The actor's own alerts, newest first; an alert still held by quiet hours shows too."""
    first = max(1, min(first, INBOX_PAGE_MAX))
    query = select(Alert).where(Alert.user_id == actor.id)
    if after_id is not None:
        query = query.where(Alert.id < after_id)
    rows = list(await session.scalars(query.order_by(Alert.id.desc()).limit(first + 1)))
    return InboxPage(alerts=rows[:first], has_next=len(rows) > first)


async def unread_count(session: AsyncSession, actor: Actor) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Alert)
        .where(Alert.user_id == actor.id, Alert.read_at.is_(None))
    )
    return int(count or 0)


async def mark_read(session: AsyncSession, actor: Actor, alert_id: int, *, now: datetime) -> Alert:
    alert = await session.get(Alert, alert_id)
    # Someone else's alert looks exactly like a missing one.
    if alert is None or alert.user_id != actor.id:
        raise NotFound("Alert", "input.id")
    if alert.read_at is None:
        alert.read_at = now
    return alert


async def mark_all_read(session: AsyncSession, actor: Actor, *, now: datetime) -> User:
    await session.execute(
        update(Alert)
        .where(Alert.user_id == actor.id, Alert.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return actor.user


def _parse_time(checks: FieldChecks, path: str, value: str) -> time | None:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        checks.fail(path, "invalid_time")
        return None


async def update_preferences(
    session: AsyncSession,
    actor: Actor,
    *,
    quiet_hours_start: str | None,
    quiet_hours_end: str | None,
    language: str | None,
) -> User:
    """Quiet hours (store-local HH:MM; start equal to end means none) and push language."""
    checks = FieldChecks()
    user = actor.user
    start = user.quiet_hours_start
    end = user.quiet_hours_end
    if quiet_hours_start is not None:
        start = _parse_time(checks, "input.quietHoursStart", quiet_hours_start)
    if quiet_hours_end is not None:
        end = _parse_time(checks, "input.quietHoursEnd", quiet_hours_end)
    if language is not None and language not in LANGUAGES:
        checks.fail("input.language", "unknown_language", allowed=list(LANGUAGES))
    checks.raise_if_any()
    user.quiet_hours_start, user.quiet_hours_end = start, end
    if language is not None:
        user.language = language
    await session.flush()
    return user
