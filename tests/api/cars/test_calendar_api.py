"""The car calendar over GraphQL: the week view, book, preempt, check out, return, turnaround."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.ids import global_id
from tests.support.api import ApiClient
from tests.support.cars import FRIDAY, SATURDAY, Fleet, at, make_fleet
from tests.support.counts import row_counts
from tests.support.world import World

WEEK = """query($start: Date) { carWeek(start: $start) {
  store { code } policy { serviceWindowStart serviceWindowEnd advanceDays turnaroundMinutes }
  days { date isHoliday serviceWindow { startsAt endsAt } }
  cars { id plate pool status odometerKm chargePercent }
  bookings { id department status startsAt endsAt blockedUntil shortNotice
    car { plate } bookedBy { displayName } customer { name }
    use { odometerOutKm returnedAt damageYuan } notes { kind reason fromPlate toPlate } }
} }"""
BOOK = """mutation($i: BookCarInput!) { bookCar(input: $i) { __typename
  ... on CarBookingSuccess { booking { id department status car { plate } } }
  ... on RuleViolationError { reasons { code message subjectId } }
  ... on NotFoundError { path }
} }"""
PREEMPT = """mutation($i: PreemptBookingInput!) { preemptBooking(input: $i) { __typename
  ... on CarBookingSuccess { booking { id department notes { kind reason } } }
  ... on RuleViolationError { reasons { code message } }
} }"""
CHECK_OUT = """mutation($i: CheckOutCarInput!) { checkOutCar(input: $i) { __typename
  ... on CarUseSuccess { booking { status use { odometerOutKm photosOut } } car { status } }
  ... on RuleViolationError { reasons { code } }
} }"""
RETURN = """mutation($i: ReturnCarInput!) { returnCar(input: $i) { __typename
  ... on CarUseSuccess { booking { status use { odometerInKm damageYuan } } car { status } }
  ... on RuleViolationError { reasons { code } }
} }"""
TURNAROUND = """mutation($i: RecordCarTurnaroundInput!) { recordCarTurnaround(input: $i) {
  __typename ... on CarSuccess { car { status } } ... on RuleViolationError { reasons { code } }
} }"""


@pytest.fixture
async def fleet(db: AsyncSession, world: World) -> Fleet:
    return await make_fleet(db, world)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def car(fleet_car_id: int) -> str:
    return global_id("Car", fleet_car_id)


async def book(api: ApiClient, car_id: int, starts: datetime, ends: datetime, **more: Any) -> Any:
    data = await api.data(
        BOOK, {"i": {"carId": car(car_id), "startsAt": iso(starts), "endsAt": iso(ends), **more}}
    )
    return data["bookCar"]


async def test_the_week_view_shows_cars_days_windows_and_bookings(
    api: ApiClient, fleet: Fleet
) -> None:
    await api.login_as("sales_consultant")
    assert (await book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12)))["__typename"] == (
        "CarBookingSuccess"
    )
    week = (await api.data(WEEK))["carWeek"]
    assert week["store"]["code"] == "S-A"
    assert [d["date"] for d in week["days"]][:1] == ["2026-11-23"]  # today first
    friday, saturday = week["days"][4], week["days"][5]
    assert friday["serviceWindow"]["startsAt"].startswith("2026-11-27T00:00:00")  # 08:00 CST
    assert saturday["serviceWindow"] is None
    assert len(week["cars"]) == 4
    [booking] = week["bookings"]
    assert booking["department"] == "SALES" and booking["car"]["plate"] == fleet.car.plate


async def test_book_preempt_check_out_return_and_turnaround_over_http(
    api: ApiClient, db: AsyncSession, clock: ManualClock, fleet: Fleet
) -> None:
    await api.login_as("service_advisor")
    displaced = await book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12))
    await api.login_as("sales_consultant")
    preempted = (
        await api.data(
            PREEMPT,
            {
                "i": {
                    "carId": car(fleet.car_id),
                    "startsAt": iso(at(SATURDAY, 10)),
                    "endsAt": iso(at(SATURDAY, 12)),
                    "reason": "VIP 试驾",
                }
            },
        )
    )["preemptBooking"]
    assert preempted["__typename"] == "CarBookingSuccess", preempted
    assert preempted["booking"]["notes"] == [{"kind": "preempted", "reason": "VIP 试驾"}]
    week = (await api.data(WEEK))["carWeek"]
    moved = next(b for b in week["bookings"] if b["id"] == displaced["booking"]["id"])
    assert moved["car"]["plate"] == fleet.backup[0].plate
    assert moved["notes"][0]["toPlate"] == fleet.backup[0].plate
    clock.set(at(SATURDAY, 10))
    booking_id = preempted["booking"]["id"]
    out = (
        await api.data(
            CHECK_OUT, {"i": {"bookingId": booking_id, "odometerKm": 1300, "chargePercent": 80}}
        )
    )["checkOutCar"]
    assert out["car"]["status"] == "IN_USE" and out["booking"]["status"] == "CHECKED_OUT"
    back = (
        await api.data(
            RETURN, {"i": {"bookingId": booking_id, "odometerKm": 1350, "chargePercent": 50}}
        )
    )["returnCar"]
    assert (
        back["car"]["status"] == "CLEANING_INSPECTION"
        and back["booking"]["use"]["odometerInKm"] == 1350
    )
    again = await book(api, fleet.car_id, at(SATURDAY + 1, 10), at(SATURDAY + 1, 12))
    assert [r["code"] for r in again["reasons"]] == ["car_not_bookable"]
    await api.login_as("technician")
    done = (
        await api.data(
            TURNAROUND, {"i": {"carId": car(fleet.car_id), "washed": True, "inspected": True}}
        )
    )["recordCarTurnaround"]
    assert done["car"]["status"] == "AVAILABLE"


async def test_a_preemption_outside_the_window_answers_the_rule_and_writes_nothing(
    api: ApiClient, db: AsyncSession, fleet: Fleet
) -> None:
    await api.login_as("sales_consultant")
    await book(api, fleet.car_id, at(FRIDAY, 10), at(FRIDAY, 12))
    await api.login_as("service_advisor")
    before = await row_counts(db, models.CarBooking, models.Alert, models.AuditEntry)
    refused = (
        await api.data(
            PREEMPT,
            {
                "i": {
                    "carId": car(fleet.car_id),
                    "startsAt": iso(at(FRIDAY, 17)),
                    "endsAt": iso(at(FRIDAY, 19)),
                    "reason": "客户等车",
                }
            },
        )
    )["preemptBooking"]
    assert refused["__typename"] == "RuleViolationError"
    assert [r["code"] for r in refused["reasons"]] == ["outside_priority_window"]
    assert "08:00–18:00" in refused["reasons"][0]["message"]
    assert await row_counts(db, models.CarBooking, models.Alert, models.AuditEntry) == before


async def test_booking_replayed_with_its_key_books_once(
    api: ApiClient, db: AsyncSession, fleet: Fleet
) -> None:
    await api.login_as("sales_consultant")
    first = await book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12), clientMutationId="k1")
    second = await book(
        api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12), clientMutationId="k1"
    )
    assert first == second and first["__typename"] == "CarBookingSuccess"
    assert (await row_counts(db, models.CarBooking))["CarBooking"] == 1


async def test_a_short_notice_booking_over_http_is_marked(
    api: ApiClient, clock: ManualClock, fleet: Fleet
) -> None:
    await api.login_as("service_advisor")
    starts = clock.now() + timedelta(hours=1)
    found = await book(api, fleet.car_id, starts, starts + timedelta(hours=2))
    assert found["__typename"] == "CarBookingSuccess"
    week = (await api.data(WEEK))["carWeek"]
    assert week["bookings"][0]["shortNotice"] is True


SETTLEMENT = """query($m: String!) { carSettlement(month: $m) { month usageFeeYuan usageTotalYuan
  servicePaysSalesYuan utilisation loanerFulfilment cars { car { plate } rate } csv } }"""


async def test_the_manager_reads_last_months_settlement_with_its_csv(
    api: ApiClient, fleet: Fleet
) -> None:
    await api.login_as("store_manager")
    found = (await api.data(SETTLEMENT, {"m": "2026-10"}))["carSettlement"]
    assert (found["usageTotalYuan"], found["servicePaysSalesYuan"]) == (2000, 2000)
    assert found["loanerFulfilment"] is None and len(found["cars"]) == 4
    assert found["csv"].startswith("month,item,car,from,to,amount_yuan,note\r\n")
    await api.login_as("sales_consultant")
    refused = await api.gql(SETTLEMENT, {"m": "2026-10"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


POLICY = """mutation($i: UpdateCarPolicyInput!) { updateCarPolicy(input: $i) { __typename
  ... on CarPolicySuccess { policy { serviceWindowStart serviceWindowEnd holidays usageFeeYuan } }
  ... on ForbiddenError { message }
  ... on ValidationError { fields { path code } }
} }"""


async def test_the_manager_sets_a_holiday_and_it_becomes_sales_time(
    api: ApiClient, world: World, fleet: Fleet
) -> None:
    store = global_id("Store", world.stores["A"].id)
    await api.login_as("sales_consultant")
    refused = (await api.data(POLICY, {"i": {"storeId": store}}))["updateCarPolicy"]
    assert refused["__typename"] == "ForbiddenError"
    await api.login_as("store_manager")
    bad = (await api.data(POLICY, {"i": {"storeId": store, "serviceWindowStart": "8am"}}))[
        "updateCarPolicy"
    ]
    assert bad["fields"] == [{"path": "input.serviceWindowStart", "code": "bad_time"}]
    saved = (await api.data(POLICY, {"i": {"storeId": store, "holidays": ["2026-11-27"]}}))[
        "updateCarPolicy"
    ]
    assert saved["policy"]["holidays"] == ["2026-11-27"]
    week = (await api.data(WEEK))["carWeek"]
    friday = week["days"][4]
    assert (friday["date"], friday["isHoliday"], friday["serviceWindow"]) == (
        "2026-11-27",
        True,
        None,
    )


LOANER = """mutation($i: RequestLoanerInput!) { requestLoaner(input: $i) { __typename
  ... on LoanerRequestSuccess { request { status unmetReason booking { car { plate } } } }
} }"""


async def test_a_loaner_request_for_a_visit_over_http(
    api: ApiClient, db: AsyncSession, fleet: Fleet, make_customer: Any
) -> None:
    from sqlalchemy import select

    record = await make_customer(visits=1)
    visit_id = await db.scalar(
        select(models.ServiceVisit.id).where(models.ServiceVisit.customer_id == record.customer.id)
    )
    await api.login_as("service_advisor")
    found = (
        await api.data(
            LOANER,
            {
                "i": {
                    "visitId": global_id("ServiceVisit", int(visit_id or 0)),
                    "startsAt": iso(at(FRIDAY, 9)),
                    "endsAt": iso(at(FRIDAY, 17)),
                }
            },
        )
    )["requestLoaner"]
    assert found["request"]["status"] == "BOOKED"
    assert found["request"]["booking"]["car"]["plate"] == fleet.backup[0].plate
