"""Bench: Baton's customer record, search and bare GraphQL layer against a hand-written endpoint.

    .venv/bin/python bench/record.py                 # SQLite, 100,000 customers
    .venv/bin/python bench/record.py --size 2000     # a quick run
    .venv/bin/python bench/record.py --postgres      # a fresh PostgreSQL database on 127.0.0.1

Fills (or reuses) a database, counts SQL statements per request in process, starts the real
app and the hand-written endpoint under uvicorn (one worker each), drives both from another
process over loopback at each concurrency, and prints the figures with Baton's ratios to the
hand-written endpoint measured in the same run. See bench/README.md."""

# ruff: noqa: E402  (the repository root goes on sys.path before the bench's own imports)

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from baton.app import create_app
from baton.db.engine import create_engine
from baton.db.migrate import alembic_config, upgrade
from baton.settings import Settings
from bench import fill, handwritten
from bench.load import Target, drive
from bench.queries import LOGIN, RECORD, SEARCH, TYPENAME

BATON_FACTORY = "baton.app:create_app"
POSTGRES_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
CASES = ("record", "search", "typename")
KINDS = ("baton", "handwritten")
LOGINS = {
    "manager": fill.MANAGER_LOGIN,
    "director": fill.DIRECTOR_LOGIN,
    "admin": fill.ADMIN_LOGIN,
}
COUNT_SAMPLES = 20
# The design's goals (DESIGN.md, "Performance targets").
GOAL_RECORD_STATEMENTS = 6
GOAL_RECORD_CPU_RATIO = 1.1
GOAL_RECORD_P95_C1_MS = 15.0
GOAL_SEARCH_THROUGHPUT_RATIO = 0.8


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the database -----------------------------------------------------------------------------


def _schema_key() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return "+".join(sorted(heads))


async def _fill(url: str, size: int) -> None:
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        rows = await fill.fill(engine, size)
        log(f"filled in {time.perf_counter() - started:.0f} s: {fill.describe(rows)}")
    finally:
        await engine.dispose()


