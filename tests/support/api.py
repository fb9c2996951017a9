"""The real app over HTTP in process: log in as a user, send GraphQL, count SQL statements."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from baton.db import models
from tests.support.world import TEST_PASSWORD, World


class ApiClient:
    def __init__(
        self, http: httpx.AsyncClient, engine: AsyncEngine, session: AsyncSession, world: World
    ) -> None:
        self.http = http
        self.engine = engine
        self.session = session
        self.world = world

    async def login_as(self, role: str, store: str | None = "A") -> dict[str, Any]:
        """Creates that staff member if needed (as `as_user` does), then logs in over HTTP."""
        user = await self.world.staff(self.session, models.Role(role), store)
        return await self.login(user.username)

    async def login(self, username: str, password: str = TEST_PASSWORD) -> dict[str, Any]:
        self.http.cookies.clear()
        data = await self.gql(
            """mutation($input: LoginInput!) { login(input: $input) {
                __typename ... on LoginSuccess { user { id username } } } }""",
            {"input": {"login": username, "password": password}},
        )
        assert data["data"]["login"]["__typename"] == "LoginSuccess", data
        return data["data"]["login"]["user"]

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data of a query that must not error."""
        body = await self.gql(query, variables)
        assert not body.get("errors"), body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    @contextmanager
    def count_statements(self) -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        event.listen(self.engine.sync_engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(self.engine.sync_engine, "before_cursor_execute", record)
