"""Reading global IDs out of GraphQL input: a wrong type or garbage is a field error."""

from baton.domain.errors import FieldProblem, ValidationFailed
from baton.ids import parse_global_id


def expect_id(value: str, type_name: str, path: str) -> int:
    """The number inside an ID of `type_name`."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != type_name or parsed[1] <= 0:
        raise ValidationFailed([FieldProblem(path, "wrong_id", entity=type_name)])
    return parsed[1]


def optional_id(value: str | None, type_name: str, path: str) -> int | None:
    return None if value is None else expect_id(value, type_name, path)
