"""Each kind of search reads an index, not the table, at 100,000 customers: the statement
`search_customers` sends is captured and explained on the same database, so a change to the
query or a lost index fails here long before a store notices a slow search."""

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from baton.db import models
from baton.demo.people import make_vin
from baton.domain.access import Actor
from baton.domain.search import search_customers
from tests.conftest import AsUser
from tests.support.world import World

CUSTOMERS = 100_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华小凡"
NOW = datetime(2026, 11, 1, tzinfo=UTC)

# What staff type, and the index each kind must be answered from.
KINDS = {
    "phone ending": ("0417", {"ix_customers_store_id_phone_reversed"}),
    "VIN ending": ("KP042788", {"ix_vehicles_vin_reversed"}),
    "plate": ("D12345", {"ix_vehicles_plate_reversed"}),
    "surname or given name": (
        "小凡",
        {"ix_customers_store_id_name", "ix_customers_store_id_name_reversed"},
    ),
}
NAME_ANYWHERE = (
    "张小凡",
    {"postgresql": "ix_customers_name_trigrams", "sqlite": "ix_customers_store_id_name"},
)


def _rows(world: World) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(2026)
    store_ids = [world.stores["A"].id, world.stores["B"].id]
    customers, vehicles = [], []
    for number in range(1, CUSTOMERS + 1):
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        phone = f"13{rng.randrange(10**9):09d}"
        customers.append(
            {
                "id": number,
                "store_id": store_ids[number % 2],
                "name": name,
                "name_reversed": name[::-1],
                "phone": phone,
                "phone_reversed": phone[::-1],
                "tags": [],
                "created_at": NOW,
                "updated_at": NOW,
                "version": 1,
            }
        )
        vin = make_vin(rng)
        plate = f"沪A{rng.randrange(10**5):05d}"
        vehicles.append(
            {
                "customer_id": number,
                "vin": vin,
                "vin_reversed": vin[::-1],
                "plate": plate,
                "plate_reversed": plate[::-1],
                "model_name": "Model Y",
                "created_at": NOW,
                "version": 1,
            }
        )
    return customers, vehicles


@pytest.fixture
async def manager_of_a_big_store(db: AsyncSession, as_user: AsUser, world: World) -> Actor:
    """The actor first: making staff commits, and these rows must roll back with the test."""
    actor = await as_user("store_manager", store="A")
    customers, vehicles = _rows(world)
    await db.execute(insert(models.Customer.__table__), customers)
    await db.execute(insert(models.Vehicle.__table__), vehicles)
    await db.execute(text("ANALYZE"))
    return actor


@contextmanager
def _captured(db: AsyncSession) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


async def _plan(db: AsyncSession, actor: Actor, search: str) -> tuple[set[str], set[str]]:
    """(indexes read, tables read whole) for the one statement the search sends."""
    with _captured(db) as statements:
        await search_customers(db, actor, search, first=20, after_id=None)
    assert len(statements) == 1
    statement, parameters = statements[0]
    connection = await db.connection()
    if connection.dialect.name == "postgresql":
        result = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        plan = result.scalar_one()
        return _postgres_reads(json.loads(plan) if isinstance(plan, str) else plan)
    rows = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)).all()
    return _sqlite_reads([row[-1] for row in rows])


def _postgres_reads(plan: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    indexes, whole_tables = set(), set()
    nodes = [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if "Index Name" in node:
            indexes.add(node["Index Name"])
        if node["Node Type"] == "Seq Scan":
            whole_tables.add(node["Relation Name"])
        nodes += node.get("Plans", [])
    return indexes, whole_tables


def _sqlite_reads(details: list[str]) -> tuple[set[str], set[str]]:
    indexes, whole_tables = set(), set()
    for detail in details:
        words = detail.split()
        if "INDEX" in words and words[0] == "SEARCH":
            indexes.add(words[words.index("INDEX") + 1])
        elif words[0] == "SCAN" and words[1] in ("customers", "vehicles"):
            whole_tables.add(words[1])
    return indexes, whole_tables


async def test_each_search_kind_reads_an_index_at_100k_customers(
    db: AsyncSession, manager_of_a_big_store: Actor
) -> None:
    """One filled database for every kind: filling is what costs here."""
    database = db.get_bind().dialect.name
    # Three characters or more: trigrams on PostgreSQL; SQLite reads only the store's slice
    # of its (store_id, name) index.
    anywhere = {"postgresql": "ix_customers_name_trigrams", "sqlite": "ix_customers_store_id_name"}
    kinds = {**KINDS, "name fragment": ("张小凡", {anywhere[database]})}
    reads = {
        kind: await _plan(db, manager_of_a_big_store, search) for kind, (search, _) in kinds.items()
    }
    assert {kind: expected <= reads[kind][0] for kind, (_, expected) in kinds.items()} == {
        kind: True for kind in kinds
    }
    assert {kind: whole for kind, (_, whole) in reads.items()} == {kind: set() for kind in kinds}
