"""The push outbox's doorbell: a commit that queued an alert due now wakes the dispatcher.

PostgreSQL: `pg_notify` in the writer's transaction, which the server delivers only when that
transaction commits, to every dispatcher LISTENing on CHANNEL, in this process or any other.
SQLite: an asyncio event set after the commit, for the dispatchers of this process; a writer
in another process is heard by the dispatcher's poll, which stays the safety net everywhere.
A rolled-back transaction rings nothing.

    await ring_after_commit(session)       # by raise_alert, once the row is written
    woken = hear_this_process()            # by the dispatcher: an asyncio.Event
"""

import asyncio

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

CHANNEL = "baton_alert_due"
# session.info key: this transaction has rung (PostgreSQL: NOTIFY sent; SQLite: ring at commit).
_RUNG = "baton.outbox.rung"
_listeners: dict[asyncio.Event, asyncio.AbstractEventLoop] = {}


async def ring_after_commit(session: AsyncSession) -> None:
    """Wake the dispatchers when this transaction commits; once per transaction."""
    if session.info.get(_RUNG):
        return
    session.info[_RUNG] = True
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def hear_this_process() -> asyncio.Event:
    """An event set whenever a SQLite transaction of this process that rang commits."""
    woken = asyncio.Event()
    _listeners[woken] = asyncio.get_running_loop()
    return woken


def stop_hearing(woken: asyncio.Event) -> None:
    _listeners.pop(woken, None)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if not session.info.pop(_RUNG, False):
        return
    if session.get_bind().dialect.name == "postgresql":
        return  # the server delivers the NOTIFY itself
    for woken, loop in list(_listeners.items()):
        if loop.is_closed():
            _listeners.pop(woken, None)
            continue
        # The committing session may run on another loop (or thread) than the dispatcher.
        loop.call_soon_threadsafe(woken.set)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: SessionTransaction) -> None:
    # A savepoint's rollback clears it too: the next alert rings again (a repeat is harmless).
    session.info.pop(_RUNG, None)
