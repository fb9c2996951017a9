"""My logins and my password; a manager hands a leaver's work to a successor."""

from typing import Any

from baton.db import models
from baton.ids import global_id
from tests.support.api import ApiClient
from tests.support.world import TEST_PASSWORD

SESSIONS = "{ mySessions { id current } }"
CHANGE = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
  __typename ... on ValidationError { fields { path code } } } }"""
REVOKE = """mutation($input: RevokeSessionInput!) { revokeSession(input: $input) {
  __typename } }"""
LEAVE = """mutation($input: DeactivateStaffInput!) { deactivateStaff(input: $input) {
  __typename ... on DeactivateStaffSuccess { user { isActive } }
  ... on ValidationError { fields { path code } } } }"""
ME = "{ me { id } }"


async def test_i_see_my_logins_and_end_one_and_it_stops_working(api: ApiClient) -> None:
    await api.login_as("service_advisor")
    first_phone = dict(api.http.cookies)
    await api.login_as("service_advisor")
    sessions = (await api.data(SESSIONS))["mySessions"]
    assert len(sessions) == 2 and [s["current"] for s in sessions] == [True, False]
    revoked = await api.data(REVOKE, {"input": {"id": sessions[1]["id"]}})
    assert revoked["revokeSession"]["__typename"] == "MeSuccess"
    api.http.cookies.clear()
    api.http.cookies.update(first_phone)
    body = await api.gql(ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_new_password_needs_the_old_one_and_ends_my_other_logins(api: ApiClient) -> None:
    user = await api.login_as("sales_consultant")
    other_phone = dict(api.http.cookies)
    await api.login_as("sales_consultant")
    wrong = await api.data(CHANGE, {"input": {"currentPassword": "not it", "newPassword": "short"}})
    assert {(f["path"], f["code"]) for f in wrong["changePassword"]["fields"]} == {
        ("input.currentPassword", "wrong_password"),
        ("input.newPassword", "bad_length"),
    }
    changed = await api.data(
        CHANGE, {"input": {"currentPassword": TEST_PASSWORD, "newPassword": "a much better one"}}
    )
    assert changed["changePassword"]["__typename"] == "MeSuccess"
    assert "errors" not in await api.gql(ME)  # this phone stays signed in
    mine = dict(api.http.cookies)
    api.http.cookies.clear()
    api.http.cookies.update(other_phone)
    assert (await api.gql(ME))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    api.http.cookies.update(mine)
    await api.login(user["username"], "a much better one")


async def test_a_leaver_is_signed_out_at_once_and_cannot_log_in_again(api: ApiClient) -> None:
    leaver = await api.login_as("delivery_specialist")
    leavers_phone = dict(api.http.cookies)
    successor = await api.world.staff(
        api.session, models.Role.DELIVERY_SPECIALIST, "A", name="接班人"
    )
    successor_id = global_id("User", successor.id)
    await api.login_as("store_manager")
    refused = await api.data(
        LEAVE, {"input": {"userId": leaver["id"], "successorId": leaver["id"]}}
    )
    assert refused["deactivateStaff"]["fields"] == [
        {"path": "input.successorId", "code": "not_a_successor"}
    ]
    done = await api.data(LEAVE, {"input": {"userId": leaver["id"], "successorId": successor_id}})
    assert done["deactivateStaff"] == {
        "__typename": "DeactivateStaffSuccess",
        "user": {"isActive": False},
    }
    api.http.cookies.clear()
    api.http.cookies.update(leavers_phone)
    assert (await api.gql(ME))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    login = await api.gql(
        """mutation($input: LoginInput!) { login(input: $input) { __typename } }""",
        {"input": {"login": leaver["username"], "password": TEST_PASSWORD}},
    )
    assert login["data"]["login"]["__typename"] == "InvalidCredentialsError"


async def test_another_stores_manager_cannot_see_or_let_go_of_our_staff(api: ApiClient) -> None:
    leaver = await api.login_as("delivery_specialist")
    await api.login_as("store_manager", store="B")
    refused = await api.data(
        LEAVE, {"input": {"userId": leaver["id"], "successorId": leaver["id"]}}
    )
    assert refused["deactivateStaff"]["__typename"] == "NotFoundError"
    await api.login_as("sales_consultant")
    refused = await api.data(
        LEAVE, {"input": {"userId": leaver["id"], "successorId": leaver["id"]}}
    )
    assert refused["deactivateStaff"]["__typename"] == "ForbiddenError"


SPECIALISTS = """query($id: ID!) { deliverySpecialists(customerId: $id) { displayName } }"""


async def test_sales_see_whom_an_order_may_be_submitted_to_in_the_customers_store_only(
    api: ApiClient, make_customer: Any
) -> None:
    record = await make_customer()
    customer_id = global_id("Customer", record.customer.id)
    for name, store in (("交付甲", "A"), ("交付乙", "B")):
        await api.world.staff(api.session, models.Role.DELIVERY_SPECIALIST, store, name=name)
    await api.world.staff(api.session, models.Role.SERVICE_ADVISOR, "A", name="服务丙")
    await api.login_as("sales_consultant")
    shown = await api.data(SPECIALISTS, {"id": customer_id})
    assert shown["deliverySpecialists"] == [{"displayName": "交付甲"}]
    await api.login_as("sales_consultant", store="B")
    hidden = await api.gql(SPECIALISTS, {"id": customer_id})
    assert hidden["errors"][0]["extensions"]["code"] == "NOTFOUND"
    await api.login_as("technician")
    refused = await api.gql(SPECIALISTS, {"id": customer_id})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
