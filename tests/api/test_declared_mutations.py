"""Every mutation is declared: what it needs (a real Action, or none), takes and returns, as
the schema shows it; the declarations can be listed (api/mutation.py: MUTATIONS)."""

from graphql import GraphQLField, GraphQLNonNull, GraphQLObjectType, GraphQLUnionType

from baton.api.mutation import MUTATIONS, Declaration
from baton.api.schema import build_schema
from baton.domain.access import Action

# They open and close the session rather than act as its user: login has no actor yet (and
# answers its own errors), logout takes no input and needs none.
SESSION_DOORS = {"login", "logout"}
# MutationError, in the order every payload lists it after its success type.
ERRORS = [
    "ValidationError",
    "NotFoundError",
    "ForbiddenError",
    "ConflictError",
    "RuleViolationError",
]


def _mutation_fields() -> dict[str, GraphQLField]:
    mutation_type = build_schema()._schema.mutation_type
    assert mutation_type is not None
    return dict(mutation_type.fields)


def test_every_mutation_in_the_schema_is_declared() -> None:
    fields = _mutation_fields()
    assert set(fields) - set(MUTATIONS) == SESSION_DOORS
    assert set(MUTATIONS) <= set(fields)


def test_each_declared_ability_is_a_real_action() -> None:
    for name, declaration in MUTATIONS.items():
        assert declaration.ability is None or declaration.ability in Action, name
        assert declaration.ability is None or isinstance(declaration.ability, Action), name
    # What needs an ability is the most of them: a listing that reads them.
    needing = {n: d.ability for n, d in MUTATIONS.items() if d.ability is not None}
    assert needing["changePromiseStatus"] is Action.EDIT_PROMISES
    assert needing["updateCarPolicy"] is Action.MANAGE_CARS
    assert needing["commentOnCase"] is Action.WORK_CASE  # the people on it, by the same table
    assert needing["checkOutCar"] is Action.HAND_OVER_CAR


def _named(type_: object) -> str:
    assert isinstance(type_, GraphQLNonNull)
    return str(type_.of_type)


def test_each_declaration_is_the_field_the_schema_shows() -> None:
    fields = _mutation_fields()
    for name, declaration in MUTATIONS.items():
        field = fields[name]
        assert list(field.args) == ["input"], name
        assert _named(field.args["input"].type) == _input_name(declaration), name
        assert _named(field.type) == declaration.payload, name
        payload = field.type.of_type
        assert isinstance(payload, GraphQLUnionType), name
        members = [member.name for member in payload.types]
        assert members == [declaration.success.__name__, *ERRORS], name
        assert isinstance(payload.types[0], GraphQLObjectType)
        assert field.description == declaration.description, name


def _input_name(declaration: Declaration) -> str:
    return declaration.input.__strawberry_definition__.name
