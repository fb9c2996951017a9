"""Fixtures every test reads in one line: `db` (SQLite and PostgreSQL), `clock`, `as_user`,
`make_customer`, and `api` (the real app over HTTP, in process).

PostgreSQL: a fresh database is created for the run and dropped after it
(BATON_TEST_POSTGRES_URL names the server; BATON_TEST_DATABASES=sqlite limits the run)."""

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from baton.app import create_app
from baton.clock import ManualClock
from baton.db import models
from baton.db.engine import create_engine, create_sessionmaker
from baton.domain.access import Actor, load_actor
from baton.settings import Settings
from tests.support.api import ApiClient
from tests.support.databases import (
    DATABASES,
    POSTGRES_SERVER,
    create_schema,
    on_postgres_server,
    run_apart,
)
from tests.support.orders import OrderRecord, make_order
from tests.support.records import Record, make_record, valid_vin
from tests.support.world import TEST_PASSWORD, World, build_world

# 10:00 on a Monday in Shanghai: inside every business window the rules talk about.
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own for this run, created empty and dropped at the end."""
    name = f"baton_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    run_apart(on_postgres_server(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        run_apart(create_schema(url))
        yield url
    finally:
        run_apart(on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "baton.db"
    run_apart(create_schema(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(params=DATABASES)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        path = tmp_path / "baton.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
    else:
        engine = create_engine(request.getfixturevalue("postgres_url"))
        # DELETE, children first: on tables this small it is far quicker than TRUNCATE.
        async with engine.begin() as connection:
            for table in reversed(models.Base.metadata.sorted_tables):
                await connection.execute(table.delete())
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_sessionmaker(engine)() as session:
        yield session


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(scope="session")
def password_hash() -> str:
    """Cheap argon2 parameters: verification reads them from the hash, so logins in tests are
    fast while the code under test is unchanged (production hashes use the library defaults)."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(TEST_PASSWORD)


@pytest.fixture
async def world(db: AsyncSession, password_hash: str) -> World:
    """Region EAST with stores A and B (Asia/Shanghai), no staff yet."""
    return await build_world(db, password_hash)


AsUser = Callable[..., Awaitable[Actor]]


@pytest.fixture
def as_user(db: AsyncSession, world: World) -> AsUser:
    """`await as_user("service_advisor", store="A")`: that staff member, created once."""

    async def make(role: str, store: str | None = "A", name: str | None = None) -> Actor:
        user = await world.staff(db, models.Role(role), store, name=name)
        return await load_actor(db, user)

    return make


@pytest.fixture
def make_customer(
    db: AsyncSession, clock: ManualClock, as_user: AsUser
) -> Callable[..., Awaitable[Record]]:
    """`await make_customer(store="A", name="张伟", visits=2)`: made at that store's desk."""

    async def make(store: str = "A", **fields: object) -> Record:
        actor = await as_user("service_advisor", store=store)
        return await make_record(db, actor, clock, **fields)  # type: ignore[arg-type]

    return make


@pytest.fixture
def customer_with_order(
    db: AsyncSession,
    clock: ManualClock,
    as_user: AsUser,
    make_customer: Callable[..., Awaitable[Record]],
) -> Callable[..., Awaitable[OrderRecord]]:
    """`await customer_with_order(promises=3)`: a draft order by store A's sales, delivery in
    14 days, with a floor mat set (at handover), a charger (by date) and 6 free services."""

    async def make(promises: int = 3, store: str = "A", delivery_in_days: int = 14) -> OrderRecord:
        record = await make_customer(store=store, vin=valid_vin())
        sales = await as_user("sales_consultant", store=store)
        return await make_order(
            db,
            sales,
            clock,
            record.customer,
            record.vehicle,
            promises_count=promises,
            delivery_in_days=delivery_in_days,
        )

    return make


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The app's settings in API tests (the engine is handed in separately)."""
    return Settings(
        database_url="sqlite+aiosqlite:///unused",
        frontend_dist=Path("/nonexistent"),
        upload_dir=tmp_path / "uploads",
        vapid_private_key_file=tmp_path / "vapid_private.pem",
    )


@pytest.fixture
async def api(
    engine: AsyncEngine, db: AsyncSession, clock: ManualClock, world: World, settings: Settings
) -> AsyncIterator[ApiClient]:
    """The real Starlette app on the test database, reached over HTTP in process."""
    app = create_app(settings, clock=clock, engine=engine)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://baton.test") as http:
        yield ApiClient(http, engine, db, world)