def sqlite_database(data_dir: Path, size: int, refill: bool) -> str:
    """A filled SQLite file for this size, schema and fill version; made once, then reused."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir.resolve() / f"baton-{size}-fill{fill.FILL_VERSION}-schema{_schema_key()}.db"
    if refill or not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        log(f"filling {path} with {size:,} customers ...")
        asyncio.run(_fill(f"sqlite+aiosqlite:///{partial}", size))
        os.replace(partial, path)
    else:
        log(f"reusing {path}")
    return f"sqlite+aiosqlite:///{path}"


async def _postgres_admin(statement: str) -> None:
    engine = create_async_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _filled_database_exists(name: str) -> bool:
    """A kept database is reused only once its fill finished (the comment is set last)."""
    engine = create_async_engine(f"{POSTGRES_SERVER}/postgres")
    try:
        async with engine.connect() as connection:
            comment = await connection.scalar(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": name},
            )
        return comment == "baton bench: filled"
    finally:
        await engine.dispose()


async def _upgrade(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@contextlib.contextmanager
def postgres_database(size: int, keep: bool) -> Iterator[str]:
    """A fresh database, dropped at the end; with `keep`, one per size and fill version that is
    filled once and reused (migrated to the current schema) by later runs."""
    name = (
        f"baton_bench_{size}_fill{fill.FILL_VERSION}"
        if keep
        else f"baton_bench_{size}_{os.getpid()}"
    )
    url = f"{POSTGRES_SERVER}/{name}"
    if keep and asyncio.run(_filled_database_exists(name)):
        log(f"reusing PostgreSQL database {name}")
        asyncio.run(_upgrade(url))
        yield url
        return
    asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(_postgres_admin(f'CREATE DATABASE "{name}"'))
    try:
        log(f"filling PostgreSQL database {name} with {size:,} customers ...")
        asyncio.run(_fill(url, size))
        if keep:
            asyncio.run(_postgres_admin(f"COMMENT ON DATABASE \"{name}\" IS 'baton bench: filled'"))
        yield url
    finally:
        if keep:
            log(f"kept database {name}")
        else:
            asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- statements per request, counted in process -------------------------------------------------


def _global_id(type_name: str, number: int) -> str:
    import base64

    return base64.urlsafe_b64encode(f"{type_name}:{number}".encode()).decode().rstrip("=")


def _requests(kind: str, case: str, rng: random.Random, ids: list[int]) -> tuple[str, str, Any]:
    suffix = f"{rng.randrange(10000):04d}"
    number = rng.choice(ids)
    if kind == "baton":
        body: dict[str, Any] = {"query": TYPENAME}
        if case == "record":
            body = {"query": RECORD, "variables": {"id": _global_id("Customer", number)}}
        elif case == "search":
            body = {"query": SEARCH, "variables": {"search": suffix}}
        return "POST", "/graphql", body
    path = {"record": f"/record/{number}", "search": f"/search?q={suffix}", "typename": "/typename"}
    return "GET", path[case], None


async def _count(url: str, login: str, ids: list[int]) -> dict[tuple[str, str], list[int]]:
    """Statements per request for each server and case, through httpx.ASGITransport."""
    engine = create_engine(url)
    counts: dict[tuple[str, str], list[int]] = {}
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    apps = {
        "baton": create_app(Settings(database_url=url), engine=engine),
        "handwritten": handwritten.create_app(engine),
    }
    try:
        cookie = await _login_asgi(apps["baton"], login)
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        for kind, app in apps.items():
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", cookies={"baton_session": cookie}
            ) as client:
                for case in CASES:
                    rng = random.Random(7)
                    for _ in range(COUNT_SAMPLES):
                        method, path, body = _requests(kind, case, rng, ids)
                        statements.clear()
                        response = await client.request(method, path, json=body)
                        response.raise_for_status()
                        if b'"errors"' in response.content:
                            raise RuntimeError(f"{kind} {case}: {response.text[:500]}")
                        counts.setdefault((kind, case), []).append(len(statements))
        await _check_same_record(apps, cookie, ids)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        await engine.dispose()
    return counts


async def _check_same_record(apps: dict[str, Any], cookie: str, ids: list[int]) -> None:
    """The two servers must answer the same record (else the comparison means nothing)."""
    clients = {
        kind: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bench",
            cookies={"baton_session": cookie},
        )
        for kind, app in apps.items()
    }
    try:
        for number in random.Random(3).sample(ids, min(10, len(ids))):
            body = {"query": RECORD, "variables": {"id": _global_id("Customer", number)}}
            ours = (await clients["baton"].post("/graphql", json=body)).json()["data"]["customer"]
            theirs = (await clients["handwritten"].get(f"/record/{number}")).json()["customer"]

            def shape(record: dict[str, Any]) -> tuple[Any, ...]:
                return (
                    record["id"],
                    record["name"],
                    record["isHighPriority"],
                    [v["id"] for v in record["vehicles"]],
                    [o["id"] for o in record["orders"]],
                    [d["id"] for d in record["deliveries"]],
                    [v["id"] for v in record["serviceVisits"]],
                    [c["id"] for c in record["specialCircumstances"]],
                    [e["node"]["id"] for e in record["timeline"]["edges"]],
                    [(e["node"]["actor"] or {}).get("id") for e in record["timeline"]["edges"]],
                )

            if shape(ours) != shape(theirs):
                raise RuntimeError(f"records differ for customer {number}")
    finally:
        for client in clients.values():
            await client.aclose()


@contextlib.asynccontextmanager
async def signed_in_asgi_client(url: str, login: str) -> AsyncIterator[httpx.AsyncClient]:
    """Baton on `url` in this process (no dispatcher), behind an httpx client signed in as
    `login`: what the in-process benches drive."""
    engine = create_engine(url)
    app = create_app(Settings(database_url=url, dispatcher=False), engine=engine)
    try:
        cookie = await _login_asgi(app, login)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bench",
            cookies={"baton_session": cookie},
        ) as client:
            yield client
    finally:
        await engine.dispose()


async def _login_asgi(app: Any, login: str) -> str:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        return await _login(client, login)


async def _login(client: httpx.AsyncClient, login: str) -> str:
    variables = {"input": {"login": login, "password": fill.BENCH_PASSWORD}}
    response = await client.post("/graphql", json={"query": LOGIN, "variables": variables})
    payload = response.json()["data"]["login"]
    if payload["__typename"] != "LoginSuccess" or payload["user"]["username"] != login:
        raise RuntimeError(f"could not log in as {login}: {payload}")
    cookie = response.cookies.get("baton_session")
    if not cookie:
        raise RuntimeError("no session cookie")
    return cookie


# --- the servers --------------------------------------------------------------------------------


@dataclass
class Server:
    kind: str
    process: subprocess.Popen[bytes]
    base_url: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(kind: str, url: str, baton_factory: str = BATON_FACTORY) -> Server:
    port = _free_port()
    factory = baton_factory if kind == "baton" else "bench.handwritten:create_app"
    env = {
        **os.environ,
        "BATON_DATABASE_URL": url,
        "BATON_LOG_LEVEL": "WARNING",
        # The notify worker polls once a second whatever the load: its CPU is not a request's.
        "BATON_DISPATCHER": "false",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        factory,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    server = Server(kind, process, f"http://127.0.0.1:{port}")
    probe = "/healthz" if kind == "baton" else "/typename"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} server exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.base_url + probe, timeout=1).status_code == 200:
                return server
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"{kind} server did not start")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


# --- the run ------------------------------------------------------------------------------------


def _visible_ids(size: int, who: str) -> list[int]:
    if who == "manager":
        return [n for n in range(1, size + 1) if fill.store_of(n) == 1]
    return list(range(1, size + 1))


def measure(args: argparse.Namespace, url: str) -> dict[str, Any]:
    login = LOGINS[args.login]
    ids = _visible_ids(args.size, args.login)
    log("counting SQL statements per request in process ...")
    counts = asyncio.run(_count(url, login, ids))
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    servers: dict[str, Server] = {}
    results: list[dict[str, Any]] = []
    context = multiprocessing.get_context("spawn")
    try:
        for kind in KINDS:
            servers[kind] = start_server(kind, url, args.baton_factory)
        # Log in over HTTP, as a phone would; the hand-written endpoint checks the same session.
        cookie = asyncio.run(_login_http(servers["baton"].base_url, login))
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as driver:
            for case in CASES:
                for concurrency in concurrencies:
                    for kind in KINDS:
                        server = servers[kind]
                        target = Target(
                            kind=kind,
                            base_url=server.base_url,
                            pid=server.process.pid,
                            cookie=cookie,
                            case=case,
                            ids=tuple(ids),
                        )
                        log(f"  {case:<8} c={concurrency:<3} {kind} ...")
                        figures = driver.submit(
                            drive, target, concurrency, args.seconds, args.warmup
                        ).result()
                        statements = counts[(kind, case)]
                        results.append(
                            {
                                "case": case,
                                "concurrency": concurrency,
                                "server": kind,
                                **figures,
                                "sql": sum(statements) / len(statements),
                                "sql_max": max(statements),
                            }
                        )
    finally:
        for server in servers.values():
            stop_server(server)
    return {
        "database": make_url(url).get_backend_name(),
        "size": args.size,
        "login": args.login,
        "seconds": args.seconds,
        "baton_factory": args.baton_factory,
        "results": results,
    }


async def _login_http(base_url: str, login: str) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        return await _login(client, login)


def _find(results: list[dict[str, Any]], case: str, c: int, server: str) -> dict[str, Any]:
    return next(
        r for r in results if (r["case"], r["concurrency"], r["server"]) == (case, c, server)
    )


def report(run: dict[str, Any]) -> str:
    results = run["results"]
    lines = [
        f"Baton bench: {run['database']}, {run['size']:,} customers, logged in as "
        f"{run['login']}, {run['seconds']:g} s per case"
        + ("" if run["baton_factory"] == BATON_FACTORY else f", Baton as {run['baton_factory']}"),
        "",
        f"{'case':<9}{'c':>3}  {'server':<12}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'CPU ms/req':>12}{'SQL/req':>9}{'errors':>8}"
        f"{'× rps':>8}{'× CPU':>8}",
    ]
    for r in results:
        ratio = ""
        if r["server"] == "baton":
            hand = _find(results, r["case"], r["concurrency"], "handwritten")
            ratio = f"{r['rps'] / hand['rps']:>8.2f}{r['cpu_ms'] / hand['cpu_ms']:>8.2f}"
        sql = f"{r['sql']:.1f}" if r["sql"] != int(r["sql"]) else f"{int(r['sql'])}"
        lines.append(
            f"{r['case']:<9}{r['concurrency']:>3}  {r['server']:<12}{r['rps']:>8.1f}"
            f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['cpu_ms']:>12.2f}"
            f"{sql:>9}{r['errors']:>8}{ratio}"
        )
    lines += ["", "× rps, × CPU: Baton's figure divided by the hand-written endpoint's.", ""]
    lines += _goals(results)
    return "\n".join(lines)


def _goals(results: list[dict[str, Any]]) -> list[str]:
    concurrencies = sorted({r["concurrency"] for r in results})
    top = concurrencies[-1]
    lines = ["Goals (DESIGN.md, Performance targets):"]

    def goal(text: str, value: str, met: bool) -> None:
        lines.append(f"  [{'met' if met else 'NOT met'}] {text}: {value}")

    record = _find(results, "record", top, "baton")
    goal(
        f"record query <= {GOAL_RECORD_STATEMENTS} SQL statements",
        f"{record['sql_max']}",
        record["sql_max"] <= GOAL_RECORD_STATEMENTS,
    )
    for c in concurrencies:
        ours = _find(results, "record", c, "baton")
        hand = _find(results, "record", c, "handwritten")
        ratio = ours["cpu_ms"] / hand["cpu_ms"]
        goal(
            f"record CPU/request <= {GOAL_RECORD_CPU_RATIO}x hand-written (c={c})",
            f"{ratio:.2f}x ({ours['cpu_ms']:.2f} vs {hand['cpu_ms']:.2f} ms)",
            ratio <= GOAL_RECORD_CPU_RATIO,
        )
    if 1 in concurrencies:
        p95 = _find(results, "record", 1, "baton")["p95"]
        goal(
            f"record p95 at c=1 <= {GOAL_RECORD_P95_C1_MS:g} ms",
            f"{p95:.1f} ms",
            p95 <= GOAL_RECORD_P95_C1_MS,
        )
    for c in concurrencies:
        ours = _find(results, "search", c, "baton")
        hand = _find(results, "search", c, "handwritten")
        ratio = ours["rps"] / hand["rps"]
        goal(
            f"search throughput >= {GOAL_SEARCH_THROUGHPUT_RATIO}x hand-written (c={c})",
            f"{ratio:.2f}x ({ours['rps']:.0f} vs {hand['rps']:.0f} req/s)",
            ratio >= GOAL_SEARCH_THROUGHPUT_RATIO,
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=100_000, help="customers (default 100000)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL on 127.0.0.1:5432")
    parser.add_argument(
        "--keep", action="store_true", help="PostgreSQL: fill once, keep and reuse the database"
    )
    parser.add_argument("--refill", action="store_true", help="rebuild the cached SQLite file")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per case")
    parser.add_argument("--warmup", type=float, default=1.5, help="warm-up seconds per case")
    parser.add_argument("--concurrency", default="1,16", help="comma-separated (default 1,16)")
    parser.add_argument("--login", choices=sorted(LOGINS), default="manager")
    parser.add_argument(
        "--baton-factory",
        default=BATON_FACTORY,
        help="app factory uvicorn serves as Baton (to A/B a change; default %(default)s)",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=ROOT / "var" / "bench", help="cached databases, results"
    )
    args = parser.parse_args(argv)
    if "1" not in args.concurrency.split(","):
        log("note: the p95 goal is stated at concurrency 1")
    started = time.perf_counter()
    if args.postgres:
        with postgres_database(args.size, args.keep) as url:
            run = measure(args, url)
    else:
        run = measure(args, sqlite_database(args.data_dir, args.size, args.refill))
    text_report = report(run)
    print(text_report)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    stem = f"last-{run['database']}-{args.size}"
    if args.baton_factory != BATON_FACTORY:
        stem += "-ab"
    (args.data_dir / f"{stem}.json").write_text(json.dumps(run, indent=2))
    (args.data_dir / f"{stem}.txt").write_text(text_report + "\n")
    log(f"took {time.perf_counter() - started:.0f} s; figures in {args.data_dir / stem}.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
