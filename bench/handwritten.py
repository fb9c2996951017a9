"""The yardstick: a minimal hand-written Starlette + SQL endpoint (not part of the app).

It reads what Baton's customer-record query and phone-suffix search read, with the same SQL
statements (the column lists are taken from the same tables), through the same kind of engine
(`baton.db.engine.create_engine`, so the same driver and pragmas), checks the same session
cookie, and answers JSON. Run as `uvicorn bench.handwritten:create_app --factory`."""

import base64
import hashlib
import json
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from baton.db.engine import create_engine
from baton.db.models import Base
from baton.settings import get_settings
from baton.texts import render

SESSION_COOKIE = "baton_session"
TIMELINE_FIRST = 20


def _columns(table: str) -> str:
    return ", ".join(f"{table}.{c.name}" for c in Base.metadata.tables[table].columns)


def _children(table: str, order_by: str) -> TextClause:
    return text(
        f"SELECT {_columns(table)} FROM {table} WHERE {table}.customer_id IN :ids "
        f"ORDER BY {order_by}"
    ).bindparams(bindparam("ids", expanding=True))


AUTH = text(
    f"SELECT {_columns('users')} FROM users JOIN user_sessions "
    "ON user_sessions.user_id = users.id WHERE user_sessions.token_hash = :token "
    "AND user_sessions.expires_at > :now AND users.is_active IS true"
)
REGION_STORES = text("SELECT stores.id FROM stores WHERE stores.region_id = :region")
CUSTOMER = text(f"SELECT {_columns('customers')} FROM customers WHERE customers.id = :id")
STORES = text(f"SELECT {_columns('stores')} FROM stores WHERE stores.id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
USERS = text(f"SELECT {_columns('users')} FROM users WHERE users.id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
VEHICLES = _children("vehicles", "vehicles.id")
ORDERS = _children("orders", "orders.created_at DESC, orders.id DESC")
DELIVERIES = _children("deliveries", "deliveries.id DESC")
VISITS = _children("service_visits", "service_visits.checked_in_at DESC, service_visits.id DESC")
CIRCUMSTANCES = _children("special_circumstances", "special_circumstances.starts_on DESC")
TIMELINE = text(
    f"SELECT {_columns('timeline_events')} FROM timeline_events JOIN ("
    "SELECT timeline_events.id AS id, row_number() OVER (PARTITION BY timeline_events.customer_id "
    "ORDER BY timeline_events.at DESC, timeline_events.id DESC) AS rank FROM timeline_events "
    "WHERE timeline_events.customer_id IN :ids) AS anon_1 ON anon_1.id = timeline_events.id "
    "WHERE anon_1.rank <= :limit "
    "ORDER BY timeline_events.customer_id, timeline_events.at DESC, timeline_events.id DESC"
).bindparams(bindparam("ids", expanding=True))
SEARCH = text(
    f"SELECT {_columns('customers')} FROM customers WHERE customers.id IN ("
    "SELECT anon_1.id FROM (SELECT customers.id AS id FROM customers "
    "WHERE customers.store_id IN :stores "
    "AND customers.phone_reversed >= :low AND customers.phone_reversed < :high "
    "UNION SELECT vehicles.customer_id AS customer_id FROM vehicles "
    "WHERE vehicles.plate_reversed >= :low2 AND vehicles.plate_reversed < :high2) AS anon_1) "
    "AND customers.store_id IN :stores ORDER BY customers.id LIMIT :limit OFFSET :offset"
).bindparams(bindparam("stores", expanding=True))


def _gid(type_name: str, number: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{number}".encode()).decode().rstrip("=")


def _cursor(*parts: object) -> str:
    return base64.urlsafe_b64encode("|".join(str(p) for p in parts).encode()).decode()


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _json(body: Any, status: int = 200) -> Response:
    content = json.dumps(body, ensure_ascii=False, default=_json_default)
    return Response(content, status_code=status, media_type="application/json")


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _params(value: object) -> Any:
    # A JSON column: text on SQLite through text(), decoded already on PostgreSQL.
    return json.loads(value) if isinstance(value, str) else value or {}


def _person(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"id": _gid("User", row["id"]), "displayName": row["display_name"]}


class Handwritten:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def _visible_stores(
        self, connection: AsyncConnection, request: Request
    ) -> frozenset[int] | None:
        """The caller's stores (None: every store); raises PermissionError when not logged in."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            raise PermissionError
        now: datetime | str = datetime.now(UTC)
        if connection.dialect.name == "sqlite":
            # As baton.db.types.UTCDateTime stores it there: naive UTC text.
            now = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # type: ignore[union-attr]
        token_hash = hashlib.sha256(token.encode()).hexdigest()
        user = (await connection.execute(AUTH, {"token": token_hash, "now": now})).mappings()
        found = user.first()
        if found is None:
            raise PermissionError
        # Server texts are rendered in the reader's language, as Baton renders them.
        request.state.language = found["language"]
        if found["role"] == "admin":
            return None
        if found["role"] == "regional_director":
            rows = await connection.execute(REGION_STORES, {"region": found["region_id"]})
            return frozenset(rows.scalars())
        return frozenset({found["store_id"]})

    async def record(self, request: Request) -> Response:
        customer_id = int(request.path_params["id"])
        async with self.engine.connect() as connection:
            try:
                stores = await self._visible_stores(connection, request)
            except PermissionError:
                return _json({"error": "log in first"}, 401)
            result = await connection.execute(CUSTOMER, {"id": customer_id})
            customer = result.mappings().first()
            if customer is None or (stores is not None and customer["store_id"] not in stores):
                return _json({"customer": None})
            ids = {"ids": [customer_id]}
            store = (
                (await connection.execute(STORES, {"ids": [customer["store_id"]]})).mappings().one()
            )
            vehicles = (await connection.execute(VEHICLES, ids)).mappings().all()
            orders = (await connection.execute(ORDERS, ids)).mappings().all()
            deliveries = (await connection.execute(DELIVERIES, ids)).mappings().all()
            visits = (await connection.execute(VISITS, ids)).mappings().all()
            circumstances = (await connection.execute(CIRCUMSTANCES, ids)).mappings().all()
            timeline = (
                (
                    await connection.execute(
                        TIMELINE, {"ids": [customer_id], "limit": TIMELINE_FIRST + 1}
                    )
                )
                .mappings()
                .all()
            )
            people = {
                *(o["sales_consultant_id"] for o in orders),
                *(d["delivery_specialist_id"] for d in deliveries),
                *(v["advisor_id"] for v in visits),
                *(e["actor_id"] for e in timeline if e["actor_id"] is not None),
            }
            users = (
                {
                    row["id"]: row
                    for row in (await connection.execute(USERS, {"ids": sorted(people)})).mappings()
                }
                if people
                else {}
            )
        today = datetime.now(ZoneInfo(store["time_zone"])).date()
        high_priority = any(
            (_as_date(c["starts_on"]) or today) <= today
            and (c["ends_on"] is None or today <= (_as_date(c["ends_on"]) or today))
            for c in circumstances
        )
        events = timeline[:TIMELINE_FIRST]
        body = {
            "id": _gid("Customer", customer_id),
            "name": customer["name"],
            "phone": customer["phone"],
            "address": customer["address"],
            "tags": json.loads(customer["tags"])
            if isinstance(customer["tags"], str)
            else customer["tags"],
            "version": customer["version"],
            "createdAt": customer["created_at"],
            "updatedAt": customer["updated_at"],
            "store": {
                "id": _gid("Store", store["id"]),
                "name": store["name"],
                "timeZone": store["time_zone"],
            },
            "isHighPriority": high_priority,
            "vehicles": [
                {
                    "id": _gid("Vehicle", v["id"]),
                    "vin": v["vin"],
                    "plate": v["plate"],
                    "modelName": v["model_name"],
                    "version": v["version"],
                }
                for v in vehicles
            ],
            "orders": [
                {
                    "id": _gid("Order", o["id"]),
                    "modelName": o["model_name"],
                    "plannedDeliveryDate": o["planned_delivery_date"],
                    "status": str(o["status"]).upper(),
                    "createdAt": o["created_at"],
                    "version": o["version"],
                    "salesConsultant": _person(users.get(o["sales_consultant_id"])),
                }
                for o in orders
            ],
            "deliveries": [
                {
                    "id": _gid("Delivery", d["id"]),
                    "scheduledAt": d["scheduled_at"],
                    "status": str(d["status"]).upper(),
                    "completedAt": d["completed_at"],
                    "version": d["version"],
                    "deliverySpecialist": _person(users.get(d["delivery_specialist_id"])),
                }
                for d in deliveries
            ],
            "serviceVisits": [
                {
                    "id": _gid("ServiceVisit", v["id"]),
                    "checkedInAt": v["checked_in_at"],
                    "mileageKm": v["mileage_km"],
                    "complaint": v["complaint"],
                    "status": str(v["status"]).upper(),
                    "version": v["version"],
                    "advisor": _person(users.get(v["advisor_id"])),
                }
                for v in visits[:TIMELINE_FIRST]
            ],
            "specialCircumstances": [
                {
                    "id": _gid("SpecialCircumstance", c["id"]),
                    "kind": str(c["kind"]).upper(),
                    "note": c["note"],
                    "startsOn": c["starts_on"],
                    "endsOn": c["ends_on"],
                    "createdAt": c["created_at"],
                }
                for c in circumstances
            ],
            "timeline": {
                "edges": [
                    {
                        "cursor": _cursor(e["at"], e["id"]),
                        "node": {
                            "id": _gid("TimelineEvent", e["id"]),
                            "at": e["at"],
                            "kind": e["kind"],
                            "department": str(e["department"]).upper(),
                            "summary": render(
                                f"timeline.{e['kind']}",
                                _params(e["params"]),
                                request.state.language,
                                time_zone=store["time_zone"],
                            ),
                            "subjectType": e["subject_type"],
                            "actor": _person(users.get(e["actor_id"])),
                        },
                    }
                    for e in events
                ],
                "pageInfo": {
                    "hasNextPage": len(timeline) > TIMELINE_FIRST,
                    "endCursor": _cursor(events[-1]["at"], events[-1]["id"]) if events else None,
                },
            },
        }
        return _json({"customer": body})

    async def search(self, request: Request) -> Response:
        """Phone suffix only (digits), the search branch the bench exercises."""
        digits = request.query_params.get("q", "")
        first = int(request.query_params.get("first", "20"))
        if not (digits.isdigit() and len(digits) >= 4):
            return _json({"error": "four or more digits"}, 400)
        low = digits[::-1]
        high = low[:-1] + chr(ord(low[-1]) + 1)
        async with self.engine.connect() as connection:
            try:
                stores = await self._visible_stores(connection, request)
            except PermissionError:
                return _json({"error": "log in first"}, 401)
            statement = SEARCH
            params: dict[str, Any] = {
                "low": low,
                "high": high,
                "low2": low,
                "high2": high,
                "stores": sorted(stores) if stores is not None else [],
                "limit": first + 1,
                "offset": 0,
            }
            if stores is None:
                unscoped = str(SEARCH).replace("customers.store_id IN :stores AND ", "")
                statement = text(unscoped.replace(" AND customers.store_id IN :stores", ""))
                del params["stores"]
            customers = (await connection.execute(statement, params)).mappings().all()
            page = customers[:first]
            vehicles: dict[int, list[Any]] = defaultdict(list)
            if page:
                rows = await connection.execute(VEHICLES, {"ids": [c["id"] for c in page]})
                for row in rows.mappings():
                    vehicles[row["customer_id"]].append(row)
        edges = [
            {
                "cursor": _cursor(c["id"]),
                "node": {
                    "id": _gid("Customer", c["id"]),
                    "name": c["name"],
                    "phone": c["phone"],
                    "tags": json.loads(c["tags"]) if isinstance(c["tags"], str) else c["tags"],
                    "vehicles": [
                        {
                            "id": _gid("Vehicle", v["id"]),
                            "vin": v["vin"],
                            "plate": v["plate"],
                            "modelName": v["model_name"],
                        }
                        for v in vehicles[c["id"]]
                    ],
                },
            }
            for c in page
        ]
        return _json(
            {
                "customers": {
                    "edges": edges,
                    "pageInfo": {
                        "hasNextPage": len(customers) > first,
                        "endCursor": edges[-1]["cursor"] if edges else None,
                    },
                }
            }
        )

    async def typename(self, _request: Request) -> Response:
        return _json({"data": {"__typename": "Query"}})


def create_app(engine: AsyncEngine | None = None) -> Starlette:
    """Reads BATON_DATABASE_URL like the app does, unless given an engine (in-process counts)."""
    engine = engine or create_engine(get_settings().database_url)
    handwritten = Handwritten(engine)
    return Starlette(
        routes=[
            Route("/record/{id:int}", handwritten.record),
            Route("/search", handwritten.search),
            Route("/typename", handwritten.typename),
        ]
    )
