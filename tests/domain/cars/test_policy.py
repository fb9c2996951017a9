"""Priority windows: service on working days 08:00–18:00 store-local, sales otherwise; the
window is half-open, so 18:00 belongs to sales and 08:00 to service."""

from datetime import date

from baton.db.models import BookingDepartment
from baton.domain.cars.policy import Policy
from tests.support.cars import FRIDAY, SATURDAY, at

SERVICE = BookingDepartment.SERVICE
SALES = BookingDepartment.SALES
POLICY = Policy(store_id=1, time_zone="Asia/Shanghai")


def test_service_window_starts_at_exactly_0800_and_ends_at_exactly_1800() -> None:
    assert POLICY.inside_window(SERVICE, at(FRIDAY, 8), at(FRIDAY, 10))
    assert POLICY.inside_window(SERVICE, at(FRIDAY, 16), at(FRIDAY, 18))
    assert not POLICY.inside_window(SERVICE, at(FRIDAY, 7, 59), at(FRIDAY, 10))
    assert not POLICY.inside_window(SERVICE, at(FRIDAY, 16), at(FRIDAY, 18, 1))


def test_sales_window_starts_at_exactly_1800_and_ends_at_exactly_0800() -> None:
    assert POLICY.inside_window(SALES, at(FRIDAY, 18), at(FRIDAY, 21))
    assert POLICY.inside_window(SALES, at(FRIDAY, 6), at(FRIDAY, 8))
    assert not POLICY.inside_window(SALES, at(FRIDAY, 17, 59), at(FRIDAY, 21))
    assert not POLICY.inside_window(SALES, at(FRIDAY, 6), at(FRIDAY, 8, 1))


def test_a_weekend_day_belongs_to_sales_all_day() -> None:
    assert POLICY.inside_window(SALES, at(SATURDAY, 10), at(SATURDAY, 12))
    assert not POLICY.inside_window(SERVICE, at(SATURDAY, 10), at(SATURDAY, 12))


def test_a_public_holiday_of_the_store_belongs_to_sales() -> None:
    holiday = Policy(
        store_id=1, time_zone="Asia/Shanghai", holidays=frozenset({date(2026, 11, 27)})
    )
    assert holiday.inside_window(SALES, at(FRIDAY, 10), at(FRIDAY, 12))
    assert not holiday.inside_window(SERVICE, at(FRIDAY, 10), at(FRIDAY, 12))


def test_a_sales_booking_across_a_working_day_is_outside_the_sales_window() -> None:
    assert not POLICY.inside_window(SALES, at(FRIDAY - 1, 19), at(FRIDAY, 19))
    assert POLICY.inside_window(SALES, at(FRIDAY, 19), at(SATURDAY + 1, 20))


def test_the_window_follows_the_store_time_zone_not_utc() -> None:
    berlin = Policy(store_id=1, time_zone="Europe/Berlin")
    # 08:00 in Shanghai is 01:00 in Berlin: sales time there.
    assert not berlin.inside_window(SERVICE, at(FRIDAY, 8), at(FRIDAY, 10))
    assert berlin.inside_window(SALES, at(FRIDAY, 8), at(FRIDAY, 10))
