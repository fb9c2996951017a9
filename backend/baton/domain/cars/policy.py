"""A store's car policy (试驾车规则): who has priority when, how far ahead a standard booking
is made, the turnaround after each use, the longest booking, the monthly usage fee.

Service has priority on working days (Monday to Friday, not a public holiday of the store)
inside the service window, 08:00–18:00 store-local by default; sales has priority in the
evenings, at weekends and on holidays. A window is half-open: 18:00 already belongs to sales."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import BookingDepartment, CarPolicy
from baton.domain.access import Action, Actor
from baton.domain.errors import FieldChecks, NotFound
from baton.domain.stores import StoreClock, default_time_zone, store_clock

DEFAULT_USAGE_FEE_YUAN = 1000


@dataclass(frozen=True)
class Policy:
    store_id: int
    time_zone: str
    service_window_start: time = time(8, 0)
    service_window_end: time = time(18, 0)
    # Opening hours: the hours a car could be used, the denominator of utilisation.
    opening_start: time = time(8, 0)
    opening_end: time = time(21, 0)
    advance_days: int = 3
    turnaround_minutes: int = 60
    max_booking_hours: int = 72
    usage_fee_yuan: int = DEFAULT_USAGE_FEE_YUAN
    holidays: frozenset[date] = frozenset()
    # (since, yuan) changes of the usage fee; before the first, DEFAULT_USAGE_FEE_YUAN.
    usage_fees: tuple[tuple[date, int], ...] = ()

    def fee_for(self, month: date) -> int:
        """The usage fee a month is settled with (changes apply from the next month)."""
        fee = DEFAULT_USAGE_FEE_YUAN
        for since, yuan in sorted(self.usage_fees):
            if since <= month:
                fee = yuan
        return fee

    @property
    def clock(self) -> StoreClock:
        """The store's clock, which turns instants into the days and hours named here."""
        return StoreClock(self.time_zone)

    @property
    def turnaround(self) -> timedelta:
        return timedelta(minutes=self.turnaround_minutes)

    def is_service_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def service_window_of(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC instants of the service window on a store-local day (None: sales all day)."""
        return self.clock.service_window_on(day, self)

    def local_days(self, starts_at: datetime, ends_at: datetime) -> list[date]:
        return self.clock.days_between(starts_at, ends_at)

    def inside_window(
        self, department: BookingDepartment, starts_at: datetime, ends_at: datetime
    ) -> bool:
        """Whether all of [starts_at, ends_at) lies in the department's priority window."""
        windows = [self.service_window_of(day) for day in self.local_days(starts_at, ends_at)]
        if department is BookingDepartment.SERVICE:
            return any(w is not None and w[0] <= starts_at and ends_at <= w[1] for w in windows)
        return all(w is None or ends_at <= w[0] or w[1] <= starts_at for w in windows)


async def store_policy(session: AsyncSession, store_id: int) -> Policy:
    time_zone = (await store_clock(session, store_id)).time_zone
    row = await session.scalar(select(CarPolicy).where(CarPolicy.store_id == store_id))
    if row is None:
        return Policy(store_id, time_zone)
    return Policy(
        store_id,
        time_zone,
        service_window_start=row.service_window_start,
        service_window_end=row.service_window_end,
        opening_start=row.opening_start,
        opening_end=row.opening_end,
        advance_days=row.advance_days,
        turnaround_minutes=row.turnaround_minutes,
        max_booking_hours=row.max_booking_hours,
        usage_fee_yuan=row.usage_fee_yuan,
        holidays=frozenset(date.fromisoformat(day) for day in row.holidays),
        usage_fees=tuple((date.fromisoformat(f["since"]), int(f["yuan"])) for f in row.usage_fees),
    )


HOLIDAYS_MAX = 60


async def update_policy(
    session: AsyncSession,
    actor: Actor,
    store_id: int,
    *,
    service_window_start: time,
    service_window_end: time,
    advance_days: int,
    turnaround_minutes: int,
    max_booking_hours: int,
    usage_fee_yuan: int,
    holidays: list[date],
    now: datetime,
) -> CarPolicy:
    """The store manager sets the store's policy; unchanged fields keep the defaults."""
    if not actor.sees_store(store_id):
        raise NotFound("Store", "input.storeId")
    actor.ensure(Action.MANAGE_CARS)
    checks = FieldChecks()
    if service_window_start >= service_window_end:
        checks.fail("input.serviceWindowEnd", "out_of_range", says="ends_before_start")
    if not 0 <= advance_days <= 30:
        checks.fail("input.advanceDays", "out_of_range", min=0, max=30)
    if not 0 <= turnaround_minutes <= 24 * 60:
        checks.fail("input.turnaroundMinutes", "out_of_range", min=0, max=24 * 60)
    if not 1 <= max_booking_hours <= 24 * 14:
        checks.fail("input.maxBookingHours", "out_of_range", min=1, max=24 * 14)
    if not 0 <= usage_fee_yuan <= 1_000_000:
        checks.fail("input.usageFeeYuan", "out_of_range", min=0, max=1_000_000)
    if len(holidays) > HOLIDAYS_MAX:
        checks.fail("input.holidays", "too_many", says="too_many_holidays", max=HOLIDAYS_MAX)
    checks.raise_if_any()
    defaults = Policy(store_id, default_time_zone())
    row = await session.scalar(select(CarPolicy).where(CarPolicy.store_id == store_id))
    if row is None:
        row = CarPolicy(
            store_id=store_id,
            opening_start=defaults.opening_start,
            opening_end=defaults.opening_end,
            usage_fee_yuan=defaults.usage_fee_yuan,
            usage_fees=[],
        )
        session.add(row)
    if usage_fee_yuan != row.usage_fee_yuan:
        today = (await store_clock(session, store_id)).today(now)
        since = (today.replace(day=1) + timedelta(days=32)).replace(day=1).isoformat()
        kept = [f for f in row.usage_fees if f["since"] != since]
        row.usage_fees = [*kept, {"since": since, "yuan": usage_fee_yuan}]
    row.service_window_start = service_window_start
    row.service_window_end = service_window_end
    row.advance_days = advance_days
    row.turnaround_minutes = turnaround_minutes
    row.max_booking_hours = max_booking_hours
    row.usage_fee_yuan = usage_fee_yuan
    row.holidays = sorted({day.isoformat() for day in holidays})
    await session.flush()
    return row
