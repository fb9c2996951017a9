"""Per-request context: the lazily opened database session and authenticated actor, the
read side (DataLoaders and the request's facts)."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from baton.clock import Clock
from baton.db.models import Store
from baton.domain.access import Actor, load_actor
from baton.domain.auth import signed_in
from baton.reads.facts import Facts
from baton.reads.loaders import Loaders
from baton.settings import Settings
from baton.texts import Reader, accepted_language

SESSION_COOKIE = "baton_session"


class NotAuthenticated(Exception):
    """Raised as a GraphQL error with extensions.code UNAUTHENTICATED."""

    extensions = {"code": "UNAUTHENTICATED"}

    def __init__(self) -> None:
        super().__init__("log in first")


@dataclass
class Context:
    request: Request
    response: Response
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    clock: Clock
    _actor: Actor | None = field(default=None, init=False)
    _authenticated: bool = field(default=False, init=False)
    # Root fields resolve concurrently; the first to authenticate also opens the connection,
    # and asyncpg refuses two fields provisioning one at once.
    _actor_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _reader: Reader | None = field(default=None, init=False)
    _home_store: Store | None = field(default=None, init=False)
    # Root query fields run concurrently, but one AsyncSession takes one operation at a time:
    # fields that query directly (not through a DataLoader) take turns on it.
    _session_turn: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _session: AsyncSession | None = field(default=None, init=False)

    @property
    def session(self) -> AsyncSession:
        """The request's database session, made when a field first needs it (`{ __typename }`
        never does); its connection is checked out by the first statement, which is the
        actor's lookup under `_actor_lock` (see `_authenticate`)."""
        if self._session is None:
            self._session = self.sessions()
        return self._session

    async def close(self) -> None:
        """Ends the session, if one was opened (the view calls it once the response is sent)."""
        if self._session is not None:
            await self._session.close()

    @cached_property
    def request_id(self) -> str:
        """The client's X-Request-Id, or one made up; read only when an error is logged."""
        return self.request.headers.get("x-request-id") or uuid.uuid4().hex[:16]

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.session)

    @cached_property
    def facts(self) -> Facts:
        """What a rule answers once per request (today in a store, what is owed, ...)."""
        return Facts(
            self.loaders,
            self.settings.default_time_zone,
            self.now,
            self.actor,
            lambda: self._home_store,
            self.turn,
        )

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def session_token(self) -> str | None:
        return self.request.cookies.get(SESSION_COOKIE)

    @property
    def client_address(self) -> str:
        return self.request.client.host if self.request.client else "unknown"

    async def actor(self) -> Actor:
        """The logged-in staff member; resolved once, and only when a field needs it."""
        async with self._actor_lock:
            await self._authenticate()
        if self._actor is None:
            raise NotAuthenticated()
        return self._actor

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """This field's turn on the request's session."""
        async with self._session_turn:
            yield

    def reader(self) -> Reader:
        """Whom server texts are rendered for: the actor's language and store time zone, now.
        Known once the actor is, and every field that renders a text sits below a root field
        that awaited `actor()` to check scope: a plain call, so that a list of such fields (a
        timeline's summaries) completes without a coroutine per item."""
        if self._reader is None:
            if not self._authenticated:
                raise RuntimeError("await context.actor() before rendering a text")
            if self._actor is None:
                raise NotAuthenticated()
            user = self._actor.user
            self._reader = Reader(user.language, self.facts.home_clock().time_zone, self.now())
        return self._reader

    def any_reader(self) -> Reader:
        """The actor's reader once they are known; before that (a login, a request refused
        before anyone signed in) the language the browser asks for, in the default zone."""
        if self._authenticated and self._actor is not None:
            return self.reader()
        language = accepted_language(self.request.headers.get("accept-language"))
        return Reader(language, self.settings.default_time_zone, self.now())

    async def _authenticate(self) -> None:
        if not self._authenticated:
            token = self.session_token
            if token:
                # Root fields resolve concurrently and all wait for the actor: check out the
                # connection here, once, so none of them races to provision one.
                await self.session.connection()
            found = await signed_in(self.session, token, self.now()) if token else None
            self._actor = await load_actor(self.session, found.user) if found else None
            self._authenticated = True
            if found is not None:
                self.loaders.user.prime(found.user.id, found.user)
                self._home_store = found.home_store
                if found.home_store is not None:
                    self.loaders.store.prime(found.home_store.id, found.home_store)


Info = StrawberryInfo[Context, None]
