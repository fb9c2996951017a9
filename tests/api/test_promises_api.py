"""The checklist, signature, submit and handover gates over GraphQL."""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from baton.clock import ManualClock
from baton.db import models
from baton.ids import global_id
from tests.support.api import ApiClient
from tests.support.counts import row_counts
from tests.support.orders import STROKES, OrderRecord

MakeOrder = Callable[..., Awaitable[OrderRecord]]

SIGN = """mutation($i: SignChecklistInput!) { signChecklist(input: $i) {
  __typename
  ... on SignChecklistSuccess { signature { id checklistVersion contentHash signerName
        witness { username } promises { description due } } order { checklistVersion } }
  ... on ConflictError { currentVersion }
  ... on ValidationError { fields { path code } }
  ... on RuleViolationError { reasons { code subjectId } }
} }"""
SUBMIT = """mutation($i: SubmitOrderInput!) { submitOrder(input: $i) {
  __typename
  ... on OrderSuccess { order { status version delivery { scheduledAt } } }
  ... on RuleViolationError { reasons { code subjectId } }
} }"""
HANDOVER = """mutation($i: CompleteHandoverInput!) { completeHandover(input: $i) {
  __typename
  ... on CompleteHandoverSuccess { order { status delivery { completedBy { username }
        finalSignature { checklistVersion } } } }
  ... on RuleViolationError { reasons { code subjectId message } }
  ... on ConflictError { currentVersion message }
} }"""
STATUS = """mutation($i: ChangePromiseStatusInput!) { changePromiseStatus(input: $i) {
  __typename
  ... on PromiseSuccess { promise { status version } order { checklistVersion } }
  ... on RuleViolationError { reasons { code subjectId } }
  ... on NotFoundError { path }
} }"""
ORDER = """query($id: ID!) { node(id: $id) { ... on Order {
  checklistVersion version
  promises { id description status entitlementRemaining madeBy { username } }
  currentSignature { checklistVersion }
  signatures { checklistVersion contentHash promises { description deferredTo } }
} } }"""


def oid(record: OrderRecord) -> str:
    return global_id("Order", record.order.id)


def pid(record: OrderRecord, index: int) -> str:
    return global_id("Promise", record.promises[index].id)


async def sign(api: ApiClient, record: OrderRecord, version: int, key: str | None = None) -> Any:
    data = await api.data(
        SIGN,
        {
            "i": {
                "orderId": oid(record),
                "checklistVersion": version,
                "signerName": "张伟",
                "strokes": STROKES,
                "clientMutationId": key,
            }
        },
    )
    return data["signChecklist"]


async def submit(api: ApiClient, record: OrderRecord, version: int) -> Any:
    delivery = await api.world.staff(api.session, models.Role.DELIVERY_SPECIALIST, "A")
    data = await api.data(
        SUBMIT,
        {
            "i": {
                "orderId": oid(record),
                "version": version,
                "deliverySpecialistId": global_id("User", delivery.id),
            }
        },
    )
    return data["submitOrder"]


async def test_submit_is_refused_until_the_customer_signs_the_current_list(
    api: ApiClient, customer_with_order: MakeOrder
) -> None:
    record = await customer_with_order(promises=2)
    version = record.order.version
    await api.login_as("sales_consultant")
    refused = await submit(api, record, version)
    assert refused["__typename"] == "RuleViolationError"
    assert refused["reasons"] == [{"code": "checklist_unsigned", "subjectId": oid(record)}]
    signed = await sign(api, record, 1)
    assert signed["__typename"] == "SignChecklistSuccess"
    assert signed["signature"]["witness"]["username"] == "sales_consultant.a"
    assert len(signed["signature"]["contentHash"]) == 64
    accepted = await submit(api, record, version)
    assert accepted["__typename"] == "OrderSuccess"
    assert accepted["order"]["status"] == "SUBMITTED"


async def test_replayed_signature_with_the_same_key_writes_once(
    api: ApiClient, db: AsyncSession, customer_with_order: MakeOrder
) -> None:
    record = await customer_with_order(promises=1)
    await api.login_as("delivery_specialist")
    first = await sign(api, record, 1, key="sig-1")
    after_first = await row_counts(db)
    again = await sign(api, record, 1, key="sig-1")
    assert again["signature"]["id"] == first["signature"]["id"]
    assert await row_counts(db) == after_first


async def test_signature_for_a_stale_version_is_a_conflict_and_absurd_strokes_invalid(
    api: ApiClient, db: AsyncSession, customer_with_order: MakeOrder
) -> None:
    record = await customer_with_order(promises=1)
    await api.login_as("sales_consultant")
    before = await row_counts(db)
    stale = await sign(api, record, 2)
    assert stale == {"__typename": "ConflictError", "currentVersion": 1}
    data = await api.data(
        SIGN,
        {
            "i": {
                "orderId": oid(record),
                "checklistVersion": 1,
                "signerName": "张伟",
                "strokes": "[" + ",".join(["[[1,2,3]]"] * 2001) + "]",
            }
        },
    )
    assert data["signChecklist"]["fields"] == [{"path": "input.strokes", "code": "too_many_points"}]
    assert await row_counts(db) == before


