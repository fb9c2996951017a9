"""Fill a bench database fast: Core `insert(...)` executemany in big batches, one transaction each.

Ids are assigned here (1..n per table), so children can point at parents without RETURNING.
Deterministic for a given size: the same names, phones, VINs and plates every time."""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, String, Table, Text, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import JSON, TypeEngine

from baton.db import models
from baton.db.migrate import upgrade
from baton.db.models import Role
from baton.demo.people import COMPLAINTS, GIVEN, MODELS, STREETS, SURNAMES, make_vin
from baton.domain.auth import hash_password
from baton.domain.phone import reversed_digits
from baton.domain.vehicles import normalise_plate

# Bump when the generated data changes, so cached databases are rebuilt.
FILL_VERSION = 2
BATCH_CUSTOMERS = 5000
BENCH_PASSWORD = "baton-bench"
STORE_CODES = ("BENCH-1", "BENCH-2")
# (username prefix, role, how many per store)
STORE_STAFF = (
    ("sales", Role.SALES_CONSULTANT, 10),
    ("delivery", Role.DELIVERY_SPECIALIST, 4),
    ("advisor", Role.SERVICE_ADVISOR, 6),
    ("manager", Role.STORE_MANAGER, 1),
)
# The logins the bench drives the app with.
MANAGER_LOGIN = "manager.1.1"  # store manager of store 1 (sees the odd customer ids)
DIRECTOR_LOGIN = "bench.director"  # regional director of both stores
ADMIN_LOGIN = "bench.admin"
FILLER_EVENTS = (
    ("call_logged", "回访电话：客户满意"),
    ("note_added", "客户询问充电桩安装"),
    ("message_sent", "提醒：年检即将到期"),
    ("call_logged", "邀约试驾新款车型"),
    ("note_added", "客户更换了联系地址"),
)
# (category, description, due) of promises, by value so the bench needs no promise enums.
PROMISE_KINDS = (
    ("gift_accessory", "赠送全年脚垫和行车记录仪", "at_handover"),
    ("service_package", "6次免费保养（3年内）", "entitlement"),
    ("delivery_time", "月底前交车", "by_date"),
    ("vehicle_configuration", "升级20寸轮毂", "at_handover"),
    ("gift_accessory", "赠送家用充电桩及安装", "by_date"),
    ("other", "首年保险返现2000元", "by_date"),
)
CIRCUMSTANCE_NOTES = {
    models.CircumstanceKind.SOLD_OLD_CAR: "旧车已卖，等新车上班",
    models.CircumstanceKind.TOOK_LEAVE: "请了三天假等提车",
    models.CircumstanceKind.BUSINESS_TRIP: "下周出差，需要本周交车",
    models.CircumstanceKind.OTHER: "家里老人需要用车",
}


def store_of(customer_id: int) -> int:
    """Customers alternate between the two stores: odd ids in store 1, even ids in store 2."""
    return 1 if customer_id % 2 else 2


@dataclass
class Staff:
    by_store: dict[int, dict[Role, list[int]]]
    users: list[dict[str, Any]]


@dataclass
class Counters:
    vehicle: int = 0
    order: int = 0
    delivery: int = 0
    visit: int = 0
    event: int = 0
    circumstance: int = 0
    promise: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _staff(now: datetime) -> Staff:
    password_hash = hash_password(BENCH_PASSWORD)
    users: list[dict[str, Any]] = []
    by_store: dict[int, dict[Role, list[int]]] = {1: {}, 2: {}}

    def add(username: str, role: Role, store_id: int | None, region_id: int | None) -> int:
        user_id = len(users) + 1
        users.append(
            {
                "id": user_id,
                "username": username,
                # Staff log in with username or phone; every bench user has one of each.
                "phone": f"+86139{88000000 + user_id:08d}",
                "display_name": f"{role.value} {user_id}",
                "password_hash": password_hash,
                "role": role,
                "store_id": store_id,
                "region_id": region_id,
                "language": "zh-CN",
                "is_active": True,
                "created_at": now,
            }
        )
        return user_id

    for store_id in (1, 2):
        for prefix, role, count in STORE_STAFF:
            for n in range(1, count + 1):
                user_id = add(f"{prefix}.{store_id}.{n}", role, store_id, None)
                by_store[store_id].setdefault(role, []).append(user_id)
    add(DIRECTOR_LOGIN, Role.REGIONAL_DIRECTOR, None, 1)
    add(ADMIN_LOGIN, Role.ADMIN, None, None)
    return Staff(by_store, users)


