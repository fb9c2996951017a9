"""The floor under any graphql-core server: CPU to walk a record's answer that is already in memory.

    .venv/bin/python -m bench.floor                 # the bench record and search, SQLite 100k
    .venv/bin/python -m bench.floor --requests 2000

Baton's answers to the bench documents are fetched once, in process. Then graphql-core executes
the same documents against a schema built from `schema.graphql` with its default resolvers, over
those answers: every value is already there, nothing is loaded, parsed or validated again (the
document is parsed and validated once). What remains is what graphql-core itself does per field
(resolve, complete, check the type, build the result) — the part of a request no data access can
make cheaper. It is compared with the CPU the hand-written endpoint spends on a whole request in
the last `bench/record.py` run (`var/bench/last-sqlite-<size>.json`), when there is one."""

# ruff: noqa: E402  (the repository root goes on sys.path before the bench's own imports)

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import json
import random
import time
from typing import Any

from graphql import build_schema, execute, parse, validate

from bench.record import LOGINS, _requests, _visible_ids, signed_in_asgi_client, sqlite_database

CASES = ("record", "search")


async def _answers(url: str, case: str, count: int, login: str, size: int) -> list[Any]:
    """Baton's own answers (the `data` of each response) and the requests that asked them."""
    rng = random.Random(7)
    ids = _visible_ids(size, login)
    answers: list[Any] = []
    async with signed_in_asgi_client(url, LOGINS[login]) as client:
        for _ in range(count):
            _method, _path, body = _requests("baton", case, rng, ids)
            payload = (await client.post("/graphql", json=body)).json()
            if payload.get("errors"):
                raise RuntimeError(f"Baton answered errors: {payload['errors']}")
            answers.append((body, payload["data"]))
    return answers


def _walk_cpu_ms(answers: list[Any], requests: int) -> tuple[float, int]:
    """Process CPU per execution over `requests` executions, after a round that checks each
    walk gives back the answer it walked."""
    schema = build_schema((ROOT / "schema.graphql").read_text())
    document = parse(answers[0][0]["query"])
    if errors := validate(schema, document):
        raise RuntimeError(f"the bench document does not validate: {errors}")
    fields = 0
    for index in range(requests):
        body, data = answers[index % len(answers)]
        result = execute(schema, document, root_value=data, variable_values=body["variables"])
        if result.errors or result.data != data:  # the walk must give back the same answer
            raise RuntimeError(f"walking the answer changed it: {result.errors}")
        if index == 0:
            fields = _count_fields(data)
    started = time.process_time()
    for index in range(requests):
        body, data = answers[index % len(answers)]
        execute(schema, document, root_value=data, variable_values=body["variables"])
    return (time.process_time() - started) * 1000 / requests, fields


def _count_fields(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_count_fields(item) for item in value.values())
    if isinstance(value, list):
        return sum(_count_fields(item) for item in value)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--login", choices=sorted(LOGINS), default="manager")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args()
    url = sqlite_database(args.data_dir, args.size, refill=False)
    last = args.data_dir / f"last-sqlite-{args.size}.json"
    handwritten: dict[str, float] = {}
    if last.exists():
        for row in json.loads(last.read_text())["results"]:
            if row["server"] == "handwritten" and row["concurrency"] == 1:
                handwritten[row["case"]] = row["cpu_ms"]
    print(
        f"{'case':8} {'fields':>7} {'walk CPU ms':>12} {'hand-written ms':>16} {'walk / hand':>12}"
    )
    for case in CASES:
        answers = asyncio.run(_answers(url, case, 50, args.login, args.size))
        walk, fields = _walk_cpu_ms(answers, args.requests)
        hand = handwritten.get(case)
        ratio = f"{walk / hand:.2f}" if hand else "-"
        hand_text = f"{hand:.2f}" if hand else "-"
        print(f"{case:8} {fields:>7} {walk:>12.2f} {hand_text:>16} {ratio:>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
