"""Alerts over GraphQL: devices, inbox, preferences; nothing of another user's is reachable."""

from typing import Any

import pytest
from sqlalchemy import func, select

from baton.db import models
from baton.domain.alerts import raise_alert
from tests.support.api import ApiClient
from tests.support.push_service import PushService

SUBSCRIBE = """mutation($input: SubscribePushInput!) { subscribePush(input: $input) {
  __typename
  ... on SubscribePushSuccess { device { id userAgent pushService } }
  ... on ValidationError { fields { path code } } } }"""
UNSUBSCRIBE = """mutation($input: UnsubscribePushInput!) { unsubscribePush(input: $input) {
  __typename } }"""
INBOX = """{ unreadAlertCount inbox(first: 10) { edges { node {
  id title body url pushState readAt } } pageInfo { hasNextPage } } }"""


def browser_json(endpoint: str = "https://fcm.googleapis.com/fcm/send/abc123") -> dict[str, Any]:
    service = PushService(origin="https://fcm.googleapis.com")
    subscription = service.make_subscription().to_json()
    subscription["endpoint"] = endpoint
    return subscription


async def device_count(api: ApiClient) -> int:
    query = select(func.count()).select_from(models.PushSubscription)
    return int(await api.session.scalar(query) or 0)


async def subscribe(api: ApiClient, subscription: Any) -> dict[str, Any]:
    data = await api.data(
        SUBSCRIBE, {"input": {"subscription": subscription, "userAgent": "Pixel"}}
    )
    result: dict[str, Any] = data["subscribePush"]
    return result


async def test_subscribe_lists_and_removes_my_device(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    result = await subscribe(api, browser_json())
    assert result["__typename"] == "SubscribePushSuccess"
    assert result["device"]["pushService"] == "https://fcm.googleapis.com"
    devices = (await api.data("{ myDevices { id userAgent } }"))["myDevices"]
    assert devices == [{"id": result["device"]["id"], "userAgent": "Pixel"}]

    removed = await api.data(UNSUBSCRIBE, {"input": {"id": result["device"]["id"]}})
    assert removed["unsubscribePush"]["__typename"] == "UnsubscribePushSuccess"
    assert await device_count(api) == 0


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"endpoint": "http://fcm.googleapis.com/fcm/send/x"}, "endpoint", "not_https"),
        ({"endpoint": "https://169.254.169.254/latest"}, "endpoint", "push_service_not_allowed"),
        (
            {"endpoint": "https://evil.example/fcm.googleapis.com"},
            "endpoint",
            "push_service_not_allowed",
        ),
        ({"endpoint": "http://127.0.0.1:8080/push/x"}, "endpoint", "not_https"),
        (
            {"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}},
            "keys.p256dh",
            "invalid_key",
        ),
        ({"keys": {"p256dh": "", "auth": "short"}}, "keys.p256dh", "invalid_key"),
    ],
)
async def test_bad_subscriptions_are_refused_with_field_paths_and_nothing_stored(
    api: ApiClient, change: dict[str, Any], path: str, code: str
) -> None:
    await api.login_as("service_advisor")
    result = await subscribe(api, {**browser_json(), **change})
    assert result["__typename"] == "ValidationError"
    assert {"path": f"input.subscription.{path}", "code": code} in result["fields"]
    assert await device_count(api) == 0


async def test_wrong_auth_length_and_non_object_json_are_validation_errors(
    api: ApiClient,
) -> None:
    await api.login_as("service_advisor")
    good = browser_json()
    short_auth = {**good, "keys": {**good["keys"], "auth": "AAAA"}}
    result = await subscribe(api, short_auth)
    assert result["fields"] == [{"path": "input.subscription.keys.auth", "code": "invalid_key"}]
    assert await device_count(api) == 0


@pytest.mark.parametrize(
    "subscription",
    ["not an object", {"endpoint": "https://fcm.googleapis.com/x", "keys": "nope"}, {"keys": {}}],
)
async def test_a_subscription_of_the_wrong_shape_is_refused_by_its_input_type(
    api: ApiClient, subscription: Any
) -> None:
    await api.login_as("service_advisor")
    body = await api.gql(SUBSCRIBE, {"input": {"subscription": subscription, "userAgent": "Pixel"}})
    assert "data" not in body or body["data"] is None
    assert "input" in body["errors"][0]["message"]
    assert await device_count(api) == 0


