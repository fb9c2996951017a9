"""Read side: who am I, find a customer, open the record, my tasks, any node by ID."""

import strawberry

from baton.api.context import Info
from baton.api.ids import expect_id
from baton.api.types.customers import CustomerType
from baton.api.types.org import Role, UserSessionType, UserType
from baton.api.types.relay import Connection, Cursor, Node, connection, orm_root
from baton.api.types.tasks import MyTasks
from baton.api.types.workshop import WorkshopVisitType
from baton.domain import auth, lookup, staff, tasks, visits
from baton.domain.search import search_customers
from baton.ids import parse_global_id


@strawberry.type
class Query:
    @strawberry.field(description="The logged-in staff member.")
    async def me(self, info: Info) -> UserType:
        return orm_root((await info.context.actor()).user)

    @strawberry.field(description="My live logins, newest first (at most 20).")
    async def my_sessions(self, info: Info) -> list[UserSessionType]:
        actor = await info.context.actor()
        return orm_root(
            await auth.sessions_of(info.context.session, actor.user, info.context.now())
        )

    @strawberry.field(description="A store's active staff, for its managers (at most 200).")
    async def store_staff(
        self,
        info: Info,
        store_id: strawberry.ID,
        role: Role | None = None,  # type: ignore[valid-type]
    ) -> list[UserType]:
        actor = await info.context.actor()
        found = await staff.staff_of_store(
            info.context.session,
            actor,
            expect_id(store_id, "Store", "storeId"),
            role=role,
        )
        return orm_root(found)

    @strawberry.field(
        description="Whom an order of this customer may be submitted to: the active delivery "
        "specialists of the customer's store (at most 200)."
    )
    async def delivery_specialists(self, info: Info, customer_id: strawberry.ID) -> list[UserType]:
        actor = await info.context.actor()
        found = await staff.delivery_specialists_for(
            info.context.session, actor, expect_id(customer_id, "Customer", "customerId")
        )
        return orm_root(found)

    @strawberry.field(description="Any object by global ID, if the caller may see it.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        actor = await info.context.actor()
        parsed = parse_global_id(id)
        if parsed is None:
            return None
        return orm_root(await lookup.get_visible_object(info.context.session, actor, *parsed))

    @strawberry.field
    async def customer(self, info: Info, id: strawberry.ID) -> CustomerType | None:
        actor = await info.context.actor()
        parsed = parse_global_id(id)
        if parsed is None or parsed[0] != "Customer":
            return None
        return orm_root(await lookup.get_visible_object(info.context.session, actor, *parsed))

    @strawberry.field(
        description="Name fragment, last 4+ digits of a phone, last 6+ characters of a VIN, "
        "or a plate."
    )
    async def customers(
        self, info: Info, search: str, first: int = 20, after: str | None = None
    ) -> Connection[CustomerType]:
        actor = await info.context.actor()
        (after_id,) = Cursor.read(after, int) if after else (None,)
        page = await search_customers(
            info.context.session, actor, search, first=first, after_id=after_id
        )
        cursors = [Cursor((str(c.id),)) for c in page.customers]
        return connection(orm_root(page.customers), cursors, page.has_next)

    @strawberry.field(
        description="In the workshop today (今日在店): my store's visits checked in today, not yet "
        "completed, the latest arrival first (at most 100)."
    )
    async def in_workshop_today(self, info: Info) -> list[WorkshopVisitType]:
        actor = await info.context.actor()
        found = await visits.in_workshop_today(info.context.session, actor, now=info.context.now())
        return orm_root(found)

    @strawberry.field
    async def my_tasks(self, info: Info) -> MyTasks:
        actor = await info.context.actor()
        # "Today" is the day of the reader's store.
        time_zone = info.context.facts.home_clock().time_zone
        buckets = await tasks.my_tasks(
            info.context.session, actor, now=info.context.now(), time_zone=time_zone
        )
        return MyTasks(
            overdue=orm_root(buckets.overdue),
            today=orm_root(buckets.today),
            upcoming=orm_root(buckets.upcoming),
        )
