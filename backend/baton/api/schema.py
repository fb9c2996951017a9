"""The Strawberry schema: the root types (executed by api/operations.py)."""

from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.types.field import StrawberryField
from strawberry.types.fields.resolver import INFO_PARAMSPEC, PARENT_PARAMSPEC, StrawberryResolver
from strawberry.types.info import Info

from baton.api.alert_queries import AlertQueries
from baton.api.cars.mutations import (
    BookingMutations,
    CalendarFeedMutations,
    CarPolicyMutations,
    CarUseMutations,
)
from baton.api.cars.queries import CarQueries
from baton.api.cases.mutations import CaseMutations, RaisingMutations, TouchpointMutations
from baton.api.cases.queries import CaseQueries
from baton.api.learning.mutations import LearningMutations, TopicMutations
from baton.api.learning.queries import LearningQueries
from baton.api.measures import MeasureQueries
from baton.api.mutations.alerts import AlertMutations
from baton.api.mutations.auth import AuthMutations
from baton.api.mutations.check_in import CheckInMutations
from baton.api.mutations.customers import CustomerMutations
from baton.api.mutations.delivery_dates import DeliveryDateMutations
from baton.api.mutations.entitlement_use import EntitlementUseMutations
from baton.api.mutations.handover import HandoverMutations
from baton.api.mutations.orders import OrderMutations
from baton.api.mutations.promises import PromiseMutations
from baton.api.mutations.signing import SigningMutations
from baton.api.mutations.staff import StaffMutations
from baton.api.mutations.submission import SubmissionMutations
from baton.api.mutations.tasks import TaskMutations
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
    _resolve_argument_free_fields_directly(schema)
    return schema


def _resolve_argument_free_fields_directly(schema: strawberry.Schema) -> None:
    """A field without arguments or field extensions whose resolver takes its parent and
    perhaps `info` (every `id`, `Customer.tags`, `Customer.vehicles`) is resolved by
    graphql-core calling that function: the answer is the same, without Strawberry's per-call
    wrapper (argument parsing, the extension chain, a second coroutine around an async
    resolver), which costs more than such a field (measured: `id` was the most resolved field of
    a record, and a search page resolves `vehicles` once per customer)."""
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for graphql_field in graphql_type.fields.values():
            field: Any = (graphql_field.extensions or {}).get("strawberry-definition")
            resolver = getattr(field, "base_resolver", None)
            if resolver is None or field.extensions or field.arguments:
                continue
            taken = resolver.reserved_parameters
            parent, info = taken.get(PARENT_PARAMSPEC), taken.get(INFO_PARAMSPEC)
            named = {parameter for parameter in (parent, info) if parameter is not None}
            if parent is not None and set(resolver.signature.parameters.values()) == named:
                graphql_field.resolve = _direct(field, resolver, parent.name, info and info.name)


def _direct(
    field: StrawberryField, resolver: StrawberryResolver[Any], parent: str, info: str | None
) -> Any:
    if info is None:

        def resolve_from_parent(root: Any, _info: GraphQLResolveInfo[Any]) -> Any:
            return resolver(**{parent: root})

        return resolve_from_parent

    def resolve(root: Any, raw_info: GraphQLResolveInfo[Any]) -> Any:
        return resolver(**{parent: root, info: Info(_raw_info=raw_info, _field=field)})

    return resolve
