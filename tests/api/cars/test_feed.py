"""The private iCalendar feed, parsed as calendar apps do (the `icalendar` package): only the
user's own bookings and task deadlines, in the store's time zone with its VTIMEZONE, stable
UIDs and a SEQUENCE that moves with each change; the address needs no cookie and is revocable."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy.ext.asyncio import AsyncSession

from baton.api.cars.feed import vtimezone
from baton.clock import ManualClock
from baton.db import models
from baton.domain.journeys.cars.booking import book_car
from baton.domain.journeys.cars.preemption import preempt_booking
from tests.conftest import AsUser
from tests.support.api import ApiClient
from tests.support.cars import SATURDAY, Fleet, at, make_fleet
from tests.support.world import World

ISSUE = """mutation { issueCalendarFeed(input: {}) { __typename
  ... on CalendarFeedSuccess { url feed { id createdAt } } } }"""
REVOKE = """mutation { revokeCalendarFeed(input: {}) { __typename
  ... on CalendarFeedSuccess { feed { revokedAt } } } }"""


@pytest.fixture
async def fleet(db: AsyncSession, world: World) -> Fleet:
    return await make_fleet(db, world)


async def fetch(api: ApiClient, url: str) -> Calendar:
    api.http.cookies.clear()  # calendar apps send no cookie
    response = await api.http.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


async def test_the_feed_holds_only_my_bookings_and_task_deadlines_in_my_store_time_zone(
    api: ApiClient, db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    mine = await book_car(
        db,
        advisor,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        purpose="客户代步",
        now=clock.now(),
    )
    theirs = await book_car(
        db,
        sales,
        fleet.second_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    task = models.Task(
        store_id=advisor.user.store_id or 0,
        kind="welcome_callback",
        params={"customer": "王芳"},
        assignee_id=advisor.id,
        due_at=at(25, 15),
        state=models.TaskState.OPEN,
        created_at=clock.now(),
    )
    db.add(task)
    await db.commit()
    await api.login_as("service_advisor")
    url = (await api.data(ISSUE))["issueCalendarFeed"]["url"]
    assert url.startswith("/calendar/") and url.endswith(".ics")
    calendar = await fetch(api, url)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    found = events(calendar)
    assert set(found) == {f"car-booking-{mine.id}@baton", f"task-{task.id}@baton"}
    assert f"car-booking-{theirs.id}@baton" not in found
    booking = found[f"car-booking-{mine.id}@baton"]
    start = booking["DTSTART"].dt  # type: ignore[index]
    assert start == at(SATURDAY, 10) and start.utcoffset() == timedelta(hours=8)
    assert booking["DTSTART"].params["TZID"] == "Asia/Shanghai"  # type: ignore[index]
    assert fleet.car.plate in str(booking["SUMMARY"]) and "客户代步" in str(booking["SUMMARY"])  # type: ignore[index]
    assert "王芳" in str(found[f"task-{task.id}@baton"]["SUMMARY"])  # type: ignore[index]


async def test_a_moved_booking_keeps_its_uid_and_raises_its_sequence(
    api: ApiClient, db: AsyncSession, as_user: AsUser, clock: ManualClock, fleet: Fleet
) -> None:
    advisor = await as_user("service_advisor")
    sales = await as_user("sales_consultant")
    mine = await book_car(
        db,
        advisor,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        now=clock.now(),
    )
    await db.commit()
    uid = f"car-booking-{mine.id}@baton"
    await api.login_as("service_advisor")
    url = (await api.data(ISSUE))["issueCalendarFeed"]["url"]
    before = events(await fetch(api, url))[uid]
    await preempt_booking(
        db,
        sales,
        fleet.car_id,
        starts_at=at(SATURDAY, 10),
        ends_at=at(SATURDAY, 12),
        reason="VIP",
        now=clock.now(),
    )
    await db.commit()
    after = events(await fetch(api, url))[uid]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])  # type: ignore[index]
    assert fleet.backup[0].plate in str(after["SUMMARY"])  # type: ignore[index]


async def test_a_revoked_or_replaced_address_answers_404(api: ApiClient, fleet: Fleet) -> None:
    await api.login_as("service_advisor")
    first = (await api.data(ISSUE))["issueCalendarFeed"]["url"]
    second = (await api.data(ISSUE))["issueCalendarFeed"]["url"]
    assert first != second
    assert (await api.http.get(first)).status_code == 404
    assert (await api.http.get(second)).status_code == 200
    await api.login_as("service_advisor")
    assert (await api.data(REVOKE))["revokeCalendarFeed"]["feed"]["revokedAt"]
    assert (await api.http.get(second)).status_code == 404
    assert (await api.http.get("/calendar/not-a-token.ics")).status_code == 404


def test_a_zone_with_summer_time_gets_both_observances_right() -> None:
    now = datetime(2026, 11, 23, 2, tzinfo=ZoneInfo("UTC"))
    text = (
        "\r\n".join(
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//t//t//EN",
                *vtimezone("Europe/Berlin", now),
                "END:VCALENDAR",
            ]
        )
        + "\r\n"
    )
    [zone] = Calendar.from_ical(text).walk("VTIMEZONE")
    kinds = {sub.name for sub in zone.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    tz = zone.to_tz()
    assert tz.utcoffset(datetime(2027, 7, 1, 12)) == timedelta(hours=2)
    assert tz.utcoffset(datetime(2027, 1, 15, 12)) == timedelta(hours=1)
