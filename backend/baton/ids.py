"""Relay global IDs: base64 of "TypeName:number", where TypeName is the model's class name.

Shared by the API (node IDs), alert links and push payloads, so it sits below all of them."""

import base64
import binascii


def global_id(type_name: str, number: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{number}".encode()).decode().rstrip("=")


def parse_global_id(value: str) -> tuple[str, int] | None:
    try:
        padded = value + "=" * (-len(value) % 4)
        type_name, _, number = base64.urlsafe_b64decode(padded).decode().partition(":")
        return type_name, int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
