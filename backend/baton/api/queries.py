"""Read side: who am I, find a customer, open the record, my tasks, any node by ID."""

import strawberry

from baton.api.context import Info
from baton.api.types.customers import CustomerType
from baton.api.types.org import UserType
from baton.api.types.relay import Connection, Cursor, Node, connection, orm_root
from baton.api.types.tasks import MyTasks
from baton.domain import lookup, tasks
from baton.domain.search import search_customers
from baton.ids import parse_global_id


@strawberry.type
class Query:
    @strawberry.field(description="The logged-in staff member.")
    async def me(self, info: Info) -> UserType:
        return orm_root((await info.context.actor()).user)

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

    @strawberry.field
    async def my_tasks(self, info: Info) -> MyTasks:
        actor = await info.context.actor()
        # "Today" is the day of the reader's store.
        time_zone = (await info.context.reader()).time_zone
        buckets = await tasks.my_tasks(
            info.context.session, actor, now=info.context.now(), time_zone=time_zone
        )
        return MyTasks(
            overdue=orm_root(buckets.overdue),
            today=orm_root(buckets.today),
            upcoming=orm_root(buckets.upcoming),
        )
