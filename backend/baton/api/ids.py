"""Relay global IDs: base64 of "TypeName:number", where TypeName is the model's class name."""

import base64
import binascii

from baton.domain.errors import FieldProblem, ValidationFailed


def global_id(type_name: str, number: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{number}".encode()).decode().rstrip("=")


def parse_global_id(value: str) -> tuple[str, int] | None:
    try:
        padded = value + "=" * (-len(value) % 4)
        type_name, _, number = base64.urlsafe_b64decode(padded).decode().partition(":")
        return type_name, int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def expect_id(value: str, type_name: str, path: str) -> int:
    """The number inside an ID of `type_name`; a wrong type or garbage is a field error."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != type_name or parsed[1] <= 0:
        raise ValidationFailed([FieldProblem(path, f"expected a {type_name} id", "wrong_id")])
    return parsed[1]


def optional_id(value: str | None, type_name: str, path: str) -> int | None:
    return None if value is None else expect_id(value, type_name, path)