async def test_a_user_cannot_see_or_remove_anothers_devices_or_alerts(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    theirs = (await subscribe(api, browser_json()))["device"]["id"]
    advisor = api.world.users[(models.Role.SERVICE_ADVISOR, "A")]
    alert_id = await raise_alert(
        api.session,
        user_id=advisor.id,
        kind=models.AlertKind.CUSTOMER_HERE,
        params={"customer": "王芳", "open": 0, "notes": ["vip"], "promises": []},
        url="/tasks/1",
        now=advisor.created_at,
    )
    await api.session.commit()
    alert_gid = (await api.data(INBOX))["inbox"]["edges"][0]["node"]["id"]
    assert alert_id is not None

    await api.login_as("store_manager")
    assert (await api.data("{ myDevices { id } }"))["myDevices"] == []
    assert (await api.data(INBOX))["inbox"]["edges"] == []
    node = await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": theirs})
    assert node["node"] is None
    node = await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": alert_gid})
    assert node["node"] is None
    removed = await api.data(UNSUBSCRIBE, {"input": {"id": theirs}})
    assert removed["unsubscribePush"]["__typename"] == "NotFoundError"
    marked = await api.data(
        """mutation($input: MarkAlertReadInput!) { markAlertRead(input: $input) {
        __typename } }""",
        {"input": {"id": alert_gid}},
    )
    assert marked["markAlertRead"]["__typename"] == "NotFoundError"
    assert await device_count(api) == 1


async def test_inbox_unread_count_mark_read_and_mark_all_read(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    advisor = api.world.users[(models.Role.SERVICE_ADVISOR, "A")]
    for n in range(3):
        await raise_alert(
            api.session,
            user_id=advisor.id,
            kind=models.AlertKind.CUSTOMER_HERE,
            params={"customer": f"客户{n}", "open": n, "notes": [], "promises": ["脚垫"] * n},
            url=f"/tasks/{n}",
            now=advisor.created_at,
        )
    await api.session.commit()
    data = await api.data(INBOX)
    assert data["unreadAlertCount"] == 3
    nodes = [edge["node"] for edge in data["inbox"]["edges"]]
    assert [n["title"] for n in nodes] == ["客户到店：客户2", "客户到店：客户1", "客户到店：客户0"]
    marked = await api.data(
        """mutation($input: MarkAlertReadInput!) { markAlertRead(input: $input) {
        ... on MarkAlertReadSuccess { alert { id readAt } } } }""",
        {"input": {"id": nodes[0]["id"], "clientMutationId": "read-1"}},
    )
    assert marked["markAlertRead"]["alert"]["readAt"] is not None
    assert (await api.data("{ unreadAlertCount }"))["unreadAlertCount"] == 2
    all_read = await api.data(
        """mutation { markAllAlertsRead(input: {}) {
        ... on MarkAllAlertsReadSuccess { unreadAlertCount } } }"""
    )
    assert all_read["markAllAlertsRead"]["unreadAlertCount"] == 0


async def test_preferences_and_language_of_alert_texts(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    updated = await api.data(
        """mutation($input: UpdateAlertPreferencesInput!) { updateAlertPreferences(input: $input) {
        __typename ... on UpdateAlertPreferencesSuccess { preferences {
          quietHoursStart quietHoursEnd language } } } }""",
        {"input": {"quietHoursStart": "22:00", "quietHoursEnd": "07:30", "language": "en"}},
    )
    prefs = updated["updateAlertPreferences"]["preferences"]
    assert prefs == {"quietHoursStart": "22:00", "quietHoursEnd": "07:30", "language": "en"}
    refused = await api.data(
        """mutation { updateAlertPreferences(input: {quietHoursEnd: "7pm"}) {
        ... on ValidationError { fields { path } } } }"""
    )
    assert refused["updateAlertPreferences"]["fields"] == [{"path": "input.quietHoursEnd"}]
