"""Schema migrations with Alembic, run over the app's own async engine."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def built_on(dialect: str) -> Any:
    """Alembic's include_object: leaves out what the models build on one database only
    (`Index(...).ddl_if(dialect="postgresql")`), so comparing models and schema agrees."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect)

    return include


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def autogenerate(engine: AsyncEngine, message: str) -> None:
    """Developer tool: write a new revision from the difference between models and database."""

    def run(connection: Connection) -> None:
        command.revision(alembic_config(connection), message=message, autogenerate=True)

    async with engine.begin() as connection:
        await connection.run_sync(run)
