"""The claim reads the users other dispatchers hold once per statement, never once per queued
alert: as a correlated NOT EXISTS, a burst queued before PostgreSQL's autovacuum had analyzed
the table got a nested-loop plan that rescanned every queued alert per candidate (1 s a claim
at 10,000 queued, a quarter of the sender's throughput). The statements a real claim sends
are captured and explained with the planner pushed to nested loops, as stale statistics push
it, so the test fails the day the held set becomes correlated again."""

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from baton.clock import ManualClock
from baton.notify.dispatcher import Dispatcher
from tests.support.pushing import AsUser, alert

HELD_ELSEWHERE = "alerts_1"  # the alias the claim gives its read of held alerts


async def _claim_statements(engine: AsyncEngine, dispatcher: Dispatcher) -> list[tuple[str, Any]]:
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if f"alerts AS {HELD_ELSEWHERE}" in statement:
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", keep)
    try:
        assert await dispatcher.run_once() > 0
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", keep)
    return statements


def _loops_reading(plan: dict[str, Any], alias: str) -> list[int]:
    nodes, loops = [plan], []
    while nodes:
        node = nodes.pop()
        if node.get("Alias") == alias:
            loops.append(node["Actual Loops"])
        nodes += node.get("Plans", [])
    return loops


async def test_a_claim_reads_the_held_users_once_whatever_the_planner_guesses(
    db: AsyncSession,
    engine: AsyncEngine,
    as_user: AsUser,
    clock: ManualClock,
    dispatcher: Callable[..., Dispatcher],
) -> None:
    users = [await as_user(role) for role in ("sales_consultant", "service_advisor", "parts")]
    for n in range(4):
        for user in users:
            await alert(db, user, clock, n)
    statements = await _claim_statements(engine, dispatcher())
    assert statements, "the claim no longer reads what other dispatchers hold"
    # Queued again, so that explaining finds candidates for every statement.
    for n in range(4, 8):
        for user in users:
            await alert(db, user, clock, n)

    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            if connection.dialect.name == "postgresql":
                await connection.exec_driver_sql("SET LOCAL enable_hashjoin = off")
                await connection.exec_driver_sql("SET LOCAL enable_mergejoin = off")
                for statement, parameters in statements:
                    result = await connection.exec_driver_sql(
                        f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
                    )
                    found = result.scalar_one()
                    plan = (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]
                    assert _loops_reading(plan, HELD_ELSEWHERE) == [1], statement
            else:
                for statement, parameters in statements:
                    result = await connection.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {statement}", parameters
                    )
                    details = [row[-1] for row in result]
                    assert not [d for d in details if "CORRELATED" in d], details
        finally:
            await transaction.rollback()
