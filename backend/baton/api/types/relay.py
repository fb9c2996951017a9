"""Relay conventions: the Node interface, global IDs, cursor connections."""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import Parent

from baton.domain.errors import FieldProblem, ValidationFailed
from baton.ids import global_id

T = TypeVar("T")


def orm_root(obj: object) -> Any:
    """ORM objects are the roots of their GraphQL types (plain fields read their attributes).

    Resolvers return them through here, the one place that tells the type checker so."""
    return obj


def node_id(root: Parent[Any]) -> strawberry.ID:
    # Roots are ORM objects whose class names are the GraphQL type names.
    return strawberry.ID(global_id(type(root).__name__, root.id))


@strawberry.interface(description="An object with a global ID, fetchable with node(id:).")
class Node:
    id: strawberry.ID = strawberry.field(resolver=node_id)


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo


@dataclass(frozen=True)
class Cursor:
    """Opaque to clients: the keyset position after which the next page starts."""

    parts: tuple[str, ...]

    def encode(self) -> str:
        return base64.urlsafe_b64encode("|".join(self.parts).encode()).decode()

    @staticmethod
    def decode(value: str, *, size: int, path: str = "after") -> tuple[str, ...]:
        try:
            parts = tuple(base64.urlsafe_b64decode(value.encode()).decode().split("|"))
        except (ValueError, UnicodeDecodeError):
            parts = ()
        if len(parts) != size:
            raise _bad_cursor(path)
        return parts

    @staticmethod
    def read(value: str, *kinds: Callable[[str], Any], path: str = "after") -> tuple[Any, ...]:
        """The cursor's parts read as `kinds` (int, datetime.fromisoformat, ...): a cursor that
        is not one of ours is a field error, never an internal one."""
        parts = Cursor.decode(value, size=len(kinds), path=path)
        try:
            return tuple(kind(part) for kind, part in zip(kinds, parts, strict=True))
        except ValueError:
            raise _bad_cursor(path) from None


def instant(text: str) -> datetime:
    """A cursor part that is a moment: ISO 8601 with its offset (a naive time is not ours)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


def _bad_cursor(path: str) -> ValidationFailed:
    return ValidationFailed([FieldProblem(path, "bad_cursor")])


def connection(nodes: list[T], cursors: list[Cursor], has_next: bool) -> Connection[T]:
    edges = [Edge(cursor=c.encode(), node=n) for n, c in zip(nodes, cursors, strict=True)]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
    )
