"""The test databases: which kinds a run covers, and the PostgreSQL server's admin statements."""

import asyncio
import os
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import text

from baton.db import models
from baton.db.engine import create_engine

DATABASES = os.environ.get("BATON_TEST_DATABASES", "sqlite,postgresql").split(",")
POSTGRES_SERVER = os.environ.get(
    "BATON_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def run_apart(coroutine: Coroutine[Any, Any, None]) -> None:
    """Set-up may be reached from inside a test's event loop: run it on a loop of its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def create_schema(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(models.Base.metadata.create_all)
    await engine.dispose()


async def on_postgres_server(statement: str) -> None:
    """CREATE or DROP DATABASE and the like, outside any transaction."""
    engine = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()
