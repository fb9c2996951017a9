"""Push bench: one dispatcher process against the loopback push service in another process.

    .venv/bin/python -m bench.push              # SQLite (a fresh file in a temp folder)
    .venv/bin/python -m bench.push --postgres   # a fresh PostgreSQL database, dropped after

Queues 10,000 alerts for 2,000 subscriptions (5 each) and prints:
- throughput: all alerts due at once, sends/s from first claim to last delivery;
- latency: the same volume due at a steady rate below capacity (--rate), p50/p95 of the time
  from an alert's due time to its arrival at the push service (wall clock, both processes).
Pushes are real: VAPID-signed, aes128gcm-encrypted, decrypted by the push service. Digest and
per-user cap are raised out of the way so every alert is one push (what is measured is the
sender, not the flood rules).
"""

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvloop
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from baton.clock import SystemClock
from baton.db import models
from baton.db.engine import create_engine, create_sessionmaker
from baton.domain.alerts import raise_alert
from baton.ids import parse_global_id
from baton.notify.dispatcher import Dispatcher
from baton.notify.policy import DispatchPolicy
from baton.notify.vapid import VapidKeys, generate_vapid_keys
from baton.notify.webpush import new_push_client
from bench.load import cpu_seconds

POSTGRES_SERVER = os.environ.get(
    "BATON_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


# --- the push service process --------------------------------------------------------------


def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data))


def _read(path: Path) -> Any:
    return json.loads(path.read_text())


async def serve_push(devices: int, key: str, out: Path) -> None:
    from tests.support.push_service import run_push_service

    async with run_push_service() as service:
        subscriptions = [
            service.make_subscription(application_server_key=key).to_json() for _ in range(devices)
        ]
        _write(out, subscriptions)
        print("ready", flush=True)
        loop = asyncio.get_running_loop()
        arrivals: list[tuple[str, float]] = []
        seen = 0
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            for push in service.requests[seen:]:
                if push.status == 201:
                    arrivals.append((push.json()["alertId"], push.at.timestamp()))
            seen = len(service.requests)
            refused = [p.problem for p in service.requests if p.status != 201]
            _write(out, {"arrivals": arrivals, "refused": refused[:5]})
            service.requests.clear()
            seen = 0
            arrivals = []
            print("dumped", flush=True)
            if not line or line.strip() == "quit":
                return


# --- the dispatcher process ----------------------------------------------------------------


async def prepare(engine: AsyncEngine, subscriptions: list[dict[str, Any]]) -> list[int]:
    async with engine.begin() as connection:
        await connection.run_sync(models.Base.metadata.create_all)
    now = datetime.now(UTC)
    sessions = create_sessionmaker(engine)
    async with sessions() as session:
        region = models.Region(code="BENCH", name="bench")
        session.add(region)
        await session.flush()
        store = models.Store(region_id=region.id, code="BENCH", name="bench")
        session.add(store)
        await session.flush()
        users = [
            {
                "username": f"push.{n}",
                "display_name": f"push {n}",
                "password_hash": "-",
                "role": models.Role.SERVICE_ADVISOR,
                "store_id": store.id,
                "language": "zh-CN",
                "is_active": True,
                "created_at": now,
                # No quiet hours: the bench runs whatever the hour in Shanghai.
                "quiet_hours_start": datetime.min.time(),
                "quiet_hours_end": datetime.min.time(),
            }
            for n in range(len(subscriptions))
        ]
        ids = list(await session.scalars(insert(models.User).returning(models.User.id), users))
        await session.execute(
            insert(models.PushSubscription),
            [
                {
                    "user_id": user_id,
                    "endpoint": sub["endpoint"],
                    "p256dh": sub["keys"]["p256dh"],
                    "auth": sub["keys"]["auth"],
                    "user_agent": "bench",
                    "created_at": now,
                }
                for user_id, sub in zip(ids, subscriptions, strict=True)
            ],
        )
        await session.commit()
    return ids


def params(n: int) -> dict[str, Any]:
    """A "customer is here" text with two open promises, rendered at send time."""
    return {"customer": f"客户 {n}", "open": 2, "notes": [], "promises": ["全车脚垫", "充电桩"]}


