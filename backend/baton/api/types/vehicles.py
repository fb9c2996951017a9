"""Vehicles."""

import strawberry

from baton.api.types.relay import Node
from baton.db import models


@strawberry.type(name="Vehicle")
class VehicleType(Node):
    vin: str
    plate: str | None
    model_name: str
    version: int

    @classmethod
    def is_type_of(cls, obj: object, _info: object) -> bool:
        return isinstance(obj, models.Vehicle)
