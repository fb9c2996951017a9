"""CPU per request with no HTTP server or client in between: each app called as ASGI in this
process, on the bench's SQLite database, to A/B a change quickly and with little noise.

    .venv/bin/python -m bench.inprocess                     # record, search, typename; 500 each
    .venv/bin/python -m bench.inprocess record 2000

Process CPU (all threads, so aiosqlite's too) over `requests` calls, after 50 to warm up. The
figures leave out what uvicorn costs either server per request (about 0.25 ms); bench/record.py
is the measurement of record, this one is for comparing two commits back to back. Run
`bench/record.py` once first: it fills the database."""

# ruff: noqa: E402  (the repository root goes on sys.path before the bench's own imports)

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import random
import time
from typing import Any

import orjson

from baton.app import create_app
from baton.db.engine import create_engine
from baton.settings import Settings
from bench import handwritten
from bench.record import CASES, LOGINS, _login_asgi, _requests, _visible_ids, sqlite_database


async def call(app: Any, method: str, target: str, body: bytes, headers: list[Any]) -> None:
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1234),
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[Any] = []

    async def receive() -> Any:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    if sent[0]["status"] != 200:
        raise RuntimeError(f"{target} answered {sent[0]['status']}")


async def measure(url: str, cases: list[str], requests: int, size: int) -> None:
    engine = create_engine(url)
    app = create_app(Settings(database_url=url, dispatcher=False), engine=engine)
    hand = handwritten.create_app(engine)
    ids = _visible_ids(size, "manager")
    async with app.router.lifespan_context(app):
        cookie = await _login_asgi(app, LOGINS["manager"])
        headers = [(b"cookie", f"baton_session={cookie}".encode())]
        for case in cases:
            for kind, target in (("baton", app), ("handwritten", hand)):
                rng = random.Random(3)

                async def one(
                    kind: str = kind, target: Any = target, rng: Any = rng, case: str = case
                ) -> None:
                    method, path, body = _requests(kind, case, rng, ids)
                    await call(target, method, path, orjson.dumps(body) if body else b"", headers)

                for _ in range(50):
                    await one()
                started = time.process_time()
                for _ in range(requests):
                    await one()
                cpu_ms = (time.process_time() - started) * 1000 / requests
                print(f"{case:9} {kind:12} {cpu_ms:7.3f} ms CPU/request", flush=True)
    await engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="?", default=",".join(CASES))
    parser.add_argument("requests", nargs="?", type=int, default=500)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args()
    url = sqlite_database(args.data_dir, args.size, refill=False)
    asyncio.run(measure(url, args.cases.split(","), args.requests, args.size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
