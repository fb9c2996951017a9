"""Typed domain errors: the only way a rule says no. The API maps each to one GraphQL type."""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    path: str
    message: str
    code: str


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    subject_id: str | None = None


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in self.problems))


class NotFound(DomainError):
    """Also what another store's object looks like: its existence is not revealed."""

    def __init__(self, entity: str, path: str | None = None) -> None:
        super().__init__(f"{entity} not found")
        self.entity = entity
        self.path = path


class Forbidden(DomainError):
    pass


class Conflict(DomainError):
    def __init__(self, entity: str, current_version: int) -> None:
        super().__init__(f"{entity} was changed by someone else (now version {current_version})")
        self.entity = entity
        self.current_version = current_version


class RuleViolation(DomainError):
    def __init__(self, reasons: Iterable[Reason]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(r.message for r in self.reasons))


class InvalidCredentials(DomainError):
    def __init__(self) -> None:
        super().__init__("wrong login or password")


class RateLimited(DomainError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("too many failed logins; try again later")
        self.retry_after_seconds = retry_after_seconds


@dataclass
class FieldChecks:
    """Collects every field problem of one input, so the user sees them all at once."""

    problems: list[FieldProblem] = field(default_factory=list)

    def fail(self, path: str, message: str, code: str = "invalid") -> None:
        self.problems.append(FieldProblem(path, message, code))

    def text(
        self, path: str, value: str | None, *, max_length: int, required: bool = True
    ) -> str | None:
        """Strip, then check presence and the documented length limit."""
        if value is None:
            if required:
                self.fail(path, "is required", "required")
            return None
        value = value.strip()
        if required and not value:
            self.fail(path, "must not be empty", "required")
        elif len(value) > max_length:
            self.fail(path, f"must be at most {max_length} characters", "too_long")
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationFailed(self.problems)
