"""Running one GraphQL operation: its document parsed, limited and validated once per text, then
executed by graphql-core over the Strawberry schema, its errors explained or masked.

This replaces Strawberry's extension pipeline (a parser cache, a validation cache, the limiters
and error masking, each a set of hooks around every request): the same steps, written once, in
order. Measured: `{ __typename }` cost 180 µs in `Schema.execute` and 25 µs here, and the
validation cache hashed a record's whole document on every request to find it again."""

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules, validate
from graphql import execute as execute_document
from graphql.validation import ASTValidationRule
from strawberry import Schema
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe
from strawberry.utils.operation import get_operation_type

from baton.api.context import NotAuthenticated
from baton.api.errors import field_error, message_of
from baton.domain.errors import DomainError, ValidationFailed
from baton.settings import Settings
from baton.texts import Reader

log = logging.getLogger("baton.graphql")

# Texts the PWA sends are few; an attacker's are refused before they are cached (the size and
# token limits) and then only push older texts out.
PREPARED_DOCUMENTS = 256


class NoSuchOperation(Exception):
    """The document names no operation to run, or not the one asked for."""


class OperationNotAllowed(Exception):
    """An operation the request's method may not run (a mutation over GET)."""


@dataclass(frozen=True, slots=True)
class Answer:
    data: dict[str, Any] | None
    errors: list[GraphQLError]

    @property
    def never_executed(self) -> bool:
        """The document did not parse or validate, or its variables did not coerce: errors
        raised while executing carry the path of their field, these do not."""
        return self.data is None and bool(self.errors) and all(e.path is None for e in self.errors)


class Operations:
    def __init__(self, schema: Schema, settings: Settings) -> None:
        self.schema: GraphQLSchema = schema._schema
        # Strawberry's execution context: it turns resolvers' results into GraphQL values.
        self.executor: type[Any] = schema.execution_context_class
        self.max_tokens = settings.graphql_max_tokens
        self.rules: tuple[type[ASTValidationRule], ...] = (
            *specified_rules,
            *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        )
        self.prepared = functools.lru_cache(maxsize=PREPARED_DOCUMENTS)(self._prepare)

    def _prepare(self, query: str) -> DocumentNode | list[GraphQLError]:
        """The validated document of a text, or why it is refused (both are remembered: the
        answer for a text never changes)."""
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:
            return [error]
        return validate(self.schema, document, self.rules) or document

    async def execute(
        self,
        query: str,
        *,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Any,
        allowed: Iterable[OperationType],
    ) -> Answer:
        prepared = self.prepared(query)
        if isinstance(prepared, list):
            return Answer(data=None, errors=prepared)
        try:
            operation_type = get_operation_type(prepared, operation_name)
        except RuntimeError as error:
            raise NoSuchOperation(
                f'no operation named "{operation_name}"'
                if operation_name
                else "the document has no operation to run"
            ) from error
        if operation_type not in allowed:
            raise OperationNotAllowed(f"a {operation_type.value} is not allowed by this method")
        result = await await_maybe(
            execute_document(
                self.schema,
                prepared,
                context_value=context,
                variable_values=variables,
                operation_name=operation_name,
                is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
                executor_class=self.executor,
            )
        )
        errors = [_explained_or_masked(error, context) for error in result.errors or []]
        return Answer(data=result.data, errors=errors)


def _explained_or_masked(error: GraphQLError, context: Any) -> GraphQLError:
    """Known errors keep their message and gain a code; anything else is logged with the
    request id and answered as a generic error without internals."""
    original = error.original_error
    if original is None or isinstance(original, NotAuthenticated | GraphQLError):
        return error
    if isinstance(original, DomainError):
        reader = context.any_reader()
        return GraphQLError(
            message=message_of(original, reader),
            nodes=error.nodes,
            path=error.path,
            original_error=original,
            extensions={**(error.extensions or {}), **_domain_extensions(original, reader)},
        )
    request_id = getattr(context, "request_id", "-")
    log.error("request %s failed", request_id, exc_info=original)
    return GraphQLError(
        message="internal error",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL", "requestId": request_id},
    )


def _domain_extensions(error: DomainError, reader: Reader) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": type(error).__name__.upper()}
    if isinstance(error, ValidationFailed):
        extensions["fields"] = [vars(field_error(p, reader)) for p in error.problems]
    return extensions
