"""Store-local time: rules speak in the store's days and hours, the database in UTC."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# A phone's clock may run a little ahead of the server's: a time it sends (an offline queue's
# tap) is believed up to this far in the future, and taken as now.
PHONE_CLOCK_SKEW = timedelta(minutes=5)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(zone(time_zone)).date()


def local_day_bounds(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """The UTC instants at which a store-local day starts and the next one starts."""
    tz = zone(time_zone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(date.fromordinal(day.toordinal() + 1), time.min, tzinfo=tz)
    return start, end
