"""The store clock: a store's "today", its day bounds and hours, and which department's
priority window or whether opening hours hold an instant, read from the car policy's numbers."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingDepartment
from baton.domain.cars.policy import Policy
from baton.domain.stores import StoreClock, clock_in, store_clock, store_clocks
from baton.settings import get_settings
from tests.support.world import World

BERLIN = StoreClock("Europe/Berlin")


@pytest.fixture
def default_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BATON_DEFAULT_TIME_ZONE", "America/New_York")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_today_is_the_stores_day_not_utcs() -> None:
    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # Sat 00:30 in Berlin
    assert BERLIN.today(late) == date(2026, 11, 28)
    assert StoreClock("America/New_York").today(late) == date(2026, 11, 27)


def test_a_day_is_23_hours_when_the_clocks_go_forward() -> None:
    start, end = BERLIN.day_bounds(date(2027, 3, 28))
    assert start == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    # Same-zone subtraction is wall time in Python: compare the instants in UTC.
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    assert BERLIN.days_bounds(date(2027, 3, 27), date(2027, 3, 28)) == (
        datetime(2027, 3, 26, 23, 0, tzinfo=UTC),
        end,
    )


def test_opening_hours_and_priority_windows_come_from_the_policy() -> None:
    policy = Policy(store_id=1, time_zone="Europe/Berlin", opening_end=time(20, 0))
    friday = date(2026, 11, 27)
    assert policy.clock == BERLIN
    assert BERLIN.is_open(BERLIN.at(friday, time(19, 59)), policy)
    assert not BERLIN.is_open(BERLIN.at(friday, time(20, 0)), policy)
    assert not BERLIN.is_open(BERLIN.at(friday, time(7, 59)), policy)
    assert BERLIN.department_at(BERLIN.at(friday, time(8)), policy) is BookingDepartment.SERVICE
    assert BERLIN.department_at(BERLIN.at(friday, time(18)), policy) is BookingDepartment.SALES
    saturday = friday + timedelta(days=1)
    assert BERLIN.department_at(BERLIN.at(saturday, time(10)), policy) is BookingDepartment.SALES
    holiday = Policy(store_id=1, time_zone="Europe/Berlin", holidays=frozenset({friday}))
    assert BERLIN.department_at(BERLIN.at(friday, time(10)), holiday) is BookingDepartment.SALES


@pytest.mark.usefixtures("default_zone")
async def test_a_store_reads_its_own_zone_and_no_store_the_default(
    db: AsyncSession, world: World
) -> None:
    world.stores["A"].time_zone = "Europe/Berlin"
    await db.commit()
    a = world.stores["A"].id
    assert await store_clock(db, a) == BERLIN
    assert await store_clock(db, None) == StoreClock("America/New_York")
    assert await store_clock(db, 999_999) == StoreClock("America/New_York")
    clocks = await store_clocks(db, {a, 999_999})
    assert clocks.of(a) == BERLIN and clocks.of(999_999) == StoreClock("America/New_York")
    assert clock_in(None) == StoreClock("America/New_York")