def _example_value(column_type: TypeEngine[Any], rng: random.Random, now: datetime) -> Any:
    """A plausible value for a column the bench does not know (used for promises)."""
    if isinstance(column_type, Enum):
        members = list(column_type.enum_class) if column_type.enum_class else column_type.enums
        return members[0]
    impl = getattr(column_type, "impl", column_type)
    if isinstance(impl, DateTime):
        return now + timedelta(hours=rng.randrange(-400, 400))
    if isinstance(impl, Date):
        return (now + timedelta(days=rng.randrange(-30, 30))).date()
    if isinstance(impl, Boolean):
        return False
    if isinstance(impl, Integer):
        return 1
    if isinstance(impl, JSON):
        return {}
    if isinstance(impl, Text | String):
        return "bench"[: getattr(impl, "length", None) or 5]
    return None


def _promise_table() -> Table | None:
    """The promises table, once another engineer's Promise model exists (else None)."""
    promise = getattr(models, "Promise", None)
    table = getattr(promise, "__table__", None)
    return table if isinstance(table, Table) else None


def _promise_rows(
    table: Table,
    rng: random.Random,
    counters: Counters,
    *,
    customer_id: int,
    order_id: int,
    store_id: int,
    staff: dict[Role, list[int]],
    since: datetime,
    now: datetime,
) -> list[dict[str, Any]]:
    # PROMISES: 3–6 per order. Known columns get realistic values; any column the bench does
    # not know yet (the model is new) is filled from its foreign keys or its type.
    rows = []
    for _ in range(rng.randint(3, 6)):
        counters.promise += 1
        category, description, due_kind = rng.choice(PROMISE_KINDS)
        known: dict[str, Any] = {
            "id": counters.promise,
            "order_id": order_id,
            "customer_id": customer_id,
            "category": category,
            "description": description,
            "due": due_kind,
            "due_on": (since + timedelta(days=rng.randrange(10, 60))).date()
            if due_kind == "by_date"
            else None,
            "entitlement_total": 6 if due_kind == "entitlement" else None,
            "entitlement_used": rng.randrange(0, 3) if due_kind == "entitlement" else 0,
            "entitlement_valid_until": (since + timedelta(days=3 * 365)).date()
            if due_kind == "entitlement"
            else None,
            "status": rng.choice(("pending", "fulfilled", "fulfilled", "partially_fulfilled")),
            "deferred_to": None,
            "evidence_note": "",
            "made_by_id": rng.choice(staff[Role.SALES_CONSULTANT]),
            "created_at": since,
            "updated_at": since,
            "fulfilled_at": None,
            "version": 1,
        }
        row: dict[str, Any] = {}
        for column in table.columns:
            targets = {fk.column.table.name for fk in column.foreign_keys}
            if column.name in known:
                row[column.name] = known[column.name]
            elif "orders" in targets:
                row[column.name] = order_id
            elif "customers" in targets:
                row[column.name] = customer_id
            elif "stores" in targets:
                row[column.name] = store_id
            elif "users" in targets:
                row[column.name] = known["made_by_id"]
            elif targets:
                row[column.name] = None  # an unknown parent: left empty
            elif not column.nullable and column.default is None:
                row[column.name] = _example_value(column.type, rng, now)
            else:
                row[column.name] = None if column.nullable else column.default.arg  # type: ignore[union-attr]
        rows.append(row)
    return rows


