"""Service visits over the API: the workshop list of the viewer's own store, and the
entitlements each visit used (so the record offers a use only where none was taken)."""

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.domain.access import Actor
from baton.domain.journeys import check_in, entitlement_use
from baton.ids import global_id
from tests.support.api import ApiClient
from tests.support.orders import OrderRecord
from tests.support.records import Record

AsUser = Callable[..., Awaitable[Actor]]
MakeCustomer = Callable[..., Awaitable[Record]]
WithOrder = Callable[..., Awaitable[OrderRecord]]

WORKSHOP = """{ inWorkshopToday { visit { id complaint entitlementUses { id } }
  customer { id name } } }"""
VISITS = """query($id: ID!) { customer(id: $id) { serviceVisits {
  id entitlementUses { usedAt recordedBy { displayName } promise { id description } }
} } }"""


async def _check_in(
    db: AsyncSession, advisor: Actor, customer_id: int, clock: ManualClock
) -> models.ServiceVisit:
    visit = await check_in.check_in_for_service(
        db,
        advisor,
        customer_id,
        vehicle_id=None,
        mileage_km=None,
        complaint="保养",
        now=clock.now(),
    )
    await db.commit()
    return visit


async def test_the_workshop_list_never_shows_another_stores_visits(
    api: ApiClient,
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    make_customer: MakeCustomer,
) -> None:
    here = await make_customer(name="本店客户")
    there = await make_customer(store="B", name="他店客户")
    await _check_in(db, await as_user("service_advisor"), here.customer.id, clock)
    await _check_in(db, await as_user("service_advisor", store="B"), there.customer.id, clock)

    await api.login_as("service_advisor")
    seen_here = (await api.data(WORKSHOP))["inWorkshopToday"]
    await api.login_as("service_advisor", store="B")
    seen_there = (await api.data(WORKSHOP))["inWorkshopToday"]

    assert [v["customer"]["name"] for v in seen_here] == ["本店客户"]
    assert [v["customer"]["name"] for v in seen_there] == ["他店客户"]


async def test_a_visit_lists_the_entitlements_it_used(
    api: ApiClient,
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    customer_with_order: WithOrder,
) -> None:
    record = await customer_with_order()
    (free_services,) = [p for p in record.promises if p.due is models.PromiseDue.ENTITLEMENT]
    advisor = await as_user("service_advisor")
    used_at = await _check_in(db, advisor, record.customer.id, clock)
    await entitlement_use.record_entitlement_use(
        db, advisor, used_at.id, free_services.id, now=clock.now()
    )
    untouched = await _check_in(db, advisor, record.customer.id, clock)
    await db.commit()

    await api.login_as("service_advisor")
    visits = (await api.data(VISITS, {"id": global_id("Customer", record.customer.id)}))[
        "customer"
    ]["serviceVisits"]
    uses = {visit["id"]: visit["entitlementUses"] for visit in visits}

    assert uses[global_id("ServiceVisit", untouched.id)] == []
    (use,) = uses[global_id("ServiceVisit", used_at.id)]
    assert use["promise"] == {
        "id": global_id("Promise", free_services.id),
        "description": free_services.description,
    }
    assert use["recordedBy"]["displayName"] == advisor.user.display_name


async def test_another_stores_visit_and_its_uses_stay_hidden(
    api: ApiClient,
    db: AsyncSession,
    as_user: AsUser,
    clock: ManualClock,
    customer_with_order: WithOrder,
) -> None:
    record = await customer_with_order(store="B")
    visit = await _check_in(
        db, await as_user("service_advisor", store="B"), record.customer.id, clock
    )

    await api.login_as("service_advisor")
    data = await api.data(
        "query($id: ID!) { node(id: $id) { ... on ServiceVisit { entitlementUses { id } } } }",
        {"id": global_id("ServiceVisit", visit.id)},
    )
    record_data = await api.data(VISITS, {"id": global_id("Customer", record.customer.id)})

    assert data["node"] is None
    assert record_data["customer"] is None
