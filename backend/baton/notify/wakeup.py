"""What the dispatcher waits on between steps: the outbox's doorbell (db/outbox.py) or its poll.

PostgreSQL: a connection of its own LISTENs on the outbox channel; when it drops, it is
opened again after `retry_seconds`, and a wake-up is given then for what was committed
unheard. SQLite: the in-process event. Either way the poll interval remains the upper bound,
for writers the doorbell cannot reach (another process on SQLite, a lost connection).

    async with Wakeup(engine, retry_seconds=1.0) as wakeup:
        await wakeup.wait(stop, seconds=1.0)
"""

import asyncio
import contextlib
import logging
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from baton.db.outbox import CHANNEL, hear_this_process, stop_hearing

log = logging.getLogger(__name__)


class Wakeup:
    def __init__(self, engine: AsyncEngine, *, retry_seconds: float) -> None:
        self.engine = engine
        self.retry_seconds = retry_seconds
        self._woken = asyncio.Event()
        self._listening: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "Wakeup":
        if self.engine.dialect.name == "postgresql":
            self._listening = asyncio.create_task(self._listen())
        else:
            self._woken = hear_this_process()
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        stop_hearing(self._woken)
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening

    def clear(self) -> None:
        """Forget earlier rings: called just before a step looks at the queue."""
        self._woken.clear()

    async def wait(self, stop: asyncio.Event, *, seconds: float) -> None:
        """Until a ring since the last `clear`, `stop`, or `seconds` have passed."""
        if self._woken.is_set() or stop.is_set() or seconds <= 0:
            return
        waits = [asyncio.ensure_future(self._woken.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()

    async def _listen(self) -> None:
        while True:
            try:
                await self._listen_once()
            except Exception as error:
                log.warning("push wake-up connection lost (%s); polling meanwhile", error)
            await asyncio.sleep(self.retry_seconds)

    async def _listen_once(self) -> None:
        loop = asyncio.get_running_loop()
        lost: asyncio.Future[None] = loop.create_future()

        def ring(*_args: Any) -> None:
            self._woken.set()

        def dropped(*_args: Any) -> None:
            if not lost.done():
                lost.set_result(None)

        async with self.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            listener = raw.driver_connection
            assert listener is not None
            try:
                listener.add_termination_listener(dropped)
                await listener.add_listener(CHANNEL, ring)
                # Whatever was committed while no one listened is claimed now.
                self._woken.set()
                await lost
            finally:
                # Never hand a LISTENing connection back to the pool.
                with contextlib.suppress(Exception):
                    await connection.invalidate()
        raise ConnectionError("the LISTEN connection closed")