def _customer_rows(
    customer_id: int,
    rng: random.Random,
    staff: Staff,
    counters: Counters,
    phones: set[str],
    vins: set[str],
    now: datetime,
    rows: dict[str, list[dict[str, Any]]],
    promises: Table | None,
) -> None:
    store_id = store_of(customer_id)
    people = staff.by_store[store_id]
    sales = rng.choice(people[Role.SALES_CONSULTANT])
    delivery = rng.choice(people[Role.DELIVERY_SPECIALIST])
    advisor = rng.choice(people[Role.SERVICE_ADVISOR])
    since = now - timedelta(days=rng.randrange(60, 1500), minutes=rng.randrange(1440))
    while True:
        phone = f"+861{rng.choice('35789')}{rng.randrange(10**9):09d}"
        if phone not in phones:
            phones.add(phone)
            break
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    tags = ["vip"] if customer_id % 11 == 0 else (["fleet"] if customer_id % 17 == 0 else [])
    rows["customers"].append(
        {
            "id": customer_id,
            "store_id": store_id,
            "name": name,
            "name_reversed": name[::-1],
            "phone": phone,
            "phone_reversed": reversed_digits(phone),
            "address": f"上海市{rng.choice(STREETS)}{rng.randrange(1, 2000)}号",
            "tags": tags,
            "created_at": since,
            "updated_at": since,
            "version": 1,
        }
    )
    events: list[tuple[datetime, str, models.Department, int, str, str | None, int | None]] = []
    events.append((since, "customer_created", models.Department.SALES, sales, "", None, None))
    vehicle_ids = []
    for _ in range(rng.choice((1, 1, 2))):
        while True:
            vin = make_vin(rng)
            if vin not in vins:
                vins.add(vin)
                break
        plate = normalise_plate(f"沪A{rng.choice('DF')}{rng.randrange(10000, 99999)}")
        counters.vehicle += 1
        model_name = rng.choice(MODELS)
        rows["vehicles"].append(
            {
                "id": counters.vehicle,
                "customer_id": customer_id,
                "vin": vin,
                "vin_reversed": vin[::-1],
                "plate": plate,
                "plate_reversed": plate[::-1],
                "model_name": model_name,
                "created_at": since,
                "version": 1,
            }
        )
        vehicle_ids.append(counters.vehicle)
        summary = f"{model_name} {vin}"
        events.append(
            (
                since,
                "vehicle_added",
                models.Department.SALES,
                sales,
                summary,
                "Vehicle",
                counters.vehicle,
            )
        )
    counters.order += 1
    order_id = counters.order
    delivered = customer_id % 5 != 0
    planned = (since + timedelta(days=rng.randrange(10, 40))).date()
    if not delivered:
        planned = (now + timedelta(days=rng.randrange(2, 20))).date()
    model_name = rng.choice(MODELS)
    rows["orders"].append(
        {
            "id": order_id,
            "customer_id": customer_id,
            "vehicle_id": vehicle_ids[0],
            "sales_consultant_id": sales,
            "model_name": model_name,
            "planned_delivery_date": planned,
            "status": models.OrderStatus.DELIVERED if delivered else models.OrderStatus.SUBMITTED,
            "created_at": since,
            "version": 1,
        }
    )
    events.append(
        (since, "order_created", models.Department.SALES, sales, model_name, "Order", order_id)
    )
    handover_at = datetime(planned.year, planned.month, planned.day, 6, tzinfo=UTC)
    counters.delivery += 1
    rows["deliveries"].append(
        {
            "id": counters.delivery,
            "order_id": order_id,
            "customer_id": customer_id,
            "delivery_specialist_id": delivery,
            "scheduled_at": handover_at,
            "status": models.DeliveryStatus.COMPLETED
            if delivered
            else models.DeliveryStatus.SCHEDULED,
            "completed_at": handover_at if delivered else None,
            "version": 1,
        }
    )
    if promises is not None:
        rows.setdefault(promises.name, []).extend(
            _promise_rows(
                promises,
                rng,
                counters,
                customer_id=customer_id,
                order_id=order_id,
                store_id=store_id,
                staff=people,
                since=since,
                now=now,
            )
        )
    if delivered:
        events.append(
            (
                handover_at,
                "handover_completed",
                models.Department.DELIVERY,
                delivery,
                model_name,
                "Order",
                order_id,
            )
        )
        visit_at = handover_at
        for _ in range(rng.randrange(0, 5)):
            visit_at += timedelta(days=rng.randrange(20, 120), minutes=rng.randrange(600))
            if visit_at >= now:
                break
            counters.visit += 1
            complaint = rng.choice(COMPLAINTS)
            rows["service_visits"].append(
                {
                    "id": counters.visit,
                    "customer_id": customer_id,
                    "vehicle_id": rng.choice(vehicle_ids),
                    "advisor_id": advisor,
                    "checked_in_at": visit_at,
                    "mileage_km": rng.randrange(1000, 60000),
                    "complaint": complaint,
                    "status": models.VisitStatus.COMPLETED,
                    "version": 1,
                }
            )
            events.append(
                (
                    visit_at,
                    "service_check_in",
                    models.Department.SERVICE,
                    advisor,
                    complaint,
                    "ServiceVisit",
                    counters.visit,
                )
            )
    if customer_id % 13 == 0:
        kind = rng.choice(list(models.CircumstanceKind))
        counters.circumstance += 1
        starts = now - timedelta(days=rng.randrange(0, 20))
        rows["special_circumstances"].append(
            {
                "id": counters.circumstance,
                "customer_id": customer_id,
                "kind": kind,
                "note": CIRCUMSTANCE_NOTES[kind],
                "starts_on": starts.date(),
                "ends_on": (starts + timedelta(days=10)).date() if customer_id % 2 else None,
                "created_by_id": sales,
                "created_at": starts,
            }
        )
        events.append(
            (
                starts,
                "special_circumstance",
                models.Department.SALES,
                sales,
                CIRCUMSTANCE_NOTES[kind],
                "SpecialCircumstance",
                counters.circumstance,
            )
        )
    # Calls, notes and messages until the timeline holds about ten events.
    span = max(1, int((now - since).total_seconds()))
    for _ in range(max(0, rng.randint(8, 12) - len(events))):
        kind_name, summary = rng.choice(FILLER_EVENTS)
        at = since + timedelta(seconds=rng.randrange(span))
        who = rng.choice((sales, advisor, delivery))
        department = (
            models.Department.SALES
            if who == sales
            else models.Department.SERVICE
            if who == advisor
            else models.Department.DELIVERY
        )
        events.append((at, kind_name, department, who, summary, None, None))
    for at, kind_name, department, actor, summary, subject_type, subject_id in events:
        counters.event += 1
        rows["timeline_events"].append(
            {
                "id": counters.event,
                "customer_id": customer_id,
                "at": at,
                "kind": kind_name,
                "department": department,
                "actor_id": actor,
                "summary": summary,
                "subject_type": subject_type,
                "subject_id": subject_id,
            }
        )


