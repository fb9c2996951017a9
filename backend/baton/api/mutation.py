"""How every mutation runs: idempotency key, one transaction, domain errors as typed payloads."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from baton.api.context import Info
from baton.api.errors import (
    MutationError,
    ValidationError,
    as_mutation_error,
    field_error,
    message_of,
    raced,
)
from baton.db.models import IdempotencyKey
from baton.db.models.base import Base
from baton.domain.access import Actor
from baton.domain.errors import DomainError, FieldProblem, ValidationFailed
from baton.domain.lookup import NODE_MODELS

M = TypeVar("M", bound=Base)
S = TypeVar("S")
KEY_MAX = 100
KEY_PATH = "input.clientMutationId"
log = logging.getLogger(__name__)


async def _replayed(
    info: Info, actor: Actor, key: str, operation: str
) -> Base | ValidationError | None:
    row = await info.context.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == actor.id, IdempotencyKey.key == key)
    )
    if row is None:
        return None
    if row.operation != operation:
        return _bad_key(info, FieldProblem(KEY_PATH, "key_reused", says="key_used_elsewhere"))
    result = await info.context.session.get(NODE_MODELS[row.result_type], row.result_id)
    if result is None:
        return _bad_key(info, FieldProblem(KEY_PATH, "key_reused", says="key_result_gone"))
    return result


def _bad_key(info: Info, problem: FieldProblem) -> ValidationError:
    reader = info.context.reader()
    message = message_of(ValidationFailed([problem]), reader)
    return ValidationError(message=message, fields=[field_error(problem, reader)])


@dataclass(frozen=True)
class Acting:
    """What a mutation hands its domain call: the request's session, the actor, the time."""

    session: AsyncSession
    actor: Actor
    now: datetime


class MutationInput(Protocol):
    client_mutation_id: str | None


async def run_mutation(
    info: Info,
    input: MutationInput,
    apply: Callable[[Acting], Awaitable[M]],
    *,
    success: Callable[[M], S],
) -> S | MutationError:
    """Apply once per key: a replay returns the first result's current state, writing nothing.

    The operation a key belongs to is the mutation's field name ("createOrder")."""
    context = info.context
    session = context.session
    actor = await context.actor()
    # Read before a rollback expires the actor's row.
    reader = context.reader()
    operation = info.field_name
    key = input.client_mutation_id
    if key is not None:
        if not 1 <= len(key) <= KEY_MAX:
            return _bad_key(
                info, FieldProblem(KEY_PATH, "key_reused", says="key_length", max=KEY_MAX)
            )
        replay = await _replayed(info, actor, key, operation)
        if isinstance(replay, Base):
            return success(replay)  # type: ignore[arg-type]
        if replay is not None:
            return replay
    try:
        result = await apply(Acting(session, actor, context.now()))
        if key is not None:
            session.add(
                IdempotencyKey(
                    user_id=actor.id,
                    key=key,
                    operation=operation,
                    result_type=type(result).__name__,
                    result_id=result.id,  # type: ignore[attr-defined]
                    created_at=context.now(),
                )
            )
        await session.commit()
    except DomainError as error:
        await session.rollback()
        return as_mutation_error(error, reader)
    except StaleDataError:
        await session.rollback()
        return raced(reader)
    except IntegrityError as error:
        await session.rollback()
        if key is not None:
            # The same key applied concurrently by a second request: answer as a replay.
            replay = await _replayed(info, actor, key, operation)
            if isinstance(replay, Base):
                return success(replay)  # type: ignore[arg-type]
        log.warning("integrity error in %s: %s", operation, error.orig)
        return raced(reader)
    # The payload's fields resolve concurrently; with no connection checked out after the
    # commit, two DataLoaders would each try to provision one (asyncpg refuses that).
    await session.connection()
    return success(result)
