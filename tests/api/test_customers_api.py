"""The customer record over GraphQL: typed errors, idempotent replays, optimistic versions."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from tests.support.api import ApiClient
from tests.support.counts import row_counts
from tests.support.records import valid_vin

CREATE = """mutation($i: CreateCustomerInput!) { createCustomer(input: $i) {
  __typename
  ... on CustomerSuccess { customer { id name phone tags version } }
  ... on ValidationError { fields { path code } }
} }"""
UPDATE = """mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) {
  __typename
  ... on CustomerSuccess { customer { id name version } }
  ... on ConflictError { currentVersion }
  ... on ValidationError { fields { path code } }
  ... on NotFoundError { path }
} }"""
ADD_VEHICLE = """mutation($i: AddVehicleInput!) { addVehicle(input: $i) {
  __typename
  ... on VehicleSuccess { vehicle { id vin plate } }
  ... on ValidationError { fields { path code message } }
} }"""
CHECK_IN = """mutation($i: CheckInForServiceInput!) { checkInForService(input: $i) {
  __typename
  ... on CheckInSuccess { visit { id complaint mileageKm checkedInAt advisor { username } } }
  ... on ForbiddenError { message }
  ... on ValidationError { fields { path code } }
} }"""


async def _create(api: ApiClient, **fields: Any) -> dict[str, Any]:
    data = await api.data(CREATE, {"i": {"name": "王芳", "phone": "13812345678", **fields}})
    payload: dict[str, Any] = data["createCustomer"]
    return payload


async def test_create_customer_returns_the_normalised_record(api: ApiClient) -> None:
    await api.login_as("sales_consultant")
    payload = await _create(api, tags=["VIP"])
    assert payload["__typename"] == "CustomerSuccess"
    assert payload["customer"]["phone"] == "+8613812345678"
    assert payload["customer"]["tags"] == ["VIP"]
    assert payload["customer"]["version"] == 1


async def test_invalid_fields_are_named_and_nothing_is_written(
    api: ApiClient, db: AsyncSession
) -> None:
    await api.login_as("sales_consultant")
    before = await row_counts(db)
    payload = await _create(api, name="", phone="12", address="长" * 301)
    assert payload["__typename"] == "ValidationError"
    assert {f["path"] for f in payload["fields"]} == {
        "input.name",
        "input.phone",
        "input.address",
    }
    assert await row_counts(db) == before


async def test_unknown_enum_value_is_a_graphql_error_naming_the_field(
    api: ApiClient, db: AsyncSession
) -> None:
    await api.login_as("sales_consultant")
    before = await row_counts(db)
    body = await api.gql(CREATE, {"i": {"name": "王芳", "phone": "13812345678", "tags": ["GOLD"]}})
    assert body["data"] is None
    assert "tags" in body["errors"][0]["message"]
    assert await row_counts(db) == before


async def test_bad_vin_is_a_field_error_and_no_vehicle_is_written(
    api: ApiClient, db: AsyncSession
) -> None:
    await api.login_as("sales_consultant")
    customer = (await _create(api))["customer"]
    before = await row_counts(db)
    data = await api.data(
        ADD_VEHICLE,
        {"i": {"customerId": customer["id"], "vin": "1M8GDM9A1KP042788", "modelName": "Y"}},
    )
    payload = data["addVehicle"]
    assert payload["__typename"] == "ValidationError"
    assert payload["fields"][0]["path"] == "input.vin"
    assert payload["fields"][0]["message"] == "校验位（第 9 位）应为 X"
    assert await row_counts(db) == before


async def test_an_id_of_the_wrong_type_is_a_field_error(api: ApiClient) -> None:
    await api.login_as("sales_consultant")
    customer = (await _create(api))["customer"]
    vin = valid_vin()
    vehicle = (
        await api.data(
            ADD_VEHICLE, {"i": {"customerId": customer["id"], "vin": vin, "modelName": "Y"}}
        )
    )["addVehicle"]["vehicle"]
    for wrong in (vehicle["id"], "not-an-id"):
        data = await api.data(UPDATE, {"i": {"id": wrong, "version": 1, "name": "改名"}})
        assert data["updateCustomer"]["__typename"] == "ValidationError"
        assert data["updateCustomer"]["fields"] == [{"path": "input.id", "code": "wrong_id"}]


async def test_replaying_a_client_mutation_id_returns_the_first_result_and_writes_once(
    api: ApiClient, db: AsyncSession
) -> None:
    await api.login_as("sales_consultant")
    first = await _create(api, clientMutationId="offline-42")
    second = await _create(api, clientMutationId="offline-42")
    assert first["__typename"] == second["__typename"] == "CustomerSuccess"
    assert first["customer"]["id"] == second["customer"]["id"]
    assert await db.scalar(select(func.count()).select_from(models.Customer)) == 1
    reused = await api.data(
        UPDATE,
        {"i": {"id": first["customer"]["id"], "version": 1, "clientMutationId": "offline-42"}},
    )
    assert reused["updateCustomer"]["__typename"] == "ValidationError"
    assert reused["updateCustomer"]["fields"][0]["path"] == "input.clientMutationId"


async def test_same_key_from_another_user_is_their_own_write(
    api: ApiClient, db: AsyncSession
) -> None:
    await api.login_as("sales_consultant")
    await _create(api, clientMutationId="k1")
    await api.login_as("service_advisor")
    second = await _create(api, phone="13812345679", clientMutationId="k1")
    assert second["__typename"] == "CustomerSuccess", second
    assert await db.scalar(select(func.count()).select_from(models.Customer)) == 2


async def test_two_edits_from_the_same_version_never_overwrite_each_other(
    api: ApiClient, db: AsyncSession
) -> None:
    await api.login_as("sales_consultant")
    customer = (await _create(api))["customer"]
    first = await api.data(UPDATE, {"i": {"id": customer["id"], "version": 1, "name": "王芳芳"}})
    second = await api.data(UPDATE, {"i": {"id": customer["id"], "version": 1, "name": "王小芳"}})
    assert first["updateCustomer"]["customer"]["version"] == 2
    assert second["updateCustomer"] == {"__typename": "ConflictError", "currentVersion": 2}
    name = await db.scalar(select(models.Customer.name))
    assert name == "王芳芳"


async def test_check_in_creates_a_visit_and_a_timeline_entry(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    customer = (await _create(api))["customer"]
    data = await api.data(
        CHECK_IN, {"i": {"customerId": customer["id"], "mileageKm": 12000, "complaint": "异响"}}
    )
    visit = data["checkInForService"]["visit"]
    assert (visit["complaint"], visit["mileageKm"]) == ("异响", 12000)
    assert visit["advisor"]["username"] == "service_advisor.a"
    record = await api.data(
        """query($id: ID!) { customer(id: $id) {
             serviceVisits { id } timeline(first: 5) { edges { node { kind actor { username } } } }
        } }""",
        {"id": customer["id"]},
    )
    assert [v["id"] for v in record["customer"]["serviceVisits"]] == [visit["id"]]
    kinds = [e["node"]["kind"] for e in record["customer"]["timeline"]["edges"]]
    assert kinds == ["service_check_in", "customer_created"]


async def test_a_timeline_event_read_alone_names_its_actor_as_the_record_does(
    api: ApiClient,
) -> None:
    """In the record the actors come with the timeline's page; read through `node`, the
    event's actor (not the viewer, whose user is known already) is loaded on its own. Both
    give the same answer."""
    await api.login_as("service_advisor")
    customer = (await _create(api))["customer"]
    await api.data(CHECK_IN, {"i": {"customerId": customer["id"], "complaint": "异响"}})
    await api.login_as("store_manager")
    node = "id kind summary actor { username displayName }"
    record = await api.data(
        "query($id: ID!) { customer(id: $id) {"
        f" timeline(first: 1) {{ edges {{ node {{ {node} }} }} }} }} }}",
        {"id": customer["id"]},
    )
    [edge] = record["customer"]["timeline"]["edges"]
    alone = await api.data(
        f"query($id: ID!) {{ node(id: $id) {{ ... on TimelineEvent {{ {node} }} }} }}",
        {"id": edge["node"]["id"]},
    )
    assert alone["node"] == edge["node"]
    assert edge["node"]["actor"]["username"] == "service_advisor.a"
    assert edge["node"]["summary"] == "异响"


async def test_an_offline_check_in_keeps_the_tap_time_an_online_one_the_servers(
    api: ApiClient, clock: ManualClock
) -> None:
    await api.login_as("service_advisor")
    customer = (await _create(api))["customer"]
    tapped = clock.now() - timedelta(hours=2)
    offline = await api.data(
        CHECK_IN, {"i": {"customerId": customer["id"], "checkedInAt": tapped.isoformat()}}
    )
    online = await api.data(CHECK_IN, {"i": {"customerId": customer["id"]}})
    at = offline["checkInForService"]["visit"]["checkedInAt"]
    assert datetime.fromisoformat(at) == tapped
    at = online["checkInForService"]["visit"]["checkedInAt"]
    assert datetime.fromisoformat(at) == clock.now()


@pytest.mark.parametrize(
    ("offset", "code"), [(timedelta(hours=1), "in_future"), (-timedelta(hours=25), "too_old")]
)
async def test_a_check_in_tapped_in_the_future_or_too_long_ago_is_refused_and_writes_nothing(
    api: ApiClient, db: AsyncSession, clock: ManualClock, offset: timedelta, code: str
) -> None:
    await api.login_as("service_advisor")
    customer = (await _create(api))["customer"]
    before = await row_counts(db)
    at = (clock.now() + offset).isoformat()
    data = await api.data(CHECK_IN, {"i": {"customerId": customer["id"], "checkedInAt": at}})
    assert data["checkInForService"] == {
        "__typename": "ValidationError",
        "fields": [{"path": "input.checkedInAt", "code": code}],
    }
    assert await row_counts(db) == before


async def test_a_technician_cannot_check_a_customer_in(api: ApiClient, db: AsyncSession) -> None:
    await api.login_as("sales_consultant")
    customer = (await _create(api))["customer"]
    await api.login_as("technician")
    before = await row_counts(db)
    data = await api.data(CHECK_IN, {"i": {"customerId": customer["id"]}})
    assert data["checkInForService"]["__typename"] == "ForbiddenError"
    assert await row_counts(db) == before


async def test_timeline_pages_with_cursors_newest_first(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    customer = (await _create(api))["customer"]
    for n in range(4):
        await api.data(CHECK_IN, {"i": {"customerId": customer["id"], "complaint": f"第{n}次"}})
    query = """query($id: ID!, $after: String) { customer(id: $id) {
        timeline(first: 2, after: $after) { edges { node { summary } }
                                             pageInfo { hasNextPage endCursor } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api.data(query, {"id": customer["id"], "after": after}))["customer"]
        seen += [e["node"]["summary"] for e in page["timeline"]["edges"]]
        if not page["timeline"]["pageInfo"]["hasNextPage"]:
            break
        after = page["timeline"]["pageInfo"]["endCursor"]
    assert seen == ["第3次", "第2次", "第1次", "第0次", ""]
