"""Abilities reach the phone from the domain's one table: `me.abilities` and `viewerCan` on the
objects a user acts on, so no screen works out a role's rights again."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from tests.api.cars.test_calendar_api import CHECK_OUT, WEEK, book, car
from tests.support.api import ApiClient
from tests.support.cars import FRIDAY, SATURDAY, Fleet, at, make_fleet
from tests.support.counts import row_counts
from tests.support.world import World

ME = "{ me { abilities } }"
VIEWER_CAN = """query($start: Date) { carWeek(start: $start) {
  cars { id viewerCan } bookings { id viewerCan } } }"""


@pytest.fixture
async def fleet(db: AsyncSession, world: World) -> Fleet:
    return await make_fleet(db, world)


async def test_me_lists_the_actions_of_my_role(api: ApiClient) -> None:
    await api.login_as("technician")
    technician = (await api.data(ME))["me"]["abilities"]
    assert "TURN_CAR_AROUND" in technician and "RAISE_CASE" in technician
    assert "BOOK_CAR" not in technician
    await api.login_as("store_manager")
    manager = (await api.data(ME))["me"]["abilities"]
    assert {"MANAGE_CARS", "MANAGE_STAFF", "APPROVE_DATE_CHANGE", "DECIDE_CASE"} <= set(manager)


async def test_a_booking_tells_each_viewer_what_they_may_do_with_it(
    api: ApiClient, fleet: Fleet
) -> None:
    await api.login_as("sales_consultant")
    booked = await book(api, fleet.car_id, at(FRIDAY, 10), at(FRIDAY, 12))
    booking_id = booked["booking"]["id"]
    start = {"start": "2026-11-23"}

    def of(week: dict, booking: str) -> set[str]:
        return set(next(b for b in week["bookings"] if b["id"] == booking)["viewerCan"])

    sales_view = (await api.data(VIEWER_CAN, start))["carWeek"]
    assert of(sales_view, booking_id) == {"CANCEL_BOOKING", "HAND_OVER_CAR"}
    await api.login_as("service_advisor")
    advisor_view = (await api.data(VIEWER_CAN, start))["carWeek"]
    assert of(advisor_view, booking_id) == {"PREEMPT_BOOKING"}
    await api.login_as("technician")
    technician_view = (await api.data(VIEWER_CAN, start))["carWeek"]
    assert of(technician_view, booking_id) == set()
    assert all(c["viewerCan"] == ["TURN_CAR_AROUND"] for c in technician_view["cars"])


async def test_a_booking_in_the_sales_window_is_not_offered_to_service_to_preempt(
    api: ApiClient, fleet: Fleet
) -> None:
    await api.login_as("sales_consultant")
    booked = await book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12))
    await api.login_as("service_advisor")
    week = (await api.data(VIEWER_CAN, {"start": "2026-11-23"}))["carWeek"]
    mine = next(b for b in week["bookings"] if b["id"] == booked["booking"]["id"])
    assert set(mine["viewerCan"]) == set()


async def test_a_technicians_check_out_is_refused_and_writes_nothing(
    api: ApiClient, db: AsyncSession, clock: ManualClock, fleet: Fleet
) -> None:
    await api.login_as("service_advisor")
    booked = await book(api, fleet.car_id, at(FRIDAY, 10), at(FRIDAY, 12))
    clock.set(at(FRIDAY, 10))
    await api.login_as("technician")
    before = await row_counts(db, models.CarBooking, models.CarUse, models.AuditEntry)
    refused = (
        await api.data(
            CHECK_OUT.replace("__typename", "__typename ... on ForbiddenError { message }", 1),
            {"i": {"bookingId": booked["booking"]["id"], "odometerKm": 1300, "chargePercent": 80}},
        )
    )["checkOutCar"]
    assert refused["__typename"] == "ForbiddenError"
    assert await row_counts(db, models.CarBooking, models.CarUse, models.AuditEntry) == before
    week = (await api.data(WEEK, {"start": "2026-11-23"}))["carWeek"]
    assert {c["id"]: c["status"] for c in week["cars"]}[car(fleet.car_id)] == "AVAILABLE"
