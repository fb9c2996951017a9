"""The Starlette application: /graphql, /healthz and the PWA's static files."""

import asyncio
import contextlib
import mimetypes
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from baton.api.cars.feed import calendar_routes
from baton.api.operations import Operations
from baton.api.schema import build_schema
from baton.api.uploads import upload_routes
from baton.api.view import GraphQLEndpoint
from baton.clock import Clock, SystemClock
from baton.db.engine import create_engine, create_sessionmaker
from baton.notify.worker import run_worker
from baton.security_headers import SecurityHeaders
from baton.settings import Settings, get_settings

# Vite names built assets by content hash, so they may be cached for good; the shell may not.
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
CONTENT_TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript"}


# The build writes a brotli and a gzip copy beside each text file, best first
# (frontend/scripts/precompress.mjs).
ENCODINGS = {"br": ".br", "gzip": ".gz"}


def _accepted_codings(accept_encoding: str) -> set[str]:
    """The codings an Accept-Encoding header allows: listed without `q=0`; `*` means any."""
    accepted = set()
    for item in accept_encoding.lower().split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        if coding and not any(_is_q_zero(param) for param in params):
            accepted.add(coding)
    return set(ENCODINGS) if "*" in accepted else accepted


def _is_q_zero(param: str) -> bool:
    name, _, value = param.partition("=")
    if name.strip() != "q":
        return False
    try:
        return float(value) == 0
    except ValueError:
        return True


def _static_response(path: Path, root: Path, request: Request) -> Response:
    in_assets = path.parent == root / "assets"
    headers = {"cache-control": IMMUTABLE if in_assets else NO_CACHE}
    variants = {name: path.with_name(path.name + suffix) for name, suffix in ENCODINGS.items()}
    variants = {name: file for name, file in variants.items() if file.is_file()}
    served = path
    if variants:
        # Caches keep one copy per coding; each copy has its own length and ETag (its own file's).
        headers["vary"] = "Accept-Encoding"
        accepted = _accepted_codings(request.headers.get("accept-encoding", ""))
        coding = next((name for name in variants if name in accepted), None)
        if coding is not None:
            headers["content-encoding"] = coding
            served = variants[coding]
    media_type = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    response = FileResponse(
        served, headers=headers, media_type=media_type, stat_result=served.stat()
    )
    etag = response.headers["etag"]
    if etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers={**headers, "etag": etag})
    return response


def _etags(if_none_match: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}


def _locate(root: Path, relative: str) -> Path | None:
    """The file to serve for a path: the asset itself, else the shell for client routes."""
    index = root / "index.html"
    if not index.is_file():
        return None
    candidate = (root / relative).resolve()
    # A .br or .gz copy is sent only as its file's encoding, never as a file of its own.
    copy = candidate.suffix in ENCODINGS.values()
    if relative and candidate.is_relative_to(root) and candidate.is_file() and not copy:
        return candidate
    return None if PurePosixPath(relative).suffix else index


def _frontend(dist: Path) -> Route:
    root = dist.resolve()

    async def serve(request: Request) -> Response:
        relative = request.path_params["path"]
        found = await run_in_threadpool(_locate, root, relative)
        if found is not None:
            return await run_in_threadpool(_static_response, found, root, request)
        if PurePosixPath(relative).suffix:
            return PlainTextResponse("not found", status_code=404)
        return PlainTextResponse("frontend not built: run `make demo`", status_code=503)

    return Route("/{path:path}", serve, methods=["GET", "HEAD"])


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
) -> Starlette:
    settings = settings or get_settings()
    clock = clock or SystemClock()
    owns_engine = engine is None
    engine = engine or create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    graphql = GraphQLEndpoint(
        Operations(build_schema(), settings), sessions=sessions, settings=settings, clock=clock
    )

    async def healthz(_request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # The notify worker (reminders + push dispatcher) runs beside the app unless told off.
        stop = asyncio.Event()
        worker = (
            asyncio.create_task(run_worker(sessions, settings, clock, stop))
            if settings.dispatcher
            else None
        )
        yield
        stop.set()
        if worker is not None:
            await worker
        if owns_engine:
            await engine.dispose()

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *upload_routes(sessions, settings, clock),
            *calendar_routes(sessions, clock),
            _frontend(Path(settings.frontend_dist)),
        ],
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeaders, behind_tls=settings.secure_cookies)],
    )
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.clock = clock
    return app