async def test_handover_refusal_names_the_open_promise_by_global_id(
    api: ApiClient, customer_with_order: MakeOrder, db: AsyncSession
) -> None:
    record = await customer_with_order(promises=3)
    version = record.order.version
    await api.login_as("sales_consultant")
    await sign(api, record, 1)
    submitted = await submit(api, record, version)
    await api.login_as("delivery_specialist")
    before = await row_counts(db)
    data = await api.data(
        HANDOVER, {"i": {"orderId": oid(record), "version": submitted["order"]["version"]}}
    )
    payload = data["completeHandover"]
    assert payload["__typename"] == "RuleViolationError"
    assert [(r["code"], r["subjectId"]) for r in payload["reasons"]] == [
        ("promise_open", pid(record, 0))
    ]
    assert "全车脚垫" in payload["reasons"][0]["message"]
    assert await row_counts(db) == before
    waived = await api.data(
        STATUS,
        {"i": {"id": pid(record, 0), "version": 1, "status": "WAIVED", "note": "客户不要脚垫"}},
    )
    assert waived["changePromiseStatus"]["order"]["checklistVersion"] == 2, waived
    assert (await sign(api, record, 2))["__typename"] == "SignChecklistSuccess"
    order = await api.data(ORDER, {"id": oid(record)})
    done = await api.data(
        HANDOVER,
        {
            "i": {
                "orderId": oid(record),
                "version": order["node"]["version"],
                "clientMutationId": "h-1",
            }
        },
    )
    assert done["completeHandover"]["order"]["delivery"] == {
        "completedBy": {"username": "delivery_specialist.a"},
        "finalSignature": {"checklistVersion": 2},
    }
    replay = await api.data(
        HANDOVER, {"i": {"orderId": oid(record), "version": 0, "clientMutationId": "h-1"}}
    )
    assert replay["completeHandover"]["__typename"] == "CompleteHandoverSuccess"
    # Both signed versions stay readable.
    assert [s["checklistVersion"] for s in order["node"]["signatures"]] == [2, 1]


async def test_promise_of_another_store_is_not_found(
    api: ApiClient, customer_with_order: MakeOrder
) -> None:
    record = await customer_with_order(promises=1)
    await api.login_as("sales_consultant", store="B")
    data = await api.data(
        STATUS, {"i": {"id": pid(record, 0), "version": 1, "status": "FULFILLED"}}
    )
    assert data["changePromiseStatus"] == {"__typename": "NotFoundError", "path": "input.id"}
    assert (await api.data(ORDER, {"id": oid(record)}))["node"] is None


async def test_fulfilled_promise_cannot_go_back_to_pending(
    api: ApiClient, customer_with_order: MakeOrder
) -> None:
    record = await customer_with_order(promises=1)
    await api.login_as("sales_consultant")
    await api.data(STATUS, {"i": {"id": pid(record, 0), "version": 1, "status": "FULFILLED"}})
    data = await api.data(STATUS, {"i": {"id": pid(record, 0), "version": 2, "status": "PENDING"}})
    assert data["changePromiseStatus"]["reasons"] == [
        {"code": "transition_not_allowed", "subjectId": pid(record, 0)}
    ]


async def test_order_checklist_query_costs_a_bounded_number_of_statements(
    api: ApiClient, customer_with_order: MakeOrder
) -> None:
    record = await customer_with_order(promises=3)
    await api.login_as("sales_consultant")
    await sign(api, record, 1)
    query = """query($id: ID!) { customer(id: $id) {
      openPromises { description entitlementRemaining }
      orders { promises { description photoIds madeBy { username } }
               signatures { checklistVersion witness { username } } delivery { status } } } }"""
    with api.count_statements() as statements:
        data = await api.data(query, {"id": global_id("Customer", record.customer.id)})
    assert len(data["customer"]["openPromises"]) == 3
    assert len(statements) <= 12


async def test_rates_are_reported_per_store_and_period(
    api: ApiClient, customer_with_order: MakeOrder, clock: ManualClock
) -> None:
    record = await customer_with_order(promises=2)
    await api.login_as("store_manager")
    store = global_id("Store", record.customer.store_id)
    data = await api.data(
        """query($s: ID!) {
          promiseFulfilmentRate(storeId: $s, from: "2026-11-01", to: "2027-01-31") {
            due onTime rate }
          taskOnTimeRates(storeId: $s, from: "2026-11-01", to: "2027-01-31") {
            kind due onTime } }""",
        {"s": store},
    )
    # The floor mats (due at the planned handover) and the charger (by date): neither done.
    assert data["promiseFulfilmentRate"] == {"due": 2, "onTime": 0, "rate": 0.0}
    assert data["taskOnTimeRates"] == []
