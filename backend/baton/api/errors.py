"""The typed errors every mutation payload may carry, and the one place that maps domain
errors to them."""

import strawberry

from baton.domain import errors as domain
from baton.ids import global_id


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


def rule_reason(reason: domain.Reason) -> RuleReason:
    return RuleReason(
        code=reason.code, message=reason.message, subject_id=_subject_id(reason.subject_id)
    )


def as_user_error(error: domain.DomainError) -> UserError:
    match error:
        case domain.InvalidCredentials():
            return InvalidCredentialsError(message=error.message)
        case domain.RateLimited(retry_after_seconds=seconds):
            return RateLimitedError(message=error.message, retry_after_seconds=seconds)
    return as_mutation_error(error)


def as_mutation_error(error: domain.DomainError) -> MutationError:
    match error:
        case domain.ValidationFailed(problems=problems):
            return ValidationError(
                message=error.message,
                fields=[FieldError(path=p.path, message=p.message, code=p.code) for p in problems],
            )
        case domain.NotFound(path=path):
            return NotFoundError(message=error.message, path=path)
        case domain.Conflict(current_version=version):
            return ConflictError(message=error.message, current_version=version)
        case domain.RuleViolation(reasons=reasons):
            return RuleViolationError(
                message=error.message,
                reasons=[rule_reason(r) for r in reasons],
            )
    return ForbiddenError(message=error.message)
