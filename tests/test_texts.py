"""Server texts say times as the app does: a handover relative to when the text is read or
sent ("in 3 days", "today at 14:00", "2 days late"), on the reader's calendar, in their
language; the row keeps the instant, never the sentence."""

import ast
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pytest

from baton.db.models import (
    BookingDepartment,
    BookingStatus,
    BriefKind,
    CarStatus,
    DateChangeStatus,
    Department,
    OrderStatus,
    PromiseStatus,
    Role,
    TaskState,
)
from baton.domain.access import Action
from baton.domain.errors import (
    DomainError,
    FieldChecks,
    Forbidden,
    NotFound,
    Reason,
    RuleViolation,
)
from baton.texts import LANGUAGES, Reader, accepted_language, catalogue, render

SHANGHAI = "Asia/Shanghai"
LOS_ANGELES = "America/Los_Angeles"
# 14:00 in Shanghai on 7 December.
HANDOVER = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
BODY = "alert.promises_pending.body"


def pending_body(language: str, now: datetime | None, time_zone: str = SHANGHAI) -> str:
    params = {"handover_at": HANDOVER.isoformat(), "open": 2, "promises": ["全车脚垫", "充电桩"]}
    return Reader(language, time_zone, now).say(BODY, params).split("\n")[0]


@pytest.mark.parametrize(
    ("now", "english", "chinese"),
    [
        (datetime(2026, 12, 4, 2, 0, tzinfo=UTC), "Handover in 3 days", "交车：3 天后"),
        (
            datetime(2026, 12, 6, 15, 59, tzinfo=UTC),
            "Handover tomorrow at 14:00",
            "交车：明天 14:00",
        ),
        # 00:01 on the 7th in Shanghai, though still the 6th in UTC: the reader's day counts.
        (datetime(2026, 12, 6, 16, 1, tzinfo=UTC), "Handover today at 14:00", "交车：今天 14:00"),
        (datetime(2026, 12, 8, 2, 0, tzinfo=UTC), "Handover 1 day late", "交车：逾期 1 天"),
        (datetime(2026, 12, 9, 2, 0, tzinfo=UTC), "Handover 2 days late", "交车：逾期 2 天"),
    ],
)
def test_the_handover_is_said_relative_to_the_time_the_text_is_read(
    now: datetime, english: str, chinese: str
) -> None:
    assert pending_body("en", now) == f"{english}; 2 open promises"
    assert pending_body("zh-CN", now) == f"{chinese}；2 项承诺未兑现"


def test_days_are_counted_on_the_readers_calendar_in_their_time_zone() -> None:
    # 18:00 on 3 December in Los Angeles is already the 4th in Shanghai.
    now = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert pending_body("en", now, LOS_ANGELES).startswith("Handover in 3 days")
    # The handover is at 22:00 on the 6th there; the evening before it is "tomorrow".
    evening = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)  # 21:00 on the 5th in Los Angeles
    assert pending_body("en", evening, LOS_ANGELES) == "Handover tomorrow at 22:00; 2 open promises"


def test_without_a_reading_time_the_handover_keeps_its_date_and_without_one_it_is_left_out() -> (
    None
):
    assert pending_body("en", None) == "Handover 7 Dec 14:00; 2 open promises"
    params = {"handover_at": None, "open": 1, "promises": []}
    assert render(BODY, params, "en", time_zone=SHANGHAI, now=HANDOVER) == "1 open promise"
    assert render(BODY, params, "zh-CN", time_zone=SHANGHAI, now=HANDOVER) == "1 项承诺未兑现"


# Every refusal is a code and parameters; the catalogues word it. The keys a domain error can
# name are read from the source: a Reason's code (or its `says`), a field problem's, a
# Forbidden's, an invalid VIN's; and the entities NotFound and Conflict name.
BACKEND = Path(__file__).parent.parent / "backend" / "baton"
# The call, the position of its code among the arguments, and the family of its text.
CODED_CALLS = {
    "Reason": (0, "refusal"),
    "fail": (1, "problem"),
    "FieldProblem": (1, "problem"),
    "Forbidden": (0, "forbidden"),
    "InvalidVin": (0, "problem"),
    "NotFound": (0, "entity"),
    "Conflict": (0, "entity"),
}


