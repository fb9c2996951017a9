"""POST /uploads (a photo as the raw request body) and GET /uploads/{id}: evidence photos.

A separate endpoint rather than GraphQL multipart: a phone posts the camera's blob as it is."""

import logging
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from baton.api.context import SESSION_COOKIE
from baton.api.errors import field_error, message_of
from baton.clock import Clock
from baton.domain import uploads
from baton.domain.access import Actor, load_actor
from baton.domain.auth import signed_in
from baton.domain.errors import DomainError, NotFound, ValidationFailed
from baton.ids import global_id, parse_global_id
from baton.settings import Settings
from baton.texts import Reader

STATUS_OF_PROBLEM = {"too_large": 413, "unsupported_type": 415, "type_mismatch": 415}
log = logging.getLogger(__name__)


async def _actor(session: AsyncSession, request: Request, clock: Clock) -> Actor | None:
    token = request.cookies.get(SESSION_COOKIE)
    found = await signed_in(session, token, clock.now()) if token else None
    return await load_actor(session, found.user) if found else None


def _error(error: DomainError, status: int, reader: Reader) -> JSONResponse:
    fields = [vars(field_error(p, reader)) for p in getattr(error, "problems", [])]
    return JSONResponse({"error": message_of(error, reader), "fields": fields}, status_code=status)


def _not_stored(reader: Reader) -> JSONResponse:
    return JSONResponse({"error": reader.say("error.not_stored", {}), "fields": []}, 503)


def _reader(actor: Actor, settings: Settings, clock: Clock) -> Reader:
    return Reader(actor.user.language, settings.default_time_zone, clock.now())


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it passes the limit (never buffered past it)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def upload_routes(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> list[Route]:
    upload_dir = Path(settings.upload_dir)

    async def create(request: Request) -> Response:
        async with sessions() as session:
            actor = await _actor(session, request, clock)
            if actor is None:
                return JSONResponse({"error": "log in first"}, status_code=401)
            reader = _reader(actor, settings, clock)
            body = await _read_limited(request, settings.upload_max_bytes)
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            try:
                if body is None:
                    raise uploads.too_large(settings.upload_max_bytes)
                upload = await uploads.store_photo(
                    session,
                    actor,
                    content_type=content_type,
                    body=body,
                    upload_dir=upload_dir,
                    max_bytes=settings.upload_max_bytes,
                    now=clock.now(),
                )
            except ValidationFailed as error:
                status = STATUS_OF_PROBLEM.get(error.problems[0].code, 400)
                return _error(error, status, reader)
            except SQLAlchemyError:
                # store_photo removed the file it wrote; the phone keeps the photo and retries.
                log.exception("photo not stored")
                return _not_stored(reader)
            try:
                await session.commit()
            except SQLAlchemyError:
                await uploads.discard(upload, upload_dir)
                log.exception("photo not stored")
                return _not_stored(reader)
            return JSONResponse({"id": global_id("Upload", upload.id)}, status_code=201)

    async def show(request: Request) -> Response:
        parsed = parse_global_id(request.path_params["upload_id"])
        async with sessions() as session:
            actor = await _actor(session, request, clock)
            if actor is None:
                return JSONResponse({"error": "log in first"}, status_code=401)
            reader = _reader(actor, settings, clock)
            try:
                if parsed is None or parsed[0] != "Upload":
                    raise NotFound("Upload")
                photo = await uploads.photo_file(session, actor, parsed[1], upload_dir)
            except NotFound as error:
                return _error(error, 404, reader)
        response = FileResponse(photo.path, media_type=photo.content_type)
        response.headers["cache-control"] = "private, max-age=86400"
        return response

    return [
        Route("/uploads", create, methods=["POST"]),
        Route("/uploads/{upload_id}", show, methods=["GET"]),
    ]
