"""A customer's child families (vehicles, orders, visits, ...) in one statement for a batch.

Each family asked for in a tick becomes one correlated subquery that aggregates its rows as JSON
(json_group_array on SQLite, json_agg on PostgreSQL), beside the staff those rows name; so the
record's six families cost one round trip instead of six. The rows come back as read-only model
instances (not attached to the session; nothing reads them to write), sorted as each family
says, so the resolvers and the domain rules that read them cannot tell the difference."""

import functools
import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    Enum,
    Integer,
    Select,
    String,
    Text,
    Time,
    bindparam,
    func,
    inspect,
    literal_column,
    select,
    type_coerce,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import operators
from strawberry.dataloader import DataLoader

from baton.db.models import Customer, User
from baton.db.models.base import Base
from baton.db.types import UTCDateTime

M = TypeVar("M", bound=Base)
POSTGRES_MAX_ARGUMENTS = 100
FamilyKey = tuple[str, int]
"""A family's name and the customer's id: `("vehicles", 42)`."""


@dataclass(frozen=True, eq=False)
class Family:
    """Rows of `model` whose `parent` column names the customer, in `order_by` order; `staff`
    is a column naming a user who comes along (the visit's advisor)."""

    model: type[Base]
    # Model columns (Vehicle.customer_id). Typed Any: mypy reads an attribute-typed dataclass
    # field through the descriptor, as the int it holds on an instance.
    parent: Any
    order_by: tuple[Any, ...]
    staff: Any = None

    @functools.cached_property
    def sort_keys(self) -> list[tuple[str, bool]]:
        """(attribute, descending) for each `order_by` term, last first: read once, since
        asking a column expression what it is costs more than sorting a customer's rows."""
        keys = []
        for expression in reversed(self.order_by):
            descending = getattr(expression, "modifier", None) is operators.desc_op
            keys.append(((expression.element if descending else expression).key, descending))
        return keys


def families_loader(
    session: AsyncSession,
    families: dict[str, Family],
    *,
    users: DataLoader[int, User | None],
    primes: dict[str, DataLoader[int, Any]],
) -> DataLoader[FamilyKey, list[Any]]:
    """One DataLoader for every family: whatever families a tick asks for, of however many
    customers, are read in one statement. The staff prime `users`, and a family named in
    `primes` primes that by-id loader with its rows (a visit's vehicle is one of the customer's)."""

    async def load(keys: Sequence[FamilyKey]) -> list[list[Any]]:
        asked = sorted({name for name, _ in keys})
        customer_ids = sorted({customer_id for _, customer_id in keys})
        dialect = session.get_bind().dialect.name
        statement = _statement(dialect, tuple(asked), families)
        rows = (await session.execute(statement, {"ids": customer_ids})).all()
        found: dict[FamilyKey, list[Any]] = defaultdict(list)
        for customer_id, *columns in rows:
            for name, items in zip(asked, columns, strict=False):
                found[(name, customer_id)] = _sorted(
                    families[name], _objects(families[name].model, items)
                )
                if name in primes:
                    for item in found[(name, customer_id)]:
                        primes[name].prime(item.id, item)
            if len(columns) > len(asked):
                for person in _objects(User, columns[-1]):
                    users.prime(person.id, person)
        return [found[key] for key in keys]

    return DataLoader(load_fn=load)


class FamilyRows(Generic[M]):
    """One family of a customer's rows, as a loader: `await loaders.vehicles_of_customer.load(id)`
    reads it with whatever other families the same tick asks for."""

    def __init__(self, loader: DataLoader[FamilyKey, list[Any]], name: str) -> None:
        self.loader = loader
        self.name = name

    def load(self, customer_id: int) -> "Awaitable[list[M]]":
        # The key joins the batch now, not when the caller first awaits: so families asked
        # for side by side (asyncio.gather) share one statement.
        return self.loader.load((self.name, customer_id))


# --- the statement --------------------------------------------------------------------------

_STATEMENTS: dict[tuple[str, tuple[str, ...], int], Select[Any]] = {}


