"""Private calendar feeds (日历订阅): a user's bookings and task deadlines at an address only
they know, for the phone's calendar app. The address holds a random token (no cookie: calendar
apps send none); the database keeps only its SHA-256, and a new address revokes the old."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import (
    BookingStatus,
    CalendarFeed,
    Car,
    CarBooking,
    Task,
    TaskState,
    User,
)
from baton.domain.access import Actor
from baton.domain.errors import Reason, RuleViolation
from baton.domain.history import add_audit_entry
from baton.domain.stores import user_clock
from baton.domain.wording import task_wording
from baton.texts import Reader

# What a feed shows: from a month back, at most this many of each.
LOOK_BACK = timedelta(days=30)
ITEMS_MAX = 500


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _revoke_all(session: AsyncSession, user_id: int, now: datetime) -> int:
    result = await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def issue_feed(
    session: AsyncSession, actor: Actor, *, now: datetime
) -> tuple[CalendarFeed, str]:
    """A new private address; the one before it stops working. The token is shown once."""
    await _revoke_all(session, actor.id, now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=actor.id, token_hash=token_hash(token), created_at=now)
    session.add(feed)
    await session.flush()
    add_audit_entry(session, actor, action="issue_calendar_feed", entity=feed, now=now)
    return feed, token


async def revoke_feed(session: AsyncSession, actor: Actor, *, now: datetime) -> CalendarFeed:
    feed = await session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )
    if feed is None:
        raise RuleViolation([Reason("no_feed")])
    feed.revoked_at = now
    await session.flush()
    add_audit_entry(session, actor, action="revoke_calendar_feed", entity=feed, now=now)
    return feed


async def active_feed(session: AsyncSession, actor: Actor) -> CalendarFeed | None:
    return await session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class FeedBooking:
    booking: CarBooking
    summary: str


@dataclass(frozen=True)
class FeedTask:
    task: Task
    summary: str


@dataclass(frozen=True)
class FeedContents:
    user: User
    time_zone: str
    bookings: list[FeedBooking]
    tasks: list[FeedTask]


async def feed_contents(session: AsyncSession, token: str, now: datetime) -> FeedContents | None:
    """What the address shows, or None for an unknown or revoked token: only its user's own
    bookings and open task deadlines, worded in their language."""
    feed = await session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == token_hash(token), CalendarFeed.revoked_at.is_(None)
        )
    )
    user = await session.get(User, feed.user_id) if feed is not None else None
    if user is None or not user.is_active:
        return None
    time_zone = (await user_clock(session, user)).time_zone
    reader = Reader(user.language, time_zone)
    since = now - LOOK_BACK
    rows = await session.execute(
        select(CarBooking, Car.plate)
        .join(Car, Car.id == CarBooking.car_id)
        .where(
            CarBooking.booked_by_id == user.id,
            CarBooking.status != BookingStatus.CANCELLED,
            CarBooking.ends_at >= since,
        )
        .order_by(CarBooking.starts_at)
        .limit(ITEMS_MAX)
    )
    bookings = [
        FeedBooking(
            booking,
            reader.say(
                "calendar.booking",
                {
                    "plate": plate,
                    "department": booking.department.value,
                    "purpose": booking.purpose,
                    "needs_car": booking.status is BookingStatus.NEEDS_CAR,
                },
            ),
        )
        for booking, plate in rows.all()
    ]
    tasks = await session.scalars(
        select(Task)
        .where(Task.assignee_id == user.id, Task.state == TaskState.OPEN, Task.due_at >= since)
        .order_by(Task.due_at)
        .limit(ITEMS_MAX)
    )
    worded = []
    for task in tasks:
        wording = task_wording(task)
        worded.append(FeedTask(task, reader.say(wording.key, wording.params)))
    return FeedContents(user, time_zone, bookings, worded)
