"""The Strawberry schema: the root types, executed by `Operations` (limits, error masking)."""

from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionResult
from strawberry.types.fields.resolver import PARENT_PARAMSPEC, StrawberryResolver
from strawberry.types.graphql import OperationType

from baton.api.alert_queries import AlertQueries
from baton.api.car_queries import CarQueries
from baton.api.case_queries import CaseQueries
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
from baton.api.operations import Operations
from baton.api.queries import Query as BaseQuery
from baton.settings import Settings


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


class BatonSchema(strawberry.Schema):
    """Strawberry's schema, executed by `Operations` (see api/operations.py for why)."""

    operations: Operations

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        return await self.operations.execute(
            query,
            variables=variable_values,
            operation_name=operation_name,
            context=context_value,
            allowed=(
                DEFAULT_ALLOWED_OPERATION_TYPES
                if allowed_operation_types is None
                else allowed_operation_types
            ),
        )


def build_schema(settings: Settings) -> strawberry.Schema:
    schema = BatonSchema(query=Query, mutation=Mutation)
    schema.operations = Operations(schema._schema, schema.execution_context_class, settings)
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
