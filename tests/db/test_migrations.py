"""`alembic upgrade heads` on an empty database gives exactly the models' schema, on both."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from baton.db.engine import create_engine
from baton.db.migrate import built_on, upgrade
from baton.db.models import Base
from baton.domain.learning.topics import DEFAULT_CATALOGUE
from tests.conftest import DATABASES, POSTGRES_SERVER


@pytest.fixture(params=DATABASES)
async def empty_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
        yield engine
        await engine.dispose()
        return
    name = f"baton_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(POSTGRES_SERVER).set(database=name))
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "include_object": built_on(connection.dialect.name)},
    )
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_build_exactly_the_models_schema(empty_engine: AsyncEngine) -> None:
    await upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        differences = await connection.run_sync(_differences)
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert differences == []
    assert set(Base.metadata.tables) <= tables


async def test_migrating_twice_changes_nothing(empty_engine: AsyncEngine) -> None:
    await upgrade(empty_engine)
    await upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_the_learning_migration_gives_every_existing_store_the_default_catalogue(
    empty_engine: AsyncEngine,
) -> None:
    await upgrade(empty_engine, "0004")
    async with empty_engine.begin() as connection:
        await connection.execute(text("INSERT INTO regions (code, name) VALUES ('E', 'East')"))
        for code in ("S1", "S2"):
            await connection.execute(
                text(
                    "INSERT INTO stores (region_id, code, name, time_zone) "
                    f"VALUES (1, '{code}', '{code}', 'Asia/Shanghai')"
                )
            )
    await upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT store_id, code, stage FROM learning_topics ORDER BY store_id, position"
                )
            )
        ).all()
    expected = [(code, stage.value) for code, stage, _ in DEFAULT_CATALOGUE]
    for store_id in (1, 2):
        assert [(code, stage) for s, code, stage in rows if s == store_id] == expected


async def test_the_name_search_migration_reverses_every_name_of_a_database_in_use(
    empty_engine: AsyncEngine,
) -> None:
    """With rows that refer to customers, as in any store's database (a table rebuild would
    fail their foreign keys on SQLite)."""
    await upgrade(empty_engine, "0008_push")
    async with empty_engine.begin() as connection:
        await connection.execute(text("INSERT INTO regions (code, name) VALUES ('E', 'East')"))
        await connection.execute(
            text(
                "INSERT INTO stores (region_id, code, name, time_zone) "
                "VALUES (1, 'S1', 'S1', 'Asia/Shanghai')"
            )
        )
        for number, name in enumerate(("张小凡", "Grace Lee"), start=1):
            await connection.execute(
                text(
                    "INSERT INTO customers (store_id, name, phone, phone_reversed, tags, "
                    "created_at, updated_at, version) VALUES (1, :name, :phone, :reversed, "
                    "'[]', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', 1)"
                ),
                {"name": name, "phone": f"+86138000000{number}", "reversed": "1"},
            )
            await connection.execute(
                text(
                    "INSERT INTO vehicles (customer_id, vin, vin_reversed, model_name, "
                    "created_at, version) VALUES (:id, :vin, :vin, 'Model Y', "
                    "'2026-01-01 00:00:00+00:00', 1)"
                ),
                {"id": number, "vin": f"LRW3E7FS5PC12345{number}"},
            )
    await upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT name, name_reversed FROM customers ORDER BY id"))
        ).all()
    assert rows == [("张小凡", "凡小张"), ("Grace Lee", "eeL ecarG")]
