"""Server texts say times as the app does: a handover relative to when the text is read or
sent ("in 3 days", "today at 14:00", "2 days late"), on the reader's calendar, in their
language; the row keeps the instant, never the sentence."""

from datetime import UTC, datetime

import pytest

from baton.texts import Reader, render

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
