"""How every mutation is declared (`mutation`) and runs (`run_mutation`): idempotency key, one
transaction, domain errors as typed payloads."""

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Protocol, TypeVar, get_type_hints

import strawberry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError
from strawberry.utils.str_converters import to_camel_case

from baton.api.context import Context, Info
from baton.api.errors import (
    MutationError,
    RuleViolationError,
    ValidationError,
    as_mutation_error,
    field_error,
    message_of,
    raced,
)
from baton.db.models import IdempotencyKey
from baton.db.models.base import Base
from baton.domain.access import Action, Actor
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
    """What a mutation hands its domain call: the request's session, the actor, the time; and
    the request's context for the little else a call reads (settings, the login's token)."""

    session: AsyncSession
    actor: Actor
    now: datetime
    context: Context


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
        result = await apply(Acting(session, actor, context.now(), context))
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


# Declaring a mutation

In = TypeVar("In", bound=MutationInput)
N = TypeVar("N", bound=Base)


@dataclass(frozen=True)
class Declaration:
    """One mutation as data: what it needs, takes and returns, and its one domain call."""

    name: str  # the GraphQL field, "changePromiseStatus" (and the idempotency key's operation)
    ability: Action | None  # the Action its domain call exercises; None: any logged-in user
    input: type[Any]
    success: type[Any]
    payload: str  # the union's name: "PromisePayload" is PromiseSuccess | MutationError
    description: str | None
    call: Callable[[Any, Acting], Awaitable[Base]]


# Every mutation that acts as the logged-in user, by GraphQL name (login and logout open and
# close the session instead: api/mutations/auth.py).
MUTATIONS: dict[str, Declaration] = {}
_PAYLOADS: dict[str, tuple[type[Any], Any]] = {}


def mutation(
    *,
    ability: Action | None,
    success: type[Any],
    description: str | None = None,
    payload: str | None = None,
    on_refusal: Callable[[In, Acting], Awaitable[None]] | None = None,
) -> Callable[[Callable[[In, Acting], Awaitable[N]]], Any]:
    """Declare a mutation; it reads top to bottom:

        @mutation(ability=Action.EDIT_PROMISES, success=PromiseSuccess)
        async def add_promise(input: AddPromiseInput, acting: Acting) -> models.Promise:
            return await promises.add_promise(acting.session, acting.actor, ..., now=acting.now)

    - `ability`: the `Action` the domain call exercises, or None (any logged-in user, or a rule
      of its own: the case's owner, the task's assignee). It is data, listed in `MUTATIONS`;
      the domain still enforces it, so what is refused first (an object of another store is
      not found before the role is forbidden) stays the domain's to say.
    - `input: XInput`: the field's one argument, `input: XInput!`.
    - `success`: its payload is the union `XPayload = XSuccess | MutationError` (`payload`
      names it otherwise), and `XSuccess` wraps the node the call returns in its one field (a
      success type resolves anything else from that node, so a replay answers the same).
    - the body: the one domain call, given the input and `Acting`, returning the node it
      changed. It runs inside `run_mutation`: the key, the transaction, errors as payloads.
    - `description`: the field's description in the schema.
    - `on_refusal`: a write of its own when the domain refuses (a RuleViolationError), after
      that rollback, committed alone (reassignCase counts the refused attempt).

    The decorated function becomes the Strawberry field of the same name; it is written in the
    body of its module's `...Mutations` class, which only groups the fields in schema order
    (it takes no `self`: it is a declaration, not a method)."""

    def declare(call: Callable[[In, Acting], Awaitable[N]]) -> Any:
        name = to_camel_case(call.__name__)
        if name in MUTATIONS:
            raise TypeError(f"mutation {name} is declared twice")
        wrapped = _wrapped_field(success)
        declaration = Declaration(
            name=name,
            ability=ability,
            input=get_type_hints(call)["input"],
            success=success,
            payload=payload or success.__name__.removesuffix("Success") + "Payload",
            description=description,
            call=call,
        )

        def answer(node: N) -> Any:
            return success(**{wrapped: node})

        async def resolve(info: Info, input: In) -> Any:
            answered = await run_mutation(
                info, input, lambda acting: call(input, acting), success=answer
            )
            if on_refusal is not None and isinstance(answered, RuleViolationError):
                context = info.context
                # The rollback expired the actor's row: read it again.
                actor = await context.actor()
                await context.session.refresh(actor.user)
                await on_refusal(input, Acting(context.session, actor, context.now(), context))
                await context.session.commit()
            return answered

        resolve.__name__ = resolve.__qualname__ = call.__name__
        resolve.__annotations__ = {
            "info": Info,
            "input": declaration.input,
            "return": _payload(declaration.payload, success),
        }
        MUTATIONS[name] = declaration
        return strawberry.mutation(resolver=resolve, description=description)

    return declare


def _wrapped_field(success: type[Any]) -> str:
    """The one field a success type is built with: the node the mutation returns."""
    fields = [field.name for field in dataclasses.fields(success) if field.init]
    if len(fields) != 1:
        raise TypeError(f"{success.__name__} must be built from one node, not {fields}")
    return fields[0]


def _payload(name: str, success: type[Any]) -> Any:
    """The union `name` = success | MutationError, made once and shared by its mutations."""
    made = _PAYLOADS.get(name)
    if made is None:
        union = Annotated[success | MutationError, strawberry.union(name)]  # type: ignore[valid-type]
        made = _PAYLOADS[name] = (success, union)
    if made[0] is not success:
        raise TypeError(f"{name} is {made[0].__name__} | MutationError, not {success.__name__}")
    return made[1]
