"""Finding a customer by what people say at the desk: a name fragment, the last digits of a
phone, the end of a VIN, or a plate."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
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


def _starts_with(
    column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], prefix: str
) -> ColumnElement[bool]:
    # A range, not LIKE: both databases then use the plain b-tree index.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)


def _name_branches(name: str, in_stores: ColumnElement[bool]) -> list[Select[Any]]:
    """张 finds 张伟 and 张小凡, 小凡 finds 张小凡, 张小凡 finds 欧阳张小凡 too. Each on an index:
    the (store_id, name) and (store_id, name_reversed) b-trees for one or two characters, the
    trigram index on PostgreSQL for three or more (pg_trgm needs three to narrow anything)."""
    if not name:
        return []
    if len(name) >= NAME_ANYWHERE_MIN:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [
            select(Customer.id).where(in_stores, Customer.name.like(f"%{escaped}%", escape="\\"))
        ]
    return [
        select(Customer.id).where(in_stores, _starts_with(Customer.name, name)),
        select(Customer.id).where(in_stores, _starts_with(Customer.name_reversed, name[::-1])),
    ]


def _matching_ids(text: str, in_stores: ColumnElement[bool]) -> Select[Any] | None:
    """`in_stores` goes into the customer branches too: their indexes lead with store_id, so
    without it PostgreSQL (which has no skip scan) reads every customer for a phone ending."""
    digits = "".join(ch for ch in text if ch not in " -")
    token = normalise_plate(text)
    branches: list[Select[Any]] = []
    if digits.isdigit() and len(digits) >= PHONE_SUFFIX_MIN:
        branches.append(
            select(Customer.id).where(
                in_stores, _starts_with(Customer.phone_reversed, digits[::-1])
            )
        )
    vehicle_terms: list[ColumnElement[bool]] = []
    if looks_like_vin_fragment(token):
        vehicle_terms.append(_starts_with(Vehicle.vin_reversed, token[::-1]))
    if len(token) >= PLATE_FRAGMENT_MIN and any(ch.isdigit() for ch in token):
        vehicle_terms.append(_starts_with(Vehicle.plate_reversed, token[::-1]))
    if vehicle_terms:
        branches.append(select(Vehicle.customer_id).where(or_(*vehicle_terms)))
    if not digits.isdigit():
        branches += _name_branches(text.strip(), in_stores)
    if not branches:
        return None
    union = branches[0].union(*branches[1:]) if len(branches) > 1 else branches[0]
    return select(union.subquery().c[0])


async def search_customers(
    session: AsyncSession, actor: Actor, text: str, *, first: int, after_id: int | None
) -> SearchPage:
    checks = FieldChecks()
    query = checks.text("search", text, max_length=SEARCH_MAX) or ""
    if not 1 <= first <= PAGE_MAX:
        checks.fail("first", f"must be between 1 and {PAGE_MAX}", "out_of_range")
    checks.raise_if_any()
    stores = actor.visible_store_ids
    in_stores = true() if stores is None else Customer.store_id.in_(stores) if stores else false()
    ids = _matching_ids(query, in_stores)
    if ids is None:
        return SearchPage([], False)
    # The store condition again here: vehicle matches come from any store.
    statement = select(Customer).where(Customer.id.in_(ids), in_stores)
    if after_id is not None:
        statement = statement.where(Customer.id > after_id)
    rows = list(await session.scalars(statement.order_by(Customer.id).limit(first + 1)))
    return SearchPage(rows[:first], len(rows) > first)
