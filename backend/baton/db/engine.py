"""Engine and sessions for SQLite (embedded default) and PostgreSQL (the scale path)."""

from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from baton.db.sqlite_driver import one_hop_dbapi

SQLITE_BUSY_TIMEOUT_MS = 5000


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    url = make_url(database_url)
    # JSON columns, and the record's families read as JSON (reads/families.py), parse faster.
    kwargs.setdefault("json_deserializer", orjson.loads)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, **kwargs)

    # One hand-off to aiosqlite's thread per statement instead of four (db/sqlite_driver.py).
    kwargs.setdefault("module", one_hop_dbapi())
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers go on while one writer writes; foreign keys are off by default.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: resolvers read objects after the mutation's commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
