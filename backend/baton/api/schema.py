"""The Strawberry schema: the root types (executed by api/operations.py)."""

from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.types.fields.resolver import PARENT_PARAMSPEC, StrawberryResolver

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
from baton.api.queries import Query as BaseQuery


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


def build_schema() -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, mutation=Mutation)
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
