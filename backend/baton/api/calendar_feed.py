"""GET /calendar/{token}.ics: a user's private iCalendar feed (RFC 5545), written by hand.

Calendar apps poll the address without cookies, so the token in the URL is the credential
(domain/calendar_feeds.py). Times are in the user's store time zone with its VTIMEZONE, each
item has a stable UID, and SEQUENCE follows the row's version so apps take updates."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from baton.clock import Clock
from baton.db.models import BookingStatus
from baton.domain.calendar_feeds import FeedContents, feed_contents

TASK_MINUTES = 15
PRODID = "-//Baton//Baton calendar//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space, never inside a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(tz: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The UTC instants at which the zone's offset changes between start and end."""
    found = []
    day = start
    while day < end:
        following = day + timedelta(days=1)
        if tz.utcoffset(day) != tz.utcoffset(following):
            low, high = day, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if tz.utcoffset(middle) == tz.utcoffset(low):
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        day = following
    return found


def vtimezone(name: str, now: datetime) -> list[str]:
    tz = ZoneInfo(name)
    start, end = (now - timedelta(days=400)).astimezone(UTC), (now + timedelta(days=800))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    changes = _transitions(tz, start.replace(tzinfo=UTC), end.astimezone(UTC))
    if not changes:
        offset = _offset(tz.utcoffset(now))
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            f"TZNAME:{now.astimezone(tz).tzname()}",
            "END:STANDARD",
        ]
    for instant in changes:
        before = tz.utcoffset(instant - timedelta(minutes=1))
        after = tz.utcoffset(instant)
        local = instant.astimezone(tz)
        kind = "DAYLIGHT" if local.dst() else "STANDARD"
        wall = (instant.replace(tzinfo=None) + (before or timedelta())).strftime("%Y%m%dT%H%M%S")
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{wall}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}",
            f"TZNAME:{local.tzname()}",
            f"END:{kind}",
        ]
    return [*lines, "END:VTIMEZONE"]


def _event(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    stamp: datetime,
    sequence: int,
    tz: ZoneInfo,
    status: str,
) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;TZID={tz.key}:{_local(start, tz)}",
        f"DTEND;TZID={tz.key}:{_local(end, tz)}",
        f"SUMMARY:{_escape(summary)}",
        f"SEQUENCE:{sequence}",
        f"STATUS:{status}",
        "END:VEVENT",
    ]


def write_calendar(contents: FeedContents, now: datetime, host: str) -> str:
    tz = ZoneInfo(contents.time_zone)
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape('Baton · ' + contents.user.display_name)}",
        f"X-WR-TIMEZONE:{contents.time_zone}",
        *vtimezone(contents.time_zone, now),
    ]
    events: Iterable[list[str]] = [
        *(
            _event(
                f"car-booking-{item.booking.id}@{host}",
                item.booking.starts_at,
                item.booking.ends_at,
                item.summary,
                now,
                item.booking.version,
                tz,
                "TENTATIVE" if item.booking.status is BookingStatus.NEEDS_CAR else "CONFIRMED",
            )
            for item in contents.bookings
        ),
        *(
            _event(
                f"task-{item.task.id}@{host}",
                item.task.due_at,
                item.task.due_at + timedelta(minutes=TASK_MINUTES),
                item.summary,
                now,
                item.task.version,
                tz,
                "CONFIRMED",
            )
            for item in contents.tasks
        ),
    ]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def calendar_routes(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> list[Route]:
    async def feed(request: Request) -> Response:
        token = request.path_params["token"]
        async with sessions() as session:
            contents = await feed_contents(session, token, clock.now())
        if contents is None:
            return PlainTextResponse("not found", status_code=404)
        body = write_calendar(contents, clock.now(), "baton")
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"cache-control": "private, max-age=300", "referrer-policy": "no-referrer"},
        )

    return [Route("/calendar/{token}.ics", feed, methods=["GET", "HEAD"])]
