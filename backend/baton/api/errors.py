"""The typed errors every mutation payload may carry, and the one place that maps domain
errors to them, worded in the reader's language: a domain error carries a code and parameters,
never a sentence (domain/errors.py), and the catalogues in baton/texts say it."""

import strawberry

from baton.domain import errors as domain
from baton.ids import global_id
from baton.texts import Reader


@strawberry.type
class FieldError:
    path: str
    message: str
    code: str


@strawberry.type
class ValidationError:
    message: str
    fields: list[FieldError]


@strawberry.type
class NotFoundError:
    message: str
    path: str | None


@strawberry.type
class ForbiddenError:
    message: str


@strawberry.type
class ConflictError:
    message: str
    # Null when two writers raced inside the database rather than on a stale input version.
    current_version: int | None


@strawberry.type
class RuleReason:
    code: str
    message: str
    subject_id: strawberry.ID | None


@strawberry.type
class RuleViolationError:
    message: str
    reasons: list[RuleReason]


@strawberry.type
class InvalidCredentialsError:
    message: str


@strawberry.type
class RateLimitedError:
    message: str
    retry_after_seconds: int


# What a mutation payload may be besides its success type.
MutationError = (
    ValidationError | NotFoundError | ForbiddenError | ConflictError | RuleViolationError
)

UserError = (
    ValidationError
    | NotFoundError
    | ForbiddenError
    | ConflictError
    | RuleViolationError
    | InvalidCredentialsError
    | RateLimitedError
)


def _subject_id(value: str | None) -> strawberry.ID | None:
    """Domain reasons name subjects as "TypeName:number"; clients read global IDs."""
    if not value:
        return None
    type_name, _, number = value.partition(":")
    if number.isdigit():
        return strawberry.ID(global_id(type_name, int(number)))
    return strawberry.ID(value)


def rule_reason(reason: domain.Reason, reader: Reader) -> RuleReason:
    return RuleReason(
        code=reason.code,
        message=reader.say(reason.key, reason.params),
        subject_id=_subject_id(reason.subject_id),
    )


def field_error(problem: domain.FieldProblem, reader: Reader) -> FieldError:
    return FieldError(
        path=problem.path, message=reader.say(problem.key, problem.params), code=problem.code
    )


def message_of(error: domain.DomainError, reader: Reader) -> str:
    """The error's headline in the reader's language (a refusal's reasons, a form's problems,
    joined)."""
    return reader.say(error.key, error.params)


def as_user_error(error: domain.DomainError, reader: Reader) -> UserError:
    match error:
        case domain.InvalidCredentials():
            return InvalidCredentialsError(message=message_of(error, reader))
        case domain.RateLimited(retry_after_seconds=seconds):
            return RateLimitedError(message=message_of(error, reader), retry_after_seconds=seconds)
    return as_mutation_error(error, reader)


def as_mutation_error(error: domain.DomainError, reader: Reader) -> MutationError:
    message = message_of(error, reader)
    match error:
        case domain.ValidationFailed(problems=problems):
            return ValidationError(
                message=message, fields=[field_error(p, reader) for p in problems]
            )
        case domain.NotFound(path=path):
            return NotFoundError(message=message, path=path)
        case domain.Conflict(current_version=version):
            return ConflictError(message=message, current_version=version)
        case domain.RuleViolation(reasons=reasons):
            return RuleViolationError(
                message=message, reasons=[rule_reason(r, reader) for r in reasons]
            )
    return ForbiddenError(message=message)


def raced(reader: Reader) -> ConflictError:
    """Two writers met inside the database rather than on a stale input version."""
    return ConflictError(message=reader.say("error.raced", {}), current_version=None)
