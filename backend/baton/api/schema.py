"""The Strawberry schema: root types, limits against abusive queries, error masking."""

import logging
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from graphql.error import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext
from strawberry.types.fields.resolver import PARENT_PARAMSPEC, StrawberryResolver

from baton.api.alert_queries import AlertQueries
from baton.api.car_queries import CarQueries
from baton.api.case_queries import CaseQueries
from baton.api.context import NotAuthenticated
from baton.api.learning_queries import LearningQueries
from baton.api.measures import MeasureQueries
from baton.api.mutations.alerts import AlertMutations
from baton.api.mutations.auth import AuthMutations
from baton.api.mutations.booking import BookingMutations
from baton.api.mutations.calendar_feeds import CalendarFeedMutations
from baton.api.mutations.car_policy import CarPolicyMutations
from baton.api.mutations.car_use import CarUseMutations
from baton.api.mutations.cases import CaseMutations
from baton.api.mutations.check_in import CheckInMutations
from baton.api.mutations.customers import CustomerMutations
from baton.api.mutations.delivery_dates import DeliveryDateMutations
from baton.api.mutations.entitlement_use import EntitlementUseMutations
from baton.api.mutations.handover import HandoverMutations
from baton.api.mutations.learning import LearningMutations
from baton.api.mutations.orders import OrderMutations
from baton.api.mutations.promises import PromiseMutations
from baton.api.mutations.raising import RaisingMutations
from baton.api.mutations.signing import SigningMutations
from baton.api.mutations.staff import StaffMutations
from baton.api.mutations.submission import SubmissionMutations
from baton.api.mutations.tasks import TaskMutations
from baton.api.mutations.topics import TopicMutations
from baton.api.mutations.touchpoints import TouchpointMutations
from baton.api.mutations.vehicles import VehicleMutations
from baton.api.queries import Query as BaseQuery
from baton.domain.errors import DomainError, ValidationFailed
from baton.settings import Settings

log = logging.getLogger("baton.graphql")


@strawberry.type
class Mutation(
    AuthMutations,
    CustomerMutations,
    VehicleMutations,
    CheckInMutations,
    OrderMutations,
    PromiseMutations,
    SigningMutations,
    SubmissionMutations,
    HandoverMutations,
    DeliveryDateMutations,
    EntitlementUseMutations,
    TaskMutations,
    StaffMutations,
    AlertMutations,
    TouchpointMutations,
    RaisingMutations,
    CaseMutations,
    LearningMutations,
    TopicMutations,
    BookingMutations,
    CarUseMutations,
    CarPolicyMutations,
    CalendarFeedMutations,
):
    pass


@strawberry.type
class Query(BaseQuery, MeasureQueries, AlertQueries, CaseQueries, LearningQueries, CarQueries):
    pass


class ExplainOrMask(MaskErrors):
    """Known errors keep their message and gain a code; anything else is logged with a request
    id and answered as a generic error without internals."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._unexpected)

    @staticmethod
    def _unexpected(error: GraphQLError) -> bool:
        original = error.original_error
        if original is None or isinstance(original, NotAuthenticated | GraphQLError):
            return False
        if isinstance(original, DomainError):
            error.extensions = {**(error.extensions or {}), **_domain_extensions(original)}
            return False
        return True

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        log.error("request %s failed", request_id, exc_info=error.original_error)
        return GraphQLError(
            message="internal error",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )


def _domain_extensions(error: DomainError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": type(error).__name__.upper()}
    if isinstance(error, ValidationFailed):
        extensions["fields"] = [
            {"path": p.path, "message": p.message, "code": p.code} for p in error.problems
        ]
    return extensions


class BatonSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Expected errors (not logged in, bad input) are answers, not incidents;
        ExplainOrMask logs the unexpected ones with their request id."""


def build_schema(settings: Settings) -> strawberry.Schema:
    # The limiters build a new rule class per instance, which would make every request miss the
    # validation cache (measured: validation was 22% of a record query); build them once.
    limits = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
    ]
    schema = BatonSchema(
        query=Query,
        mutation=Mutation,
        # Factories, as Strawberry asks; the parse and validation caches are shared by maxsize.
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            lambda: AddValidationRules(limits),
            lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
            ExplainOrMask,
        ],
    )
    _resolve_parent_only_fields_directly(schema)
    return schema


def _resolve_parent_only_fields_directly(schema: strawberry.Schema) -> None:
    """A field whose resolver reads only its parent (every `id`, `Customer.tags`), with no
    arguments and no field extension, is resolved by graphql-core calling that function: the
    answer is the same, without Strawberry's per-call wrapper (an Info object, argument
    parsing, the extension chain), which costs more than such a field (measured: `id` was the
    most resolved field of a record)."""
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for graphql_field in graphql_type.fields.values():
            field: Any = (graphql_field.extensions or {}).get("strawberry-definition")
            resolver = getattr(field, "base_resolver", None)
            if resolver is None or field.extensions or field.arguments or resolver.is_async:
                continue
            parameters = resolver.signature.parameters
            if len(parameters) == 1 and resolver.reserved_parameters.get(PARENT_PARAMSPEC):
                graphql_field.resolve = _parent_only(resolver)


def _parent_only(resolver: StrawberryResolver[Any]) -> Any:
    def resolve(root: Any, _info: GraphQLResolveInfo[Any]) -> Any:
        return resolver(root)

    return resolve
