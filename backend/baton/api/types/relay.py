"""Relay conventions: the Node interface, global IDs, cursor connections."""

import base64
from dataclasses import dataclass
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
            raise ValidationFailed([FieldProblem(path, "not a cursor of this list", "bad_cursor")])
        return parts


def connection(nodes: list[T], cursors: list[Cursor], has_next: bool) -> Connection[T]:
    edges = [Edge(cursor=c.encode(), node=n) for n, c in zip(nodes, cursors, strict=True)]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
    )
