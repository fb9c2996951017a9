"""A small organisation for tests: one region, stores A and B, staff made on demand."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models

TEST_PASSWORD = "correct horse battery"


@dataclass
class World:
    region: models.Region
    stores: dict[str, models.Store]
    password_hash: str
    users: dict[tuple[object, ...], models.User] = field(default_factory=dict)

    async def staff(
        self,
        session: AsyncSession,
        role: models.Role,
        store: str | None = "A",
        position: models.Position = models.Position.STAFF,
        name: str | None = None,
    ) -> models.User:
        """The one staff member of that role and store, or, with `name`, a named colleague."""
        store_key = None if role in (models.Role.ADMIN, models.Role.REGIONAL_DIRECTOR) else store
        key: tuple[object, ...] = (
            (role, store_key) if position is models.Position.STAFF else (role, store_key, position)
        )
        if name is not None:
            key = (*key, name)
        if key not in self.users:
            rank = "" if position is models.Position.STAFF else f".{position.value}"
            suffix = "" if name is None else f".{len(self.users)}"
            user = models.User(
                username=f"{role.value}{rank}.{(store_key or 'x').lower()}{suffix}",
                position=position,
                display_name=name or f"{role.value}{rank} {store_key or ''}".strip(),
                password_hash=self.password_hash,
                role=role,
                store_id=self.stores[store_key].id if store_key else None,
                region_id=self.region.id if role is models.Role.REGIONAL_DIRECTOR else None,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            session.add(user)
            await session.commit()
            self.users[key] = user
        return self.users[key]


async def build_world(session: AsyncSession, password_hash: str) -> World:
    region = models.Region(code="EAST", name="华东大区")
    session.add(region)
    await session.flush()
    stores = {
        code: models.Store(region_id=region.id, code=f"S-{code}", name=f"门店{code}")
        for code in ("A", "B")
    }
    session.add_all(stores.values())
    await session.commit()
    return World(region=region, stores=stores, password_hash=password_hash)
