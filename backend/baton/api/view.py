"""The /graphql endpoint, GraphQL over HTTP: a query by GET or POST, a mutation by POST only; at
most one database session per request, opened when a field first needs it and closed once the
response is sent.

Written here rather than taken from Strawberry's view, which is built for every framework and
transport (websockets, multipart, batches, streams, an IDE) and passes each request through
adapters and hooks for them: `{ __typename }` spent more there than in executing. This is the
one path Baton serves, top to bottom; graphql-http's audit suite checks it to the letter
(tests/api/test_graphql_over_http.py)."""

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.types.graphql import OperationType

from baton.api.context import Context
from baton.api.operations import NoSuchOperation, OperationNotAllowed, Operations
from baton.clock import Clock
from baton.settings import Settings

GRAPHQL_RESPONSE = "application/graphql-response+json"
ALLOWED_BY_METHOD = {
    "GET": frozenset({OperationType.QUERY}),
    "POST": frozenset({OperationType.QUERY, OperationType.MUTATION}),
}


class RequestRefused(Exception):
    """A request that is answered with an error before (or instead of) executing."""

    def __init__(self, status: int, reason: str, *, allow: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.allow = status, reason, allow


class GraphQLEndpoint:
    def __init__(
        self,
        operations: Operations,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        clock: Clock,
    ) -> None:
        self.operations = operations
        self.sessions = sessions
        self.settings = settings
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no subscriptions: alerts reach phones by web push
        request = Request(scope, _within(receive, self.settings.graphql_max_body_bytes))
        context = self._context(request)
        try:
            try:
                response = await self._answer(request, context)
            except RequestRefused as refused:
                response = _refusal(refused)
            if accepts_graphql_response(request):
                response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            await response(scope, receive, send)
        finally:
            await context.close()

    def _context(self, request: Request) -> Context:
        # Resolvers set cookies (login, logout) on this response; the answer copies its headers.
        cookies = Response()
        del cookies.headers["content-length"]
        return Context(
            request=request,
            response=cookies,
            sessions=self.sessions,
            settings=self.settings,
            clock=self.clock,
        )

    async def _answer(self, request: Request, context: Context) -> Response:
        allowed = ALLOWED_BY_METHOD.get(request.method)
        if allowed is None:
            raise RequestRefused(405, "GraphQL only supports GET and POST", allow="GET, POST")
        query, variables, operation_name = await self._operation_of(request)
        try:
            result = await self.operations.execute(
                query,
                variables=variables,
                operation_name=operation_name,
                context=context,
                allowed=allowed,
            )
        except NoSuchOperation as error:
            raise RequestRefused(400, str(error)) from error
        except OperationNotAllowed as error:
            # GraphQL over HTTP: a mutation over GET is 405, and says which method to use.
            raise RequestRefused(405, str(error), allow="POST") from error
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        status = 200
        if accepts_graphql_response(request) and result.never_executed:
            # A document that did not parse, validate or coerce its variables has no `data` and
            # answers 400 to a client that accepts the new media type; plain JSON clients get 200.
            status = 400
            del body["data"]
        response = Response(orjson.dumps(body), status, media_type="application/json")
        response.headers.raw.extend(context.response.headers.raw)
        return response

    async def _operation_of(
        self, request: Request
    ) -> tuple[str, dict[str, Any] | None, str | None]:
        """The document, variables and operation name a request carries, checked for shape."""
        if request.method == "GET":
            fields: dict[str, Any] = dict(request.query_params)
            for name in ("variables", "extensions"):
                if fields.get(name):
                    fields[name] = _json(fields[name].encode())
        else:
            media_type = request.headers.get("content-type", "").partition(";")[0].strip()
            if media_type.lower() != "application/json":
                raise RequestRefused(415, "send the operation as application/json")
            fields = _json(await request.body())
        if isinstance(fields, list):
            raise RequestRefused(400, "batched operations are not accepted")
        if not isinstance(fields, dict):
            raise RequestRefused(400, "the request body must be a JSON object")
        query = fields.get("query")
        for name, wanted in (
            ("query", str),
            ("variables", dict),
            ("operationName", str),
            ("extensions", dict),
        ):
            if fields.get(name) is not None and not isinstance(fields[name], wanted):
                raise RequestRefused(400, f"`{name}` must be a {wanted.__name__} or null")
        if not query:
            raise RequestRefused(400, "no GraphQL document in the request")
        limit = self.settings.graphql_max_document_bytes
        if len(query.encode()) > limit:
            # The token limit counts neither comments nor white space: a short operation
            # padded with either would still be parsed.
            raise RequestRefused(413, f"the GraphQL document is larger than {limit} bytes")
        return query, fields.get("variables"), fields.get("operationName")


def accepts_graphql_response(request: Request) -> bool:
    """The client prefers application/graphql-response+json to application/json."""
    weights: dict[str, float] = {}
    for item in request.headers.get("accept", "").split(","):
        media, _, parameters = item.strip().partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[media.strip().lower()] = weight
    preferred = weights.get(GRAPHQL_RESPONSE, 0.0)
    return preferred > 0 and preferred >= weights.get("application/json", 0.0)


def _json(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise RequestRefused(400, "the request is not valid JSON") from error


def _within(receive: Receive, limit: int) -> Receive:
    """The request body, refused past `limit` bytes while it is still arriving."""
    seen = 0

    async def receive_within() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise RequestRefused(413, f"the request body is larger than {limit} bytes")
        return message

    return receive_within


def _refusal(refused: RequestRefused) -> Response:
    """Still a GraphQL-shaped error body, so a client reads every failure the same way."""
    error: dict[str, object] = {"message": refused.reason}
    if refused.status == 413:
        error["extensions"] = {"code": "PAYLOAD_TOO_LARGE"}
    headers = {"allow": refused.allow} if refused.allow else None
    return Response(
        orjson.dumps({"errors": [error]}),
        refused.status,
        headers=headers,
        media_type="application/json",
    )
