"""A refusal reaches the phone in the reader's language: the domain says a code and its
parameters, the API words them for whoever reads (their `language`, or before login the
language their browser asks for), and no enum name ever shows."""

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.ids import global_id
from tests.support.api import ApiClient
from tests.support.cars import FRIDAY, SATURDAY, at, make_fleet
from tests.support.world import World

BOOK = """mutation($i: BookCarInput!) { bookCar(input: $i) { __typename
  ... on RuleViolationError { message reasons { code message } }
  ... on ValidationError { message fields { path code message } }
  ... on ForbiddenError { message }
} }"""
PREEMPT = """mutation($i: PreemptBookingInput!) { preemptBooking(input: $i) { __typename
  ... on RuleViolationError { reasons { code message } }
} }"""
LANGUAGE = """mutation($i: UpdateAlertPreferencesInput!) { updateAlertPreferences(input: $i) {
  __typename } }"""
LOGIN = """mutation($i: LoginInput!) { login(input: $i) { __typename
  ... on InvalidCredentialsError { message } } }"""


async def _read_in(api: ApiClient, language: str) -> None:
    changed = await api.data(LANGUAGE, {"i": {"language": language}})
    assert changed["updateAlertPreferences"]["__typename"] == "UpdateAlertPreferencesSuccess"


async def _book(api: ApiClient, car_id: int, starts: Any, ends: Any) -> Any:
    variables = {
        "i": {
            "carId": global_id("Car", car_id),
            "startsAt": starts.isoformat(),
            "endsAt": ends.isoformat(),
        }
    }
    return (await api.data(BOOK, variables))["bookCar"]


async def test_a_car_being_cleaned_is_refused_in_each_readers_words_without_its_enum_name(
    api: ApiClient, db: AsyncSession, world: World
) -> None:
    fleet = await make_fleet(db, world)
    await db.execute(
        update(models.Car)
        .where(models.Car.id == fleet.car_id)
        .values(status=models.CarStatus.CLEANING_INSPECTION)
    )
    await db.commit()
    await api.login_as("sales_consultant")

    chinese = await _book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12))
    assert chinese["__typename"] == "RuleViolationError"
    assert chinese["reasons"] == [
        {"code": "car_not_bookable", "message": "车辆正在清洗检查，暂不可预约"}
    ]
    assert chinese["message"] == "车辆正在清洗检查，暂不可预约"

    await _read_in(api, "en")
    english = await _book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12))
    assert english["reasons"] == [
        {
            "code": "car_not_bookable",
            "message": "the car is being washed and inspected and takes no booking",
        }
    ]
    for said in (chinese["reasons"][0]["message"], english["reasons"][0]["message"]):
        assert "cleaning" not in said.lower() and "_" not in said


async def test_a_booking_outside_the_priority_window_is_refused_in_each_readers_words(
    api: ApiClient, db: AsyncSession, world: World
) -> None:
    fleet = await make_fleet(db, world)
    await api.login_as("sales_consultant")
    assert (await _book(api, fleet.car_id, at(FRIDAY, 10), at(FRIDAY, 12)))["__typename"] == (
        "CarBookingSuccess"
    )
    await api.login_as("service_advisor")
    variables = {
        "i": {
            "carId": global_id("Car", fleet.car_id),
            "startsAt": at(FRIDAY, 17).isoformat(),
            "endsAt": at(FRIDAY, 19).isoformat(),
            "reason": "客户等车",
        }
    }
    chinese = (await api.data(PREEMPT, variables))["preemptBooking"]["reasons"]
    assert chinese == [
        {
            "code": "outside_priority_window",
            "message": "不在优先时段：工作日 08:00–18:00 售后优先",
        }
    ]
    await _read_in(api, "en")
    english = (await api.data(PREEMPT, variables))["preemptBooking"]["reasons"]
    assert english == [
        {
            "code": "outside_priority_window",
            "message": "outside the window: service has priority on working days 08:00–18:00",
        }
    ]


async def test_a_field_problem_and_a_refused_role_are_said_in_each_readers_words(
    api: ApiClient, db: AsyncSession, world: World
) -> None:
    fleet = await make_fleet(db, world)
    await api.login_as("sales_consultant")
    backwards = await _book(api, fleet.car_id, at(SATURDAY, 12), at(SATURDAY, 10))
    assert backwards["__typename"] == "ValidationError"
    assert backwards["fields"] == [
        {"path": "input.endsAt", "code": "out_of_range", "message": "结束时间应晚于开始时间"}
    ]
    assert backwards["message"] == "结束时间应晚于开始时间"
    await _read_in(api, "en")
    backwards = await _book(api, fleet.car_id, at(SATURDAY, 12), at(SATURDAY, 10))
    assert backwards["fields"] == [
        {"path": "input.endsAt", "code": "out_of_range", "message": "must be after the start"}
    ]

    await api.login_as("technician")
    refused = await _book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12))
    assert refused == {"__typename": "ForbiddenError", "message": "技师无权预约用车"}
    await _read_in(api, "en")
    refused = await _book(api, fleet.car_id, at(SATURDAY, 10), at(SATURDAY, 12))
    assert refused["message"] == "your role (technician) may not book cars"


async def test_a_wrong_password_is_said_in_the_language_the_browser_asks_for(
    api: ApiClient,
) -> None:
    await api.world.staff(api.session, models.Role.SERVICE_ADVISOR)
    wrong = {"query": LOGIN, "variables": {"i": {"login": "service_advisor.a", "password": "x"}}}
    said = {}
    for header in ("zh-CN,zh;q=0.9", "en-GB,en;q=0.9", None):
        headers = {"accept-language": header} if header else {}
        response = await api.http.post("/graphql", json=wrong, headers=headers)
        answer = response.json()["data"]["login"]
        assert answer["__typename"] == "InvalidCredentialsError"
        said[header] = answer["message"]
    assert said == {
        "zh-CN,zh;q=0.9": "账号或密码错误",
        "en-GB,en;q=0.9": "wrong login or password",
        None: "账号或密码错误",
    }
