"""The /graphql endpoint: at most one database session per request, opened when a field first
needs it and closed when the response is sent."""

import uuid
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from baton.api.context import Context
from baton.clock import Clock
from baton.settings import Settings

GRAPHQL_RESPONSE = "application/graphql-response+json"


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: Any,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        clock: Clock,
    ) -> None:
        # No IDE in production builds of the PWA; GET is for queries only (GraphQL over HTTP).
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=True)
        self.sessions = sessions
        self.settings = settings
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no subscriptions: alerts reach phones by web push
        request = Request(scope, _within(receive, self.settings.graphql_max_body_bytes))
        try:
            try:
                response = await self.run(request)
            except HTTPException as error:
                response = _error_response(request, error)
            if accepts_graphql_response(request):
                response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            await response(scope, receive, send)
        finally:
            context: Context | None = getattr(request.state, "context", None)
            if context is not None:
                await context.close()

    def encode_json(self, data: object) -> bytes:
        # orjson: a record's answer is encoded several times faster than by json.dumps.
        return orjson.dumps(data)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        request.state.sub_response = sub_response
        return sub_response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """GraphQL over HTTP, for a client that accepts application/graphql-response+json: a
        request that never executed (it did not parse, validate or coerce its variables) has
        no `data` and answers 400. A plain application/json client keeps getting 200."""
        response = await super().process_result(request, result)
        if accepts_graphql_response(request) and _never_executed(result):
            response.pop("data", None)
            request.state.sub_response.status_code = 400
        return response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The document is limited in bytes too: the token limit counts neither comments nor
        white space, so a short operation padded with either would still be parsed."""
        data = await super().parse_http_body(request)
        limit = self.settings.graphql_max_document_bytes
        for item in data if isinstance(data, list) else [data]:
            if item.query is not None and len(item.query.encode()) > limit:
                raise HTTPException(413, f"the GraphQL document is larger than {limit} bytes")
        return data

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request) and isinstance(response, Response)
        context = Context(
            request=request,
            response=response,
            sessions=self.sessions,
            settings=self.settings,
            clock=self.clock,
            request_id=request.headers.get("x-request-id") or uuid.uuid4().hex[:16],
        )
        request.state.context = context
        return context


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


def _never_executed(result: ExecutionResult) -> bool:
    # Errors raised while executing carry the path of their field; request errors do not.
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or [])
    )


def _within(receive: Receive, limit: int) -> Receive:
    """The request body, refused past `limit` bytes while it is still arriving."""
    seen = 0

    async def receive_within() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise HTTPException(413, f"the request body is larger than {limit} bytes")
        return message

    return receive_within


def _error_response(request: Request, error: HTTPException) -> Response:
    """Malformed JSON and the like, still with a GraphQL-shaped error body."""
    status, headers = error.status_code, {}
    if request.method == "GET" and "mutation" in error.reason.lower():
        # GraphQL over HTTP: a mutation over GET is 405, and says which method to use.
        status, headers = 405, {"allow": "POST"}
    body: dict[str, object] = {"message": error.reason}
    if status == 413:
        body["extensions"] = {"code": "PAYLOAD_TOO_LARGE"}
    return JSONResponse({"errors": [body]}, status, headers=headers)
