"""An English user reads no Chinese the server wrote: tasks, alerts and the timeline are
rendered in the reader's language. What stays Chinese is what people typed or are called."""

import re
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import Api, api_as, customer_with_unique_phone_ending, sign_in

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
STROKES = "[[[10,10,0],[20,15,16],[30,12,33]],[[12,30,400],[28,31,420]]]"

ME = "{ me { id displayName } }"
RECORD = """query ($id: ID!) { node(id: $id) { ... on Customer {
  name vehicles { modelName } serviceVisits { complaint }
  specialCircumstances { note } deliveries { customerIssues }
  orders { modelName promises { description } }
  timeline(first: 50) { edges { node { actor { displayName } } } } } } }"""
TODAY = """{ myTasks { overdue { customer { id } } today { customer { id } }
  upcoming { customer { id } } } }"""
INBOX = "{ inbox(first: 50) { edges { node { customer { id } } } } }"


def ok(result: dict[str, Any], typename: str) -> dict[str, Any]:
    assert result["__typename"] == typename, result
    return result


def an_order_through_submission(sales: Api, customer_id: str, specialist_id: str) -> str:
    """Order, two promises typed in Chinese, the customer's signature, submission: each step
    writes server texts (tasks, alerts, timeline) for the delivery specialist to read."""
    order = ok(
        sales(
            """mutation ($input: CreateOrderInput!) { createOrder(input: $input) {
                 __typename ... on OrderSuccess { order { id } } } }""",
            input={
                "customerId": customer_id,
                "modelName": "Model Y 长续航",
                "plannedDeliveryDate": (date.today() + timedelta(days=10)).isoformat(),
            },
        )["createOrder"],
        "OrderSuccess",
    )["order"]
    for description, due in (("全车脚垫", "AT_HANDOVER"), ("行车记录仪", "AT_HANDOVER")):
        ok(
            sales(
                """mutation ($input: AddPromiseInput!) { addPromise(input: $input) {
                     __typename } }""",
                input={
                    "orderId": order["id"],
                    "terms": {"category": "GIFT_ACCESSORY", "description": description, "due": due},
                },
            )["addPromise"],
            "PromiseSuccess",
        )
    version = sales(
        "query ($id: ID!) { node(id: $id) { ... on Order { checklistVersion version } } }",
        id=order["id"],
    )["node"]
    ok(
        sales(
            """mutation ($input: SignChecklistInput!) { signChecklist(input: $input) {
                 __typename } }""",
            input={
                "orderId": order["id"],
                "checklistVersion": version["checklistVersion"],
                "signerName": "客户本人",
                "strokes": STROKES,
            },
        )["signChecklist"],
        "SignChecklistSuccess",
    )
    submitted = ok(
        sales(
            """mutation ($input: SubmitOrderInput!) { submitOrder(input: $input) {
                 __typename ... on OrderSuccess { order { version } } } }""",
            input={
                "orderId": order["id"],
                "version": version["version"],
                "deliverySpecialistId": specialist_id,
            },
        )["submitOrder"],
        "OrderSuccess",
    )
    ok(
        sales(
            """mutation ($input: RescheduleDeliveryInput!) { rescheduleDelivery(input: $input) {
                 __typename } }""",
            input={
                "orderId": order["id"],
                "version": submitted["order"]["version"],
                "newDate": (date.today() + timedelta(days=12)).isoformat(),
                "customerTold": True,
                "customerToldHow": "电话",
                "reason": "车辆到港延迟",
            },
        )["rescheduleDelivery"],
        "DeliveryDateChangeSuccess",
    )
    return str(order["id"])


MY_CASES = "{ myCases { summary held { user { displayName } } } }"


def typed_or_named(api: Api, customer_id: str) -> set[str]:
    """Every name, and every text staff typed, of the customers these screens may show."""
    shown = {customer_id}
    for bucket in api(TODAY)["myTasks"].values():
        shown |= {t["customer"]["id"] for t in bucket if t["customer"]}
    shown |= {
        e["node"]["customer"]["id"] for e in api(INBOX)["inbox"]["edges"] if e["node"]["customer"]
    }
    found = {api(ME)["me"]["displayName"], "Model Y 长续航", "客户本人", "电话", "车辆到港延迟"}
    for shown_id in shown:
        record = api(RECORD, id=shown_id)["node"]
        found.add(record["name"])
        found |= {v["modelName"] for v in record["vehicles"]}
        found |= {v["complaint"] for v in record["serviceVisits"]}
        found |= {c["note"] for c in record["specialCircumstances"]}
        found |= {d["customerIssues"] for d in record["deliveries"]}
        for order in record["orders"]:
            found.add(order["modelName"])
            found |= {p["description"] for p in order["promises"]}
        for edge in record["timeline"]["edges"]:
            if edge["node"]["actor"]:
                found.add(edge["node"]["actor"]["displayName"])
    # Case alerts name the staff a case escalated to, as named (the org chart).
    for case in api(MY_CASES)["myCases"]:
        found.add(case["summary"])
        found |= {held["user"]["displayName"] for held in case["held"]}
    return {text for text in found if text}


def staff_names(server_env: dict[str, str]) -> set[str]:
    """Every staff member's name, those who have left too: a name is data, not server text, and
    an alert about a leaver's work handed to this user names them (as test_staff.py does)."""
    path = server_env["BATON_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return {name for (name,) in db.execute("SELECT display_name FROM users") if name}


def server_chinese(text: str, allowed: set[str]) -> list[str]:
    for known in sorted(allowed, key=len, reverse=True):
        text = text.replace(known, " ")
    return CJK.findall(text)


def test_an_english_user_sees_no_chinese_server_text_in_inbox_today_and_timeline(
    browser: Browser, base_url: str, server_env: dict[str, str]
) -> None:
    with api_as(base_url, "delivery.a") as delivery:
        me = delivery(ME)["me"]
        delivery("""mutation { updateAlertPreferences(input: {language: "en"}) { __typename } }""")
    with api_as(base_url, "sales.a") as sales:
        customer = customer_with_unique_phone_ending(sales, "刘")
        an_order_through_submission(sales, customer["id"], me["id"])
    with api_as(base_url, "delivery.a") as delivery:
        allowed = typed_or_named(delivery, customer["id"]) | staff_names(server_env)

    context = new_phone_context(browser, base_url, locale="en")
    try:
        page = context.new_page()
        sign_in(page, "delivery.a", "en")
        expect(page.locator(".task-card").first).to_be_visible()
        today = page.locator("main").inner_text()
        assert "Prepare the promised items" in today or "Three-way intro" in today
        screenshot(page, "server-texts-today-en")

        page.goto("/inbox")
        expect(page.get_by_text(f"Delivery date changed: {customer['name']}")).to_be_visible()
        inbox = page.locator("main").inner_text()
        assert f"New task: Brief the delivery specialist: {customer['name']}" not in inbox
        assert f"New task: Three-way intro with the customer and sales: {customer['name']}" in inbox
        screenshot(page, "server-texts-inbox-en")

        page.goto(f"/customers/{customer['id']}")
        timeline = page.get_by_test_id("timeline")
        expect(timeline).to_contain_text("customer told (电话); reason: 车辆到港延迟")
        expect(timeline).to_contain_text("signed by 客户本人")
        page.locator("#timeline-title").scroll_into_view_if_needed()
        screenshot(page, "server-texts-timeline-en")
        record = timeline.inner_text()

        for screen, text in (("today", today), ("inbox", inbox), ("timeline", record)):
            assert server_chinese(text, allowed) == [], screen
    finally:
        context.close()
