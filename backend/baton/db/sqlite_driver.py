"""aiosqlite with one hand-off to its thread per statement.

aiosqlite runs sqlite3 on a thread of its own; SQLAlchemy's adapter hands it four jobs per
statement (make a cursor, execute, fetch all, close), each a queue put, a thread wake-up and an
event-loop wake-up (measured: about a quarter of a record query's CPU). Here one job does all
four on that thread. Everything else (dialect, pool, transactions, errors) is SQLAlchemy's
aiosqlite support as it is; `create_engine` passes this module as the DBAPI."""

import sqlite3
from collections import deque
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

Outcome = tuple[Any, int, int | None, list[Any]]


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A statement's sqlite3 cursor lives on aiosqlite's thread for one job; this keeps what it
    answered (description, row count, last row id, the rows)."""

    __slots__ = ("_answer",)

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No cursor made up front (that was a hand-off of its own).
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = deque()
        self._answer: Outcome = (None, -1, None, [])

    @property
    def description(self) -> Any:
        return self._answer[0]

    @property
    def rowcount(self) -> int:
        return self._answer[1]

    @property
    def lastrowid(self) -> Any:
        return self._answer[2]

    @property
    def arraysize(self) -> int:
        return 1  # sqlite3's default

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        async with self._adapt_connection._execute_mutex:
            self._answer = await self._on_thread(_execute, operation, parameters)
        self._rows = deque(self._answer[3])

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        async with self._adapt_connection._execute_mutex:
            self._answer = await self._on_thread(_execute_many, operation, seq_of_parameters)

    async def _on_thread(self, job: Any, *args: Any) -> Outcome:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        # aiosqlite's own way of running a job on its thread (what its public methods use).
        result: Outcome = await connection._execute(job, connection._conn, *args)  # type: ignore[no-untyped-call]
        return result

    async def _async_soft_close(self) -> None:
        pass  # the sqlite3 cursor is closed already

    def close(self) -> None:
        self._rows.clear()


def _execute(connection: sqlite3.Connection, operation: str, parameters: Any) -> Outcome:
    cursor = connection.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _execute_many(
    connection: sqlite3.Connection, operation: str, seq_of_parameters: Sequence[Any]
) -> Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, seq_of_parameters)
        return cursor.description, cursor.rowcount, cursor.lastrowid, []
    finally:
        cursor.close()


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor  # type: ignore[assignment]  # (a subclass: mypy reads it invariant)

    def rollback(self) -> None:
        # sqlite3 begins a transaction only for a write, so a request that only read has none
        # to end; asking the thread to end nothing was a hand-off of its own (measured: 7 % of
        # a record query, for the session's close). sqlite3 answers this without the thread.
        if self._connection.in_transaction:
            super().rollback()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)