CHILD_TABLES = (
    "customers",
    "vehicles",
    "orders",
    "deliveries",
    "service_visits",
    "special_circumstances",
    "timeline_events",
)


def _batches(
    size: int, staff: Staff, now: datetime, counters: Counters, promises: Table | None
) -> Iterator[dict[str, list[dict[str, Any]]]]:
    rng = random.Random(20261123 + size)
    phones: set[str] = set()
    vins: set[str] = set()
    for start in range(1, size + 1, BATCH_CUSTOMERS):
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in CHILD_TABLES}
        for customer_id in range(start, min(size, start + BATCH_CUSTOMERS - 1) + 1):
            _customer_rows(customer_id, rng, staff, counters, phones, vins, now, rows, promises)
        yield rows


async def _insert_all(
    connection: AsyncConnection, rows: dict[str, list[dict[str, Any]]], counters: Counters
) -> None:
    tables = models.Base.metadata.tables
    for name, table_rows in rows.items():
        if table_rows:
            await connection.execute(insert(tables[name]), table_rows)
            counters.rows[name] = counters.rows.get(name, 0) + len(table_rows)


async def _reset_sequences(connection: AsyncConnection) -> None:
    """PostgreSQL: ids were given explicitly, so move each serial past them."""
    for table in models.Base.metadata.sorted_tables:
        if "id" in table.columns:
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                )
            )


async def fill(engine: AsyncEngine, size: int, *, now: datetime | None = None) -> dict[str, int]:
    """Migrates an empty database and fills it; returns rows written per table."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    await upgrade(engine)
    tables = models.Base.metadata.tables
    staff = _staff(now)
    counters = Counters()
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables["regions"]), [{"id": 1, "code": "BENCH", "name": "基准大区"}]
        )
        await connection.execute(
            insert(tables["stores"]),
            [
                {
                    "id": n,
                    "region_id": 1,
                    "code": code,
                    "name": f"基准{n}店",
                    "time_zone": "Asia/Shanghai",
                }
                for n, code in enumerate(STORE_CODES, start=1)
            ],
        )
        await connection.execute(insert(tables["users"]), staff.users)
    promises = _promise_table()
    for rows in _batches(size, staff, now, counters, promises):
        async with engine.begin() as connection:
            await _insert_all(connection, rows, counters)
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await _reset_sequences(connection)
        await connection.execute(text("ANALYZE"))
    if promises is None:
        counters.rows["promises"] = 0  # PROMISES: no Promise model yet; see _promise_rows.
    return counters.rows


def promise_model_present() -> bool:
    return _promise_table() is not None


def describe(rows: dict[str, int]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in rows.items())
