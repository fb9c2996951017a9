"""GET /calendar/{token}.ics: a user's private iCalendar feed (RFC 5545), written with the
`icalendar` package (escaping, folding, the zone's VTIMEZONE).

Calendar apps poll the address without cookies, so the token in the URL is the credential
(domain/cars/feeds.py). Times are in the user's store time zone with its VTIMEZONE, each
item has a stable UID, and SEQUENCE follows the row's version so apps take updates."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vText
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from baton.clock import Clock
from baton.db.models import BookingStatus
from baton.domain.cars.feeds import FeedContents, feed_contents

TASK_MINUTES = 15
PRODID = "-//Baton//Baton calendar//EN"
# The zone's observances cover what a feed shows (a month back) and what may be booked ahead.
ZONE_BEFORE = timedelta(days=400)
ZONE_AFTER = timedelta(days=800)


def zone_component(name: str, now: datetime) -> Timezone:
    """The zone's VTIMEZONE: its offsets and changes from a while before now to well after."""
    return Timezone.from_tzid(
        name, first_date=(now - ZONE_BEFORE).date(), last_date=(now + ZONE_AFTER).date()
    )


def vtimezone(name: str, now: datetime) -> list[str]:
    """The zone's VTIMEZONE as content lines, to place inside any VCALENDAR."""
    return zone_component(name, now).to_ical(sorted=False).decode().splitlines()


def _event(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    stamp: datetime,
    sequence: int,
    tz: ZoneInfo,
    status: str,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start.astimezone(tz))
    event.add("dtend", end.astimezone(tz))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("status", status)
    return event


def write_calendar(contents: FeedContents, now: datetime, host: str) -> str:
    tz = ZoneInfo(contents.time_zone)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # X- properties are not known to be text, so they are escaped as text explicitly.
    calendar.add("x-wr-calname", vText("Baton · " + contents.user.display_name))
    calendar.add("x-wr-timezone", vText(contents.time_zone))
    calendar.add_component(zone_component(contents.time_zone, now))
    for item in contents.bookings:
        calendar.add_component(
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
        )
    for task in contents.tasks:
        calendar.add_component(
            _event(
                f"task-{task.task.id}@{host}",
                task.task.due_at,
                task.task.due_at + timedelta(minutes=TASK_MINUTES),
                task.summary,
                now,
                task.task.version,
                tz,
                "CONFIRMED",
            )
        )
    return calendar.to_ical(sorted=False).decode()


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
