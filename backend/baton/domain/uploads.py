"""Evidence photos (凭证照片): stored on disk under the upload folder, one row each."""

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from baton.db.models import Upload
from baton.domain.access import Actor
from baton.domain.errors import FieldProblem, NotFound, ValidationFailed

# What phone cameras and browsers produce; checked against the bytes, not only the header.
MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}
SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


@dataclass(frozen=True)
class PhotoFile:
    path: Path
    content_type: str


def _refuse(problem: FieldProblem) -> ValidationFailed:
    return ValidationFailed([problem])


def too_large(max_bytes: int) -> ValidationFailed:
    return _refuse(FieldProblem("body", "too_large", says="photo_too_large", kb=max_bytes // 1024))


def check_photo(content_type: str, body: bytes, max_bytes: int) -> None:
    if content_type not in MAGIC:
        raise _refuse(FieldProblem("body", "unsupported_type"))
    if not body:
        raise _refuse(FieldProblem("body", "empty", says="photo_empty"))
    if len(body) > max_bytes:
        raise too_large(max_bytes)
    is_webp = content_type != "image/webp" or body[8:12] == b"WEBP"
    if not body.startswith(MAGIC[content_type]) or not is_webp:
        raise _refuse(FieldProblem("body", "type_mismatch"))


async def store_photo(
    session: AsyncSession,
    actor: Actor,
    *,
    content_type: str,
    body: bytes,
    upload_dir: Path,
    max_bytes: int,
    now: datetime,
) -> Upload:
    """Any staff member may upload; attaching the photo to a promise checks scope and role.

    The file is written before its row; if the row cannot be written the file goes too, and
    the caller removes it with `discard` when its commit fails, so no photo is orphaned."""
    check_photo(content_type, body, max_bytes)
    stored_name = secrets.token_hex(16) + SUFFIX[content_type]
    await asyncio.to_thread(_write, upload_dir / stored_name, body)
    upload = Upload(
        store_id=actor.user.store_id,
        uploaded_by_id=actor.id,
        content_type=content_type,
        size_bytes=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        stored_name=stored_name,
        created_at=now,
    )
    session.add(upload)
    try:
        await session.flush()
    except BaseException:
        await discard(upload, upload_dir)
        raise
    return upload


async def discard(upload: Upload, upload_dir: Path) -> None:
    """Remove the file of a photo whose row was not kept."""
    await asyncio.to_thread((upload_dir / upload.stored_name).unlink, missing_ok=True)


def _write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)


async def photo_file(
    session: AsyncSession, actor: Actor, upload_id: int, upload_dir: Path
) -> PhotoFile:
    upload = await session.get(Upload, upload_id)
    visible = upload is not None and (
        upload.uploaded_by_id == actor.id
        or (upload.store_id is not None and actor.sees_store(upload.store_id))
    )
    if upload is None or not visible:
        raise NotFound("Upload")
    return PhotoFile(upload_dir / upload.stored_name, upload.content_type)