async def queue_paced(
    engine: AsyncEngine, user_ids: list[int], count: int, start: datetime, spread: float
) -> dict[int, datetime]:
    """Like `queue`, in one executemany, so queueing ends long before the first is due."""
    rows: list[dict[str, Any]] = []
    for n in range(count):
        at = start + timedelta(seconds=spread * n / count)
        rows.append(
            {
                "user_id": user_ids[n % len(user_ids)],
                "kind": models.AlertKind.CUSTOMER_HERE,
                "params": params(n),
                "url": f"/tasks/{n}",
                "tag": f"task-{n}",
                "urgent": False,
                "created_at": datetime.now(UTC),
                "due_at": at,
                "push_state": models.PushState.QUEUED,
                "attempts": 0,
                "next_attempt_at": at,
            }
        )
    async with create_sessionmaker(engine)() as session:
        ids = list(
            await session.scalars(
                insert(models.Alert).returning(models.Alert.id, sort_by_parameter_order=True),
                rows,
            )
        )
        await session.commit()
    return {alert_id: row["due_at"] for alert_id, row in zip(ids, rows, strict=True)}


async def queue(
    engine: AsyncEngine, user_ids: list[int], count: int, start: datetime, spread: float
) -> dict[int, datetime]:
    """`count` alerts round-robin over users, due evenly over `spread` seconds from `start`."""
    due: dict[int, datetime] = {}
    async with create_sessionmaker(engine)() as session:
        for n in range(count):
            at = start + timedelta(seconds=spread * n / count)
            alert_id = await raise_alert(
                session,
                user_id=user_ids[n % len(user_ids)],
                kind=models.AlertKind.CUSTOMER_HERE,
                params=params(n),
                url=f"/tasks/{n}",
                now=min(at, datetime.now(UTC)),
                due_at=at,
                tag=f"task-{n}",
            )
            assert alert_id is not None
            due[alert_id] = at
        await session.commit()
    return due


async def raise_live(
    engine: AsyncEngine, user_ids: list[int], count: int, rate: float
) -> dict[int, datetime]:
    """`count` alerts raised through `raise_alert` at `rate` a second while the dispatcher
    runs, each due when raised, as the app raises them: every 10 ms a transaction raises those
    whose time has come and commits, which wakes the dispatcher (db/outbox.py)."""
    sessions = create_sessionmaker(engine)
    due: dict[int, datetime] = {}
    started = time.perf_counter()
    done = 0
    while done < count:
        target = min(count, int((time.perf_counter() - started) * rate) + 1)
        if target > done:
            async with sessions() as session:
                now = datetime.now(UTC)
                for n in range(done, target):
                    alert_id = await raise_alert(
                        session,
                        user_id=user_ids[n % len(user_ids)],
                        kind=models.AlertKind.CUSTOMER_HERE,
                        params=params(n),
                        url=f"/tasks/{n}",
                        now=now,
                        tag=f"task-{n}",
                    )
                    assert alert_id is not None
                    due[alert_id] = now
                await session.commit()
            done = target
        await asyncio.sleep(0.01)
    return due


def dump(service: "subprocess.Popen[str]", out: Path) -> dict[str, Any]:
    assert service.stdin is not None and service.stdout is not None
    service.stdin.write("dump\n")
    service.stdin.flush()
    assert service.stdout.readline().strip() == "dumped"
    result: dict[str, Any] = _read(out)
    return result


