"""A store's car fleet for tests, and store-local times to book them at."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from tests.support.records import valid_vin
from tests.support.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A Shanghai wall-clock time in 2026 (the test clock starts Monday 23 November 10:00)."""
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


# Friday 27 November is the first working day 3 days ahead; Saturday 28th is a weekend.
FRIDAY = 27
SATURDAY = 28


@dataclass
class Fleet:
    test_drive: list[models.Car]
    backup: list[models.Car]
    other_store: models.Car

    # Plain ids: they survive the rollback after a refused write (ORM objects expire then).
    car_id: int = 0
    second_id: int = 0
    backup_ids: tuple[int, ...] = ()
    other_store_id: int = 0

    @property
    def car(self) -> models.Car:
        return self.test_drive[0]


_plates = iter(range(10000, 99999))


def make_car(store: models.Store, pool: models.CarPool, model: str = "Model Y") -> models.Car:
    return models.Car(
        store_id=store.id,
        plate=f"沪A{next(_plates)}",
        vin=valid_vin(),
        model=model,
        pool=pool,
        status=models.CarStatus.AVAILABLE,
        odometer_km=1200,
        charge_percent=90,
        in_fleet_from=date(2026, 1, 1),
    )


async def make_fleet(db: AsyncSession, world: World, *, backups: int = 2) -> Fleet:
    store = world.stores["A"]
    test_drive = [make_car(store, models.CarPool.TEST_DRIVE) for _ in range(2)]
    backup = [make_car(store, models.CarPool.BACKUP) for _ in range(backups)]
    other = make_car(world.stores["B"], models.CarPool.TEST_DRIVE)
    db.add_all([*test_drive, *backup, other])
    await db.commit()
    return Fleet(
        test_drive,
        backup,
        other,
        car_id=test_drive[0].id,
        second_id=test_drive[1].id,
        backup_ids=tuple(car.id for car in backup),
        other_store_id=other.id,
    )
