"""Typed domain errors: the only way a rule says no. The API maps each to one GraphQL type.

An error never carries a sentence: it carries a code and parameters (numbers, strings, enum
values, dates), and the API words it in the reader's language from the catalogues in
`baton/texts` (`refusal.<code>` for a rule's reason, `problem.<code>` for a field's,
`forbidden.<code>`, `error.*`). Where one public code is worded differently at different
places (an `out_of_range` between two bounds or only above one), `says` names the text instead
of the code; tests/test_texts.py checks that every code and `says` raised has a text in both
languages."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Params = Mapping[str, Any]
_NONE: Params = MappingProxyType({})


@dataclass(frozen=True, init=False)
class FieldProblem:
    path: str
    code: str
    params: Params = field(default_factory=dict, compare=False)
    says: str | None = None

    def __init__(self, path: str, code: str, /, *, says: str | None = None, **params: Any) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", MappingProxyType(params))
        object.__setattr__(self, "says", says)

    @property
    def key(self) -> str:
        return f"problem.{self.says or self.code}"


@dataclass(frozen=True, init=False)
class Reason:
    code: str
    subject_id: str | None = None
    params: Params = field(default_factory=dict, compare=False)
    says: str | None = None

    def __init__(
        self, code: str, subject_id: str | None = None, /, *, says: str | None = None, **params: Any
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "subject_id", subject_id)
        object.__setattr__(self, "params", MappingProxyType(params))
        object.__setattr__(self, "says", says)

    @property
    def key(self) -> str:
        return f"refusal.{self.says or self.code}"


def text_of(item: FieldProblem | Reason) -> dict[str, Any]:
    """A problem or reason as a text parameter, rendered in place by `baton.texts`."""
    return {"key": item.key, "params": dict(item.params)}


class DomainError(Exception):
    """`key` and `params` name the error's headline text in the catalogues."""

    def __init__(self, key: str, params: Params = _NONE) -> None:
        super().__init__(key, dict(params))
        self.key = key
        self.params: Params = params

    def __str__(self) -> str:
        # For logs and tracebacks only; readers see the rendered text.
        return f"{self.key} {dict(self.params)}" if self.params else self.key


class ValidationFailed(DomainError):
    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("error.invalid", {"problems": [text_of(p) for p in self.problems]})


class NotFound(DomainError):
    """Also what another store's object looks like: its existence is not revealed."""

    def __init__(self, entity: str, path: str | None = None) -> None:
        super().__init__("error.not_found", {"entity": entity})
        self.entity = entity
        self.path = path


class Forbidden(DomainError):
    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(f"forbidden.{code}", params)
        self.code = code


class Conflict(DomainError):
    def __init__(self, entity: str, current_version: int) -> None:
        super().__init__("error.conflict", {"entity": entity, "version": current_version})
        self.entity = entity
        self.current_version = current_version


class RuleViolation(DomainError):
    def __init__(self, reasons: Iterable[Reason]) -> None:
        self.reasons = list(reasons)
        super().__init__("error.refused", {"reasons": [text_of(r) for r in self.reasons]})


class InvalidCredentials(DomainError):
    def __init__(self) -> None:
        super().__init__("error.invalid_credentials")


class RateLimited(DomainError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("error.rate_limited", {"minutes": -(-retry_after_seconds // 60)})
        self.retry_after_seconds = retry_after_seconds


@dataclass
class FieldChecks:
    """Collects every field problem of one input, so the user sees them all at once."""

    problems: list[FieldProblem] = field(default_factory=list)

    def fail(self, path: str, code: str, /, *, says: str | None = None, **params: Any) -> None:
        self.problems.append(FieldProblem(path, code, says=says, **params))

    def text(
        self, path: str, value: str | None, *, max_length: int, required: bool = True
    ) -> str | None:
        """Strip, then check presence and the documented length limit."""
        if value is None:
            if required:
                self.fail(path, "required")
            return None
        value = value.strip()
        if required and not value:
            self.fail(path, "required", says="empty")
        elif len(value) > max_length:
            self.fail(path, "too_long", says="too_long_text", max=max_length)
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationFailed(self.problems)
