"""The record with and without the learning archive, in process: SQL statements and latency.

    .venv/bin/python bench/learning.py --size 2000

Fills a SQLite bench database (bench/fill.py), gives each store the default catalogue and
every customer two teaching sessions (a delivery training of 6 topics with automatic parking
skipped, a first-service training of 4), then asks the record as bench/queries.py does, once
as it is (before) and once with the archive fields the PWA reads (after), through the real app
over httpx.ASGITransport, sequentially, for `--requests` random customers of store 1. In
process and single-threaded: the figures compare the two queries, not the servers (record.py
does that over HTTP against the hand-written endpoint)."""

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from baton.app import create_app  # noqa: E402
from baton.db import models  # noqa: E402
from baton.db.engine import create_engine  # noqa: E402
from baton.settings import Settings  # noqa: E402
from bench import fill  # noqa: E402
from bench.queries import RECORD  # noqa: E402
from bench.record import _global_id, _login_asgi, _visible_ids  # noqa: E402

ARCHIVE_FIELDS = """
    learningProgress { mastered total stage }
    teachNext(first: 5) { topic { id name } highest { level }
      skipped { skipReason at by { displayName } } }
    learningArchive(first: 50) { edges { node { topic { id name retired } mastered refreshers
      highest { level at by { displayName } } latest { level at by { displayName } }
      skipped { skipReason skipNote at by { displayName } } } } }
    learningCatalogue { id name stage }
    timeline(first: 20) {"""
RECORD_WITH_ARCHIVE = RECORD.replace("    timeline(first: 20) {", ARCHIVE_FIELDS, 1)


async def _add_learning(url: str, size: int) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        teachers = {
            row.store_id: row.id
            for row in await connection.execute(
                select(models.User.store_id, models.User.id).where(
                    models.User.role == models.Role.DELIVERY_SPECIALIST
                )
            )
        }
        advisors = {
            row.store_id: row.id
            for row in await connection.execute(
                select(models.User.store_id, models.User.id).where(
                    models.User.role == models.Role.SERVICE_ADVISOR
                )
            )
        }
        store_ids = sorted(teachers)
        topics: dict[int, list[int]] = {}
        from baton.domain.learning.topics import DEFAULT_CATALOGUE

        next_topic = 1
        rows = []
        for store_id in store_ids:
            topics[store_id] = []
            for position, (code, stage, department) in enumerate(DEFAULT_CATALOGUE, 1):
                rows.append(
                    {
                        "id": next_topic,
                        "store_id": store_id,
                        "code": code,
                        "position": position,
                        "stage": stage.value,
                        "department": department.value,
                        "created_at": now,
                        "version": 1,
                    }
                )
                topics[store_id].append(next_topic)
                next_topic += 1
        await connection.execute(insert(models.LearningTopic.__table__), rows)
        sessions, entries = [], []
        for customer_id in range(1, size + 1):
            store_id = store_ids[fill.store_of(customer_id) - 1]
            plan = [
                (teachers[store_id], "delivery_training", topics[store_id][:8], 400),
                (advisors[store_id], "first_service_training", topics[store_id][8:12], 300),
            ]
            for n, (teacher, kind, taught, days) in enumerate(plan):
                session_id = customer_id * 2 - 1 + n
                at = now - timedelta(days=days)
                sessions.append(
                    {
                        "id": session_id,
                        "customer_id": customer_id,
                        "kind": kind,
                        "taught_at": at,
                        "teacher_id": teacher,
                        "author_id": teacher,
                        "note": "",
                        "created_at": at,
                        "updated_at": at,
                        "version": 1,
                    }
                )
                for index, topic_id in enumerate(taught):
                    skipped = kind == "delivery_training" and index == 5
                    entries.append(
                        {
                            "session_id": session_id,
                            "customer_id": customer_id,
                            "topic_id": topic_id,
                            "level": None if skipped else ("mastered", "practised")[index % 2],
                            "skip_reason": "knows_it" if skipped else None,
                            "skip_note": "",
                        }
                    )
        await connection.execute(insert(models.TeachingSession.__table__), sessions)
        await connection.execute(insert(models.TeachingEntry.__table__), entries)
    await engine.dispose()


async def _measure(url: str, size: int, requests: int) -> dict[str, dict[str, float]]:
    engine = create_engine(url)
    app = create_app(Settings(database_url=url), engine=engine)
    cookie = await _login_asgi(app, fill.MANAGER_LOGIN)
    ids = _visible_ids(size, "manager")
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    results: dict[str, dict[str, float]] = {}
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", cookies={"baton_session": cookie}
    ) as client:
        for name, query in (("before", RECORD), ("after", RECORD_WITH_ARCHIVE)):
            rng = random.Random(11)
            times, counts = [], []
            for n in range(requests + 20):
                body = {
                    "query": query,
                    "variables": {"id": _global_id("Customer", rng.choice(ids))},
                }
                statements.clear()
                started = time.perf_counter()
                response = await client.post("/graphql", json=body)
                elapsed = (time.perf_counter() - started) * 1000
                assert b'"errors"' not in response.content, response.text[:300]
                if n >= 20:  # warm-up: caches, connection
                    times.append(elapsed)
                    counts.append(len(statements))
            times.sort()
            results[name] = {
                "sql": statistics.mean(counts),
                "p50": times[len(times) // 2],
                "p95": times[int(len(times) * 0.95)],
                "mean": statistics.mean(times),
            }
    event.remove(engine.sync_engine, "before_cursor_execute", count)
    await engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/learning.db"
        engine = create_engine(url)
        asyncio.run(fill.fill(engine, args.size))
        asyncio.run(engine.dispose())
        asyncio.run(_add_learning(url, args.size))
        found = asyncio.run(_measure(url, args.size, args.requests))
    print(f"record query, sqlite, {args.size} customers, {args.requests} requests, in process")
    print(f"{'':8} {'SQL/req':>8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, row in found.items():
        print(f"{name:8} {row['sql']:8.1f} {row['p50']:8.1f} {row['p95']:8.1f} {row['mean']:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
