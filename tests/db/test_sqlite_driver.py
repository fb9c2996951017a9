"""The one-hop SQLite driver: a write that is not committed is still rolled back, and a session
that only read ends without a hand-off to aiosqlite's thread."""

from pathlib import Path
from typing import Any

from sqlalchemy import text

from baton.db.engine import create_engine, create_sessionmaker


async def test_an_uncommitted_write_is_rolled_back_when_the_session_ends(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    sessions = create_sessionmaker(engine)
    try:
        async with sessions() as session:
            await session.execute(text("CREATE TABLE notes (body TEXT)"))
            await session.commit()
        async with sessions() as session:
            await session.execute(text("INSERT INTO notes VALUES ('lost')"))
        async with sessions() as session:
            assert (await session.execute(text("SELECT count(*) FROM notes"))).scalar() == 0
    finally:
        await engine.dispose()


async def test_a_session_that_only_read_ends_without_a_hand_off(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    sessions = create_sessionmaker(engine)
    hand_offs: list[str] = []
    try:
        async with sessions() as session:
            raw: Any = (await (await session.connection()).get_raw_connection()).driver_connection
            run_on_thread = raw._execute

            async def counted(job: Any, *args: Any) -> Any:
                hand_offs.append(job.__name__)
                return await run_on_thread(job, *args)

            raw._execute = counted
            assert (await session.execute(text("SELECT 1"))).scalar() == 1
        assert hand_offs == ["_execute"]  # the statement, and nothing for the session's end
    finally:
        await engine.dispose()
