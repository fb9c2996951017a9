"""Finding a customer by what people say at the desk: a name fragment, the last digits of a
phone, the end of a VIN, or a plate."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, bindparam, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from baton.db.models import Customer, Vehicle
from baton.domain.access import Actor
from baton.domain.errors import FieldChecks
from baton.domain.vehicles import normalise_plate
from baton.domain.vin import looks_like_vin_fragment

PHONE_SUFFIX_MIN = 4
PLATE_FRAGMENT_MIN = 4
# Shorter name fragments are a surname or a given name: they match a name's start or end.
NAME_ANYWHERE_MIN = 3
SEARCH_MAX = 64
PAGE_MAX = 100


@dataclass(frozen=True)
class SearchPage:
    customers: Sequence[Customer]
    has_next: bool


# What a search text can match: each a branch of the UNION (a VIN and a plate share one).
Branch = Literal["phone", "vin", "plate", "name_start", "name_end", "name_anywhere"]


def _starts_with(name: str, column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """`column` starts with the prefix bound for `name` (`_prefix`). A range, not LIKE: both
    databases then use the plain b-tree index."""
    return (column >= bindparam(f"{name}_from")) & (column < bindparam(f"{name}_to"))


def _prefix(name: str, prefix: str) -> dict[str, str]:
    return {f"{name}_from": prefix, f"{name}_to": prefix[:-1] + chr(ord(prefix[-1]) + 1)}


def _branches(text: str) -> tuple[tuple[Branch, ...], dict[str, Any]]:
    """What `text` can match and the values to bind for it. 张 finds 张伟 and 张小凡 (the
    name's start), 小凡 finds 张小凡 (its end), 张小凡 finds 欧阳张小凡 too: one or two characters
    read the (store_id, name) and (store_id, name_reversed) b-trees, three or more the trigram
    index on PostgreSQL (pg_trgm needs three to narrow anything)."""
    digits = "".join(ch for ch in text if ch not in " -")
    token = normalise_plate(text)
    name = text.strip()
    branches: list[Branch] = []
    values: dict[str, Any] = {}
    if digits.isdigit() and len(digits) >= PHONE_SUFFIX_MIN:
        branches.append("phone")
        values |= _prefix("phone", digits[::-1])
    if looks_like_vin_fragment(token):
        branches.append("vin")
        values |= _prefix("vin", token[::-1])
    if len(token) >= PLATE_FRAGMENT_MIN and any(ch.isdigit() for ch in token):
        branches.append("plate")
        values |= _prefix("plate", token[::-1])
    if name and not digits.isdigit():
        if len(name) >= NAME_ANYWHERE_MIN:
            branches.append("name_anywhere")
            escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            values["name_like"] = f"%{escaped}%"
        else:
            branches += ["name_start", "name_end"]
            values |= _prefix("name_start", name) | _prefix("name_end", name[::-1])
    return tuple(branches), values


@cache
def _statement(branches: tuple[Branch, ...], every_store: bool, after: bool) -> Select[Any]:
    """One statement per shape, built once and bound per search: composing the UNION on each
    request cost a tenth of a search's CPU. The store condition goes into the customer
    branches (their indexes lead with store_id, and PostgreSQL, which has no skip scan, would
    otherwise read every customer for a phone ending) and again on the result: vehicle
    matches come from any store."""
    in_stores = (
        true() if every_store else Customer.store_id.in_(bindparam("store_ids", expanding=True))
    )
    on_customer = {
        "phone": _starts_with("phone", Customer.phone_reversed),
        "name_start": _starts_with("name_start", Customer.name),
        "name_end": _starts_with("name_end", Customer.name_reversed),
        "name_anywhere": Customer.name.like(bindparam("name_like"), escape="\\"),
    }
    on_vehicle = {
        "vin": _starts_with("vin", Vehicle.vin_reversed),
        "plate": _starts_with("plate", Vehicle.plate_reversed),
    }
    selects: list[Select[Any]] = []
    if "phone" in branches:
        selects.append(select(Customer.id).where(in_stores, on_customer["phone"]))
    if vehicle_terms := [on_vehicle[branch] for branch in branches if branch in on_vehicle]:
        selects.append(select(Vehicle.customer_id).where(or_(*vehicle_terms)))
    selects += [
        select(Customer.id).where(in_stores, on_customer[branch])
        for branch in branches
        if branch.startswith("name")
    ]
    union = selects[0].union(*selects[1:]) if len(selects) > 1 else selects[0]
    statement = select(Customer).where(Customer.id.in_(select(union.subquery().c[0])), in_stores)
    if after:
        statement = statement.where(Customer.id > bindparam("after_id"))
    return statement.order_by(Customer.id).limit(bindparam("limit"))


async def search_customers(
    session: AsyncSession, actor: Actor, text: str, *, first: int, after_id: int | None
) -> SearchPage:
    checks = FieldChecks()
    query = checks.text("search", text, max_length=SEARCH_MAX) or ""
    if not 1 <= first <= PAGE_MAX:
        checks.fail("first", "out_of_range", min=1, max=PAGE_MAX)
    checks.raise_if_any()
    branches, values = _branches(query)
    stores = actor.visible_store_ids
    if not branches or stores == frozenset():
        return SearchPage([], False)
    statement = _statement(branches, every_store=stores is None, after=after_id is not None)
    values["limit"] = first + 1
    if stores is not None:
        values["store_ids"] = sorted(stores)
    if after_id is not None:
        values["after_id"] = after_id
    rows = list(await session.scalars(statement, values))
    return SearchPage(rows[:first], len(rows) > first)
