"""In the workshop today (今日在店): an open visit of today with its customer, for the advisor.

Its own type, beside ServiceVisit rather than a `ServiceVisit.customer` field: a visit is read
from its customer's record everywhere else, and the customer type already imports the visit's."""

import strawberry
from strawberry import Parent

from baton.api.context import Info
from baton.api.types.customers import CustomerType
from baton.api.types.relay import orm_root
from baton.api.types.visits import ServiceVisitType
from baton.db import models


@strawberry.type(name="WorkshopVisit")
class WorkshopVisitType:
    @strawberry.field
    @staticmethod
    def visit(root: Parent[models.ServiceVisit]) -> ServiceVisitType:
        return orm_root(root)

    @strawberry.field(description="The visit's own customer (the list is of the reader's store).")
    @staticmethod
    async def customer(root: Parent[models.ServiceVisit], info: Info) -> CustomerType:
        return orm_root(await info.context.loaders.customer.load(root.customer_id))
