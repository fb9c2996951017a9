"""Stores (门店) and their clock: rules speak in the store's days and hours.

A store carries its own time zone; a user without a store (a regional director, an admin)
reads times in BATON_DEFAULT_TIME_ZONE. `StoreClock` is the one place that turns instants
into a store's local days and hours: its "today", a day's bounds, a wall time on a day, and
whether an instant lies in hours a policy names (opening hours, a department's priority
window). The numbers (which hours, which days are holidays) stay with their owner, the car
policy; the clock only reads them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingDepartment, Store, User
from baton.domain import localtime
from baton.settings import get_settings


class OpeningHours(Protocol):
    """The hours a store's cars can be used, store-local (the car policy holds them)."""

    @property
    def opening_start(self) -> time: ...
    @property
    def opening_end(self) -> time: ...


class PriorityWindows(Protocol):
    """Service's priority window on service days, store-local (the car policy holds it)."""

    @property
    def service_window_start(self) -> time: ...
    @property
    def service_window_end(self) -> time: ...
    def is_service_day(self, day: date) -> bool: ...


@dataclass(frozen=True)
class StoreClock:
    """A store's clock: its time zone, and the store-local days and hours of instants."""

    time_zone: str

    @property
    def zone(self) -> ZoneInfo:
        return localtime.zone(self.time_zone)

    def local(self, moment: datetime) -> datetime:
        """The wall time the store's staff read at `moment`."""
        return moment.astimezone(self.zone)

    def day_of(self, moment: datetime) -> date:
        """The store-local day `moment` falls on."""
        return localtime.local_date(moment, self.time_zone)

    def today(self, now: datetime) -> date:
        return self.day_of(now)

    def at(self, day: date, wall: time) -> datetime:
        """The instant of a wall-clock time on a store-local day."""
        return datetime.combine(day, wall, tzinfo=self.zone)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The instants at which a store-local day starts and the next one starts."""
        return localtime.local_day_bounds(day, self.time_zone)

    def days_bounds(self, first: date, last: date) -> tuple[datetime, datetime]:
        """From the start of `first` to the end of `last`, store-local days."""
        return self.day_bounds(first)[0], self.day_bounds(last)[1]

    def today_bounds(self, now: datetime) -> tuple[datetime, datetime]:
        return self.day_bounds(self.today(now))

    def days_between(self, starts_at: datetime, ends_at: datetime) -> list[date]:
        """The store-local days [starts_at, ends_at) touches."""
        first = self.day_of(starts_at)
        last = self.day_of(ends_at - timedelta(microseconds=1))
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def same_time_next_day(self, moment: datetime) -> datetime:
        """The same wall-clock time one store-local day later (24 h, or 23 h / 25 h across a
        daylight-saving change, as the store's staff read their clock)."""
        local = self.local(moment)
        following = (local.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=local.tzinfo)
        # Normalise through UTC so a wall time that does not exist (spring forward) moves on.
        return following.astimezone(self.zone).astimezone(moment.tzinfo)

    def hours_on(self, day: date, start: time, end: time) -> tuple[datetime, datetime]:
        """The instants of store-local hours [start, end) on a day."""
        return self.at(day, start), self.at(day, end)

    def opening_hours_on(self, day: date, hours: OpeningHours) -> tuple[datetime, datetime]:
        return self.hours_on(day, hours.opening_start, hours.opening_end)

    def is_open(self, moment: datetime, hours: OpeningHours) -> bool:
        """Whether `moment` lies within the store's opening hours (half-open)."""
        start, end = self.opening_hours_on(self.day_of(moment), hours)
        return start <= moment < end

    def service_window_on(
        self, day: date, windows: PriorityWindows
    ) -> tuple[datetime, datetime] | None:
        """The instants of service's priority window on a store-local day (None: sales all
        day, a weekend or holiday)."""
        if not windows.is_service_day(day):
            return None
        return self.hours_on(day, windows.service_window_start, windows.service_window_end)

    def department_at(self, moment: datetime, windows: PriorityWindows) -> BookingDepartment:
        """Whose priority window `moment` lies in; 18:00 already belongs to sales."""
        window = self.service_window_on(self.day_of(moment), windows)
        if window is not None and window[0] <= moment < window[1]:
            return BookingDepartment.SERVICE
        return BookingDepartment.SALES


def default_time_zone() -> str:
    return get_settings().default_time_zone


def default_clock() -> StoreClock:
    """The clock of users without a store: BATON_DEFAULT_TIME_ZONE."""
    return StoreClock(default_time_zone())


def clock_of(store: Store | None, default_zone: str | None = None) -> StoreClock:
    """A store's clock; without a store, BATON_DEFAULT_TIME_ZONE (or `default_zone`, the
    settings a caller was given)."""
    return clock_in(store.time_zone if store is not None else None, default_zone)


def clock_in(time_zone: str | None, default_zone: str | None = None) -> StoreClock:
    """The clock of a store's zone as read from its row (an outer join's None: no store,
    BATON_DEFAULT_TIME_ZONE or `default_zone`)."""
    return StoreClock(time_zone or default_zone or default_time_zone())


async def store_clock(session: AsyncSession, store_id: int | None) -> StoreClock:
    store = await session.get(Store, store_id) if store_id is not None else None
    return clock_of(store)


async def store_clocks(session: AsyncSession, store_ids: Iterable[int]) -> "StoreClocks":
    """The clocks of many stores in one statement (a sweep's)."""
    wanted = set(store_ids)
    rows = await session.execute(select(Store.id, Store.time_zone).where(Store.id.in_(wanted)))
    return StoreClocks({store_id: StoreClock(time_zone) for store_id, time_zone in rows})


@dataclass(frozen=True)
class StoreClocks:
    found: dict[int, StoreClock]

    def of(self, store_id: int | None) -> StoreClock:
        if store_id is None:
            return default_clock()
        return self.found.get(store_id) or default_clock()


async def user_clock(session: AsyncSession, user: User) -> StoreClock:
    """The clock a user reads: their store's, or BATON_DEFAULT_TIME_ZONE."""
    return await store_clock(session, user.store_id)