def _called(node: ast.Call) -> str:
    function = node.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def keys_named_in_source() -> dict[str, str]:
    """Each catalogue key a domain error names, with where it is named."""
    keys: dict[str, str] = {}
    for path in sorted(BACKEND.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or _called(node) not in CODED_CALLS:
                continue
            position, family = CODED_CALLS[_called(node)]
            says = next((k.value for k in node.keywords if k.arg == "says"), None)
            if says is not None and not isinstance(says, ast.Constant):
                continue  # worded by a code raised elsewhere (an InvalidVin's)
            code = says if says is not None else (node.args[position : position + 1] or [None])[0]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                where = f"{path.relative_to(BACKEND)}:{node.lineno}"
                keys.setdefault(f"{family}.{code.value}", where)
    return keys


def test_the_source_is_read_for_the_codes_it_raises() -> None:
    keys = keys_named_in_source()
    assert {"refusal.car_not_bookable", "problem.too_long_text", "refusal.owner_keeps_case"} <= set(
        keys
    )
    assert "entity.Customer" in keys
    assert len(keys) > 150


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_raised_has_a_text_in_both_languages(language: str) -> None:
    missing = {
        k: where for k, where in keys_named_in_source().items() if k not in catalogue(language)
    }
    assert not missing


def test_both_catalogues_hold_the_same_keys() -> None:
    assert catalogue("en").keys() == catalogue("zh-CN").keys()


ENUMS_SAID = [
    ("car_status", CarStatus),
    ("booking_status", BookingStatus),
    ("order_status", OrderStatus),
    ("promise_status", PromiseStatus),
    ("change_status", DateChangeStatus),
    ("task_state", TaskState),
    ("department", Department),
    ("department", BookingDepartment),
    ("role", Role),
    ("action", Action),
    ("brief_kind", BriefKind),
]


@pytest.mark.parametrize(("family", "enum"), ENUMS_SAID)
def test_every_value_an_error_names_has_a_label(family: str, enum: type[StrEnum]) -> None:
    for language in LANGUAGES:
        labels = catalogue(language)
        assert not [v.value for v in enum if f"{family}.{v.value}" not in labels], language


@pytest.mark.parametrize(
    ("error", "english", "chinese"),
    [
        (
            RuleViolation([Reason("car_not_bookable", status=CarStatus.CLEANING_INSPECTION)]),
            "the car is being washed and inspected and takes no booking",
            "车辆正在清洗检查，暂不可预约",
        ),
        (
            Forbidden("role_may_not", role=Role.TECHNICIAN.value, action=Action.BOOK_CAR.value),
            "your role (technician) may not book cars",
            "技师无权预约用车",
        ),
        (NotFound("Customer"), "Customer not found", "找不到该客户"),
    ],
)
def test_an_error_is_said_in_the_readers_language_without_an_enum_name(
    error: DomainError, english: str, chinese: str
) -> None:
    assert render(error.key, error.params, "en", time_zone=SHANGHAI) == english
    assert render(error.key, error.params, "zh-CN", time_zone=SHANGHAI) == chinese


def test_a_field_problem_says_its_bounds() -> None:
    checks = FieldChecks()
    checks.text("input.name", "x" * 101, max_length=100)
    checks.fail("input.mileageKm", "out_of_range", min=0, max=2_000_000)
    said = [render(p.key, p.params, "en", time_zone=SHANGHAI) for p in checks.problems]
    assert said == ["must be at most 100 characters", "must be between 0 and 2000000"]
    zh = [render(p.key, p.params, "zh-CN", time_zone=SHANGHAI) for p in checks.problems]
    assert zh == ["最多 100 个字", "应在 0 到 2000000 之间"]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh-CN"),
        ("", "zh-CN"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("fr-FR,en;q=0.5,zh;q=0.4", "en"),
        ("de-DE", "zh-CN"),
    ],
)
def test_a_visitor_is_read_the_language_their_browser_asks_for(
    header: str | None, language: str
) -> None:
    assert accepted_language(header) == language
