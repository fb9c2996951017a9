"""The load driver: runs in its own process, sends requests over loopback, measures.

One call of `drive` is one case: a warm-up, then a measured window in which `concurrency`
workers each send their next request as soon as the last one is answered. The server's CPU
time is read from /proc/<pid>/stat at the edges of the measured window."""

import asyncio
import os
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench.queries import RECORD, SEARCH, TYPENAME

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Target:
    """Which server and what it is asked: kind is baton or handwritten; case record/search/
    typename; ids are the customer numbers the caller may see."""

    kind: str
    base_url: str
    pid: int
    cookie: str
    case: str
    ids: tuple[int, ...]


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of the process."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _global_id(type_name: str, number: int) -> str:
    import base64

    return base64.urlsafe_b64encode(f"{type_name}:{number}".encode()).decode().rstrip("=")


def _request(target: Target, rng: random.Random) -> tuple[str, str, dict[str, Any] | None]:
    """(method, path, json body) of the next request."""
    suffix = f"{rng.randrange(10000):04d}"
    if target.kind == "baton":
        if target.case == "record":
            variables = {"id": _global_id("Customer", rng.choice(target.ids))}
            return "POST", "/graphql", {"query": RECORD, "variables": variables}
        if target.case == "search":
            return "POST", "/graphql", {"query": SEARCH, "variables": {"search": suffix}}
        return "POST", "/graphql", {"query": TYPENAME}
    if target.case == "record":
        return "GET", f"/record/{rng.choice(target.ids)}", None
    if target.case == "search":
        return "GET", f"/search?q={suffix}&first=20", None
    return "GET", "/typename", None


def _ok(target: Target, response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    body = response.content
    if target.kind == "baton":
        return b'"errors"' not in body
    return target.case == "typename" or b'"customer' in body


async def _run(
    target: Target, concurrency: int, seconds: float, warmup: float, seed: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    measuring = False
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=target.base_url,
        cookies={"baton_session": target.cookie},
        limits=limits,
        timeout=30.0,
    ) as client:

        async def worker(number: int, until: float) -> None:
            nonlocal errors
            rng = random.Random(seed * 1000 + number)
            while time.perf_counter() < until:
                method, path, body = _request(target, rng)
                started = time.perf_counter()
                response = await client.request(method, path, json=body)
                elapsed = time.perf_counter() - started
                if measuring:
                    latencies.append(elapsed)
                    if not _ok(target, response):
                        errors += 1

        until = time.perf_counter() + warmup
        await asyncio.gather(*(worker(n, until) for n in range(concurrency)))
        measuring = True
        cpu_before = cpu_seconds(target.pid)
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(worker(n, until) for n in range(concurrency)))
        wall = time.perf_counter() - started
        cpu = cpu_seconds(target.pid) - cpu_before
    latencies.sort()
    count = len(latencies)

    def percentile(p: float) -> float:
        return latencies[min(count - 1, int(p * count))] * 1000 if count else float("nan")

    return {
        "requests": count,
        "errors": errors,
        "rps": count / wall,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "cpu_ms": cpu * 1000 / count if count else float("nan"),
    }


def drive(
    target: Target, concurrency: int, seconds: float, warmup: float, seed: int = 1
) -> dict[str, Any]:
    """Entry point in the driver process (picklable arguments, plain dict result)."""
    return asyncio.run(_run(target, concurrency, seconds, warmup, seed))