def _statement(dialect: str, asked: tuple[str, ...], families: dict[str, Family]) -> Select[Any]:
    """Built once per database and set of families (building it costs more than running it)."""
    key = (dialect, asked, id(families))
    if key not in _STATEMENTS:
        columns: list[ColumnElement[Any]] = [
            _rows_json(dialect, families[name].model, families[name].parent == Customer.id).label(
                name
            )
            for name in asked
        ]
        named_staff = [
            # Two levels down: SQLAlchemy correlates to the customer only when told.
            select(family.staff).where(family.parent == Customer.id).correlate(Customer)
            for family in (families[name] for name in asked)
            if family.staff is not None
        ]
        if named_staff:
            # One IN over a UNION: the users are found by primary key, not scanned.
            named = User.id.in_(union(*named_staff))
            columns.append(_rows_json(dialect, User, named).label("staff"))
        _STATEMENTS[key] = select(Customer.id, *columns).where(
            Customer.id.in_(bindparam("ids", expanding=True))
        )
    return _STATEMENTS[key]


def _rows_json(dialect: str, model: type[Base], where: ColumnElement[bool]) -> ColumnElement[Any]:
    """The rows of `model` matching `where`, as a JSON array of objects keyed by attribute."""
    pairs: list[Any] = []
    for attribute in inspect(model).column_attrs:
        pairs += [literal_column(f"'{attribute.key}'"), attribute.columns[0]]
    if dialect == "postgresql":
        # PostgreSQL takes at most 100 arguments to a function: 50 columns.
        if len(pairs) > POSTGRES_MAX_ARGUMENTS:
            raise ValueError(f"{model.__name__} has too many columns for json_build_object")
        rows = func.json_agg(func.json_build_object(*pairs))
    else:
        rows = func.json_group_array(func.json_object(*pairs))
    return type_coerce(select(rows).where(where).scalar_subquery(), JSON)


# --- the rows ---------------------------------------------------------------------------------

Reader = Callable[[Any], Any]
_READERS: dict[type[Base], list[tuple[str, Reader | None]]] = {}


def _objects(model: type[Base], items: list[dict[str, Any]] | None) -> list[Any]:
    """Model instances from their JSON, values typed as the ORM would load them."""
    if model not in _READERS:
        _READERS[model] = [
            (attribute.key, _reader(attribute.columns[0].type))
            for attribute in inspect(model).column_attrs
        ]
    readers = _READERS[model]
    manager = inspect(model).class_manager
    found = []
    for item in items or ():
        obj = manager.new_instance()
        obj.__dict__.update(
            {
                key: value if read is None or value is None else read(value)
                for key, read in readers
                for value in (item[key],)
            }
        )
        found.append(obj)
    return found


def _reader(column_type: Any) -> Reader | None:
    """How a column's JSON value becomes what the ORM would load (None: as it is)."""
    if isinstance(column_type, UTCDateTime):
        return _instant
    if isinstance(column_type, Date):
        return date.fromisoformat
    if isinstance(column_type, Time):
        return time.fromisoformat
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        return column_type.enum_class
    if isinstance(column_type, Boolean):
        return bool  # SQLite answers 0 and 1
    if isinstance(column_type, JSON):
        # A JSON column is text on SQLite (so a string in the object), JSON on PostgreSQL.
        return lambda value: json.loads(value) if isinstance(value, str) else value
    if isinstance(column_type, Integer | String | Text):
        return None
    raise TypeError(f"no JSON reader for column type {column_type!r}")


def _instant(value: str) -> datetime:
    # SQLite keeps naive UTC text; PostgreSQL writes ISO 8601 with its offset.
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _sorted(family: Family, rows: list[Any]) -> list[Any]:
    """In the family's order (an aggregate keeps none): stable sorts, last key first."""
    for key, descending in family.sort_keys:
        rows.sort(key=lambda row: _sortable(getattr(row, key)), reverse=descending)
    return rows


def _sortable(value: Any) -> tuple[bool, Any]:
    # NULLs first ascending (SQLite's order), as a tuple so None never meets a value.
    return (value is not None, value)