def start_push_service(keys: VapidKeys, devices: int, exchange: Path) -> "subprocess.Popen[str]":
    """The push service in its own process (its decryption must not share our CPU time)."""
    service = subprocess.Popen(
        [sys.executable, "-m", "bench.push", "--serve-push", str(devices),
         keys.application_server_key, str(exchange)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert service.stdout is not None
    assert service.stdout.readline().strip() == "ready"
    return service


def start_profile(path: str | None) -> cProfile.Profile | None:
    """cProfile over the throughput run, timed by this process's CPU (all threads), so the
    time spent waiting for the push service or the database is not in it."""
    if path is None:
        return None
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    return profiler


def stop_profile(profiler: cProfile.Profile | None, path: str | None) -> None:
    if profiler is None or path is None:
        return
    profiler.disable()
    profiler.dump_stats(f"{path}.prof")
    with open(path, "w") as out:
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(80)
    print(f"profile of the throughput run written to {path}")


async def run(database_url: str, args: argparse.Namespace, folder: Path) -> None:
    keys = generate_vapid_keys()
    exchange = folder / "exchange.json"
    service = start_push_service(keys, args.devices, exchange)
    try:
        subscriptions = _read(exchange)
        engine = create_engine(database_url)
        try:
            user_ids = await prepare(engine, subscriptions)
            policy = DispatchPolicy(
                sub="mailto:bench@baton.example",
                batch_size=args.batch,
                concurrency=args.concurrency,
                digest_threshold=10**6,
                rate_cap=10**6,
            )
            async with new_push_client(max_connections=args.concurrency * 2) as client:
                dispatcher = Dispatcher(
                    create_sessionmaker(engine),
                    client=client,
                    vapid=keys,
                    clock=SystemClock(),
                    policy=policy,
                )
                # Throughput: a backlog, all due now, queued through the one entry point.
                await queue(engine, user_ids, args.alerts, datetime.now(UTC), 0)
                profiler = start_profile(args.profile)
                started = time.perf_counter()
                cpu = time.process_time(), cpu_seconds(service.pid)
                while await dispatcher.run_once():
                    pass
                elapsed = time.perf_counter() - started
                ours, theirs = time.process_time() - cpu[0], cpu_seconds(service.pid) - cpu[1]
                stop_profile(profiler, args.profile)
                result = dump(service, exchange)
                sent = len(result["arrivals"])
                print(
                    f"throughput: {sent} pushes in {elapsed:.1f} s = {sent / elapsed:.0f} sends/s"
                    f" (refused: {result['refused'] or 'none'}); CPU per push:"
                    f" dispatcher {ours * 1000 / max(sent, 1):.2f} ms,"
                    f" push service {theirs * 1000 / max(sent, 1):.2f} ms;"
                    f" load average {os.getloadavg()[0]:.1f}"
                )
                if args.throughput_only:
                    return
                # Latency: the same volume due at a steady rate, dispatcher in its loop.
                spread = args.alerts / args.rate
                stop = asyncio.Event()
                if args.writer == "live":
                    loop = asyncio.create_task(dispatcher.run(stop, poll_seconds=args.poll))
                    due = await raise_live(engine, user_ids, args.alerts, args.rate)
                    await asyncio.sleep(10)
                else:
                    start = datetime.now(UTC) + timedelta(seconds=5)
                    due = await queue_paced(engine, user_ids, args.alerts, start, spread)
                    loop = asyncio.create_task(dispatcher.run(stop, poll_seconds=args.poll))
                    await asyncio.sleep((start - datetime.now(UTC)).total_seconds() + spread + 10)
                stop.set()
                await loop
                result = dump(service, exchange)
        finally:
            await engine.dispose()
        by_id = {alert_id: at for alert_id, at in due.items()}
        delays = []
        for global_alert_id, arrived in result["arrivals"]:
            parsed = parse_global_id(global_alert_id)
            assert parsed is not None
            delays.append(arrived - by_id[parsed[1]].timestamp())
        delays.sort()
        p95 = delays[int(len(delays) * 0.95) - 1]
        print(
            f"latency at {args.rate:g}/s offered ({args.writer}, poll {args.poll:g} s):"
            f" {len(delays)} delivered, p50 {statistics.median(delays):.2f} s,"
            f" p95 {p95:.2f} s, max {delays[-1]:.2f} s; load average {os.getloadavg()[0]:.1f}"
        )
    finally:
        if service.stdin:
            service.stdin.write("quit\n")
            service.stdin.close()
        service.wait(timeout=30)


async def with_postgres(args: argparse.Namespace, folder: Path) -> None:
    name = f"baton_push_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(POSTGRES_SERVER).set(database=name)
        await run(url.render_as_string(hide_password=False), args, folder)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve-push":
        asyncio.run(serve_push(int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=2_000)
    parser.add_argument("--rate", type=float, default=250.0, help="alerts/s in the latency run")
    parser.add_argument("--poll", type=float, default=1.0, help="dispatcher poll interval")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--writer",
        choices=("queued", "live"),
        default="queued",
        help="latency run: alerts queued ahead, due at the rate (queued), or raised and"
        " committed at the rate while the dispatcher runs (live: the commit wakes it)",
    )
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop")
    parser.add_argument("--throughput-only", action="store_true")
    parser.add_argument(
        "--profile", metavar="FILE", help="cProfile (CPU time) of the throughput run"
    )
    args = parser.parse_args()
    # `baton serve` runs on uvloop (uvicorn's default when it is installed), as does `baton worker`.
    runner = asyncio.run if args.loop == "asyncio" else uvloop.run
    with tempfile.TemporaryDirectory(prefix="baton-push-bench-") as temporary:
        folder = Path(temporary)
        if args.postgres:
            runner(with_postgres(args, folder))
        else:
            runner(run(f"sqlite+aiosqlite:///{folder / 'push.db'}", args, folder))


if __name__ == "__main__":
    main()
