"""Profile one bench case in process with pyinstrument (a dev extra), on the bench's database.

    .venv/bin/python -m bench.profile record            # 300 record queries, SQLite 100k
    .venv/bin/python -m bench.profile typename --requests 2000

The app runs over httpx.ASGITransport in this process, so the profile holds the server's work
and the client's (under `GraphQLEndpoint.__call__` is the server's). It prints the call tree, then
self time by function. Wall-clock samples of the main thread: the aiosqlite worker thread is
not sampled, its hand-offs show as time spent waiting for it. Run `bench/record.py` once first:
it fills the database."""

# ruff: noqa: E402  (the repository root goes on sys.path before the bench's own imports)

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import random

from pyinstrument import Profiler

from bench.record import (
    CASES,
    LOGINS,
    _requests,
    _visible_ids,
    signed_in_asgi_client,
    sqlite_database,
)


async def _run(url: str, case: str, requests: int, login: str, size: int) -> Profiler:
    ids = _visible_ids(size, login)
    rng = random.Random(11)
    async with signed_in_asgi_client(url, LOGINS[login]) as client:

        async def one() -> None:
            method, path, body = _requests("baton", case, rng, ids)
            response = await client.request(method, path, json=body)
            response.raise_for_status()

        for _ in range(20):  # warm the caches (parser, validation, SQL compilation)
            await one()
        profiler = Profiler(async_mode="enabled", interval=0.0005)
        profiler.start()
        for _ in range(requests):
            await one()
        profiler.stop()
    return profiler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", choices=CASES)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--login", choices=sorted(LOGINS), default="manager")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    args = parser.parse_args()
    url = sqlite_database(args.data_dir, args.size, refill=False)
    profiler = asyncio.run(_run(url, args.case, args.requests, args.login, args.size))
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    # Self time by function, heaviest first: where the time is actually spent.
    print(profiler.output_text(unicode=True, color=False, flat=True))
    if args.html:
        args.html.write_text(profiler.output_html())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
