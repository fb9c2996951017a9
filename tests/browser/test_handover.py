"""The promise checklist (承诺清单) to the handover (交车) on a phone: the customer signs with a
finger, the handover is refused naming the open promise, the customer signs its deferral, the
car is handed over. Every screen is checked with axe-core and photographed in zh-CN and English."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, new_phone_context, screenshot
from tests.browser.steps import (
    Api,
    api_as,
    assert_accessible,
    customer_with_unique_phone_ending,
    sign_in,
)

MATS = "全车脚垫与后备箱垫"

ORDERS_QUERY = """
query ($search: String!) {
  customers(search: $search, first: 5) {
    edges { node { id name orders { id status checklistVersion } } }
  }
}
"""

ORDER_QUERY = """
query ($id: ID!) {
  node(id: $id) {
    ... on Order {
      status checklistVersion
      currentSignature { checklistVersion signerName pointCount }
      promises { description status deferredTo }
      delivery { status customerIssues }
    }
  }
}
"""


def demo_order(base_url: str, customer_name: str) -> tuple[str, str]:
    """The seeded customer of store A and their one order (seed_orders.py)."""
    with api_as(base_url, "sales.a") as call:
        edges = call(ORDERS_QUERY, search=customer_name)["customers"]["edges"]
    nodes = [e["node"] for e in edges if e["node"]["name"] == customer_name]
    assert len(nodes) == 1, edges
    return nodes[0]["id"], nodes[0]["orders"][0]["id"]


ORDER_VERSION_QUERY = """
query ($id: ID!) { node(id: $id) { ... on Order { version checklistVersion } } }
"""

STROKES = "[[[12,40,0],[30,22,40],[52,44,80],[70,20,120]],[[80,30,300],[96,34,340]]]"


def succeeded(api: Api, field: str, selection: str = "", **input: Any) -> dict[str, Any]:
    """Runs mutation `field` with `input` and insists on its success member."""
    input_type = f"{field[0].upper()}{field[1:]}Input"
    mutation = f"mutation ($input: {input_type}!) {{ {field}(input: $input) {{ __typename "
    payload: dict[str, Any] = api(f"{mutation}{selection} }} }}", input=input)[field]
    assert payload["__typename"].endswith("Success"), payload
    return payload


def submitted_order_blocked_by(base_url: str, description: str) -> tuple[str, str]:
    """A new order of store A, signed and submitted, whose one promise is due at handover."""
    with api_as(base_url, "delivery.a") as delivery:
        delivery_id = delivery("query { me { id } }")["me"]["id"]
    with api_as(base_url, "sales.a") as sales:
        customer = customer_with_unique_phone_ending(sales, "周")
        created = succeeded(
            sales,
            "createOrder",
            "... on OrderSuccess { order { id } }",
            customerId=customer["id"],
            modelName="Model 3 后轮驱动",
            plannedDeliveryDate=(date.today() + timedelta(days=3)).isoformat(),
        )
        order_id = created["order"]["id"]
        terms = {"category": "GIFT_ACCESSORY", "description": description, "due": "AT_HANDOVER"}
        succeeded(sales, "addPromise", orderId=order_id, terms=terms)
        versions = sales(ORDER_VERSION_QUERY, id=order_id)["node"]
        succeeded(
            sales,
            "signChecklist",
            orderId=order_id,
            checklistVersion=versions["checklistVersion"],
            signerName=customer["name"],
            strokes=STROKES,
        )
        versions = sales(ORDER_VERSION_QUERY, id=order_id)["node"]
        succeeded(
            sales,
            "submitOrder",
            orderId=order_id,
            version=versions["version"],
            deliverySpecialistId=delivery_id,
        )
    return customer["id"], order_id


def order_state(base_url: str, order_id: str) -> dict[str, Any]:
    with api_as(base_url, "manager.a") as call:
        node: dict[str, Any] = call(ORDER_QUERY, id=order_id)["node"]
        return node


def draw_signature(page: Page) -> None:
    """Two strokes with a finger-like mouse drag across the pad."""
    pad = page.get_by_test_id("signature-pad")
    expect(pad).to_be_visible()
    box = pad.bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.15, y + h * 0.6)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(x + w * (0.15 + i * 0.02), y + h * (0.6 - 0.25 * ((i % 4) / 3)), steps=2)
    page.mouse.up()
    page.mouse.move(x + w * 0.6, y + h * 0.35)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + w * (0.6 + i * 0.025), y + h * (0.35 + i * 0.03), steps=2)
    page.mouse.up()


def test_sign_then_handover_refused_deferred_signed_completed(
    browser: Browser, base_url: str
) -> None:
    unsigned_customer, unsigned_order = demo_order(base_url, "赵一鸣")
    blocked_customer, blocked_order = demo_order(base_url, "孙立新")
    with (
        new_phone_context(browser, base_url) as sales_phone,
        new_phone_context(browser, base_url) as delivery_phone,
    ):
        sign_and_hand_over(
            sales_phone.new_page(),
            delivery_phone.new_page(),
            (unsigned_customer, unsigned_order),
            (blocked_customer, blocked_order),
            base_url,
        )


def sign_and_hand_over(
    page: Page,
    delivery_page: Page,
    unsigned: tuple[str, str],
    blocked: tuple[str, str],
    base_url: str,
) -> None:
    (unsigned_customer, unsigned_order), (blocked_customer, blocked_order) = unsigned, blocked

    # Sales: the customer signs the checklist on the phone.
    sign_in(page, "sales.a")
    page.goto(f"/customers/{unsigned_customer}")
    page.get_by_role("link", name="承诺清单").first.click()
    expect(page.get_by_role("heading", level=1, name="承诺清单")).to_be_visible()
    expect(page.get_by_test_id("version-line")).to_contain_text("第 1 版")
    expect(page.get_by_test_id("version-line")).to_contain_text("客户尚未签字")
    expect(page.get_by_test_id("checklist")).to_contain_text(MATS)
    expect(page.get_by_test_id("checklist")).to_contain_text("剩余 6 次")
    assert_accessible(page, "checklist-zh")
    screenshot(page, "checklist-zh")

    page.get_by_role("link", name="请客户签字（第 1 版）").click()
    expect(page.get_by_test_id("sign-version")).to_contain_text("第 1 版")
    expect(page.get_by_label("签字人姓名")).to_have_value("赵一鸣")
    submit = page.get_by_role("button", name="确认签字")
    expect(submit).to_be_disabled()
    draw_signature(page)
    # Undo takes back the last stroke only.
    page.get_by_role("button", name="撤销").click()
    expect(submit).to_be_enabled()
    draw_signature(page)
    assert_accessible(page, "signature-zh")
    screenshot(page, "signature-zh")
    page.set_viewport_size({"width": 360, "height": 640})
    expect(submit).to_be_in_viewport()
    screenshot(page, "signature-360-zh")
    page.set_viewport_size({"width": 390, "height": 844})
    submit.click()
    expect(page.get_by_test_id("version-line")).to_contain_text("赵一鸣")
    expect(page.get_by_test_id("version-line")).to_contain_text("签字")
    state = order_state(base_url, unsigned_order)
    assert state["currentSignature"]["checklistVersion"] == 1
    assert state["currentSignature"]["pointCount"] > 10
    page.get_by_text("第 1 版 · 赵一鸣").click()
    expect(page.locator(".signed-version svg")).to_be_visible()
    screenshot(page, "checklist-signed-zh")

    # Delivery, on their own phone: handover mode on the order blocked by the floor mats.
    page = delivery_page
    sign_in(page, "delivery.a")
    page.goto(f"/customers/{blocked_customer}")
    page.get_by_role("link", name="进入交车模式").click()
    banner = page.get_by_test_id("handover-blockers")
    expect(banner).to_contain_text("还不能交车")
    expect(banner).to_contain_text(MATS)
    assert_accessible(page, "handover-zh")
    screenshot(page, "handover-zh")

    # The server names the mats as open, so completing is not offered; the card says why.
    page.get_by_role("link", name="完成交车").click()
    page.get_by_label("客户在交车时提出的问题").fill("想了解自动泊车")
    expect(page.get_by_role("button", name="完成交车")).to_be_disabled()
    expect(page.get_by_text("请先处理页面顶部列出的事项")).to_be_visible()
    expect(banner).to_contain_text("还不能交车")
    expect(banner).to_contain_text(MATS)
    assert order_state(base_url, blocked_order)["status"] == "SUBMITTED"
    screenshot(page, "handover-blocked-finish-zh")

    # The customer agrees to receive the mats later: deferral, then their signature on v2.
    banner.get_by_role("button", name=MATS, exact=False).click()
    expect(page.locator(".big-card .promise-title")).to_have_text(MATS)
    page.get_by_role("button", name="延期").click()
    new_date = (date.today() + timedelta(days=14)).isoformat()
    page.get_by_label("新的兑现日期").fill(new_date)
    page.get_by_label("原因（可选）").fill("脚垫缺货，两周后到店领取")
    assert_accessible(page, "handover-defer-zh")
    screenshot(page, "handover-defer-zh")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="清单已变更")).to_be_visible()
    expect(banner).to_contain_text("第 2 版")
    page.get_by_role("link", name="请客户签字（第 2 版）").first.click()
    expect(page.get_by_test_id("sign-version")).to_contain_text("第 2 版")
    draw_signature(page)
    page.get_by_role("button", name="确认签字").click()

    expect(page.get_by_text("所有交车时承诺已处理")).to_be_visible()
    page.get_by_label("客户在交车时提出的问题").fill("想了解自动泊车")
    page.get_by_role("button", name="完成交车").click()
    expect(page.get_by_role("heading", level=1, name="交车完成")).to_be_visible()
    assert_accessible(page, "handover-done-zh")
    screenshot(page, "handover-done-zh")
    state = order_state(base_url, blocked_order)
    assert state["status"] == "DELIVERED"
    assert state["currentSignature"]["checklistVersion"] == 2
    assert state["delivery"]["customerIssues"] == "想了解自动泊车"
    mats = next(p for p in state["promises"] if p["description"] == MATS)
    assert (mats["status"], mats["deferredTo"]) == ("DEFERRED", new_date)


def test_screens_in_english(browser: Browser, base_url: str) -> None:
    """The same screens in English: the customer waives an entitlement and signs version 2."""
    customer, order = demo_order(base_url, "钱晓红")
    context = new_phone_context(browser, base_url, locale="en")
    try:
        page = context.new_page()
        sign_in(page, "delivery.a", "en")
        page.goto(f"/customers/{customer}")
        page.get_by_role("link", name="Promise checklist").first.click()
        expect(page.get_by_role("heading", level=1, name="Promise checklist")).to_be_visible()
        card = page.locator(".promise-card").filter(has_text="6 uses")
        card.get_by_role("button", name="Update status").click()
        card.get_by_role("button", name="Waive").click()
        card.get_by_label("Reason (optional)").fill("Prefers the dealer's paid plan")
        assert_accessible(page, "checklist-mark-en")
        screenshot(page, "checklist-mark-en")
        card.get_by_role("button", name="Save").click()
        expect(page.get_by_test_id("version-line")).to_contain_text("Version 2")
        expect(page.get_by_test_id("version-line")).to_contain_text("not signed")
        assert_accessible(page, "checklist-en")
        screenshot(page, "checklist-en")

        page.get_by_role("link", name="Customer signs version 2").click()
        expect(page.get_by_test_id("sign-version")).to_contain_text("version 2")
        draw_signature(page)
        assert_accessible(page, "signature-en")
        screenshot(page, "signature-en")
        page.get_by_role("button", name="Confirm signature").click()
        expect(page.get_by_test_id("version-line")).to_contain_text("signed by 钱晓红")
        assert order_state(base_url, order)["currentSignature"]["checklistVersion"] == 2

        page.get_by_role("link", name="Handover mode").click()
        expect(page.get_by_test_id("handover-blockers")).to_contain_text(MATS)
        assert_accessible(page, "handover-en")
        screenshot(page, "handover-en")
    finally:
        context.close()


def test_photo_evidence_marks_a_promise_fulfilled(browser: Browser, base_url: str) -> None:
    """A photo taken with the camera input is uploaded and shown on the promise."""
    customer, order = demo_order(base_url, "钱晓红")
    context = new_phone_context(browser, base_url)
    try:
        page = context.new_page()
        sign_in(page, "delivery.a")
        page.goto(f"/customers/{customer}/orders/{order}/checklist")
        card = page.locator(".promise-card").filter(has_text=MATS)
        card.get_by_role("button", name="更新状态").click()
        card.get_by_role("button", name="已兑现").click()
        photo = Path(ROOT / "frontend" / "public" / "icons" / "icon-192.png")
        card.locator("input[type=file]").set_input_files(str(photo))
        expect(card.get_by_role("img", name="凭证照片 1")).to_be_visible()
        card.get_by_label("凭证说明（可选）").fill("已装好，客户确认")
        card.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status").filter(has_text="已保存")).to_be_visible()
        done = page.locator(".promise-card").filter(has_text=MATS)
        expect(done.locator(".status-badge")).to_have_text("已兑现")
        expect(done.get_by_role("img", name="凭证照片 1")).to_be_visible()
        expect(done).to_contain_text("已装好，客户确认")
        assert_accessible(page, "checklist-photo-zh")
        screenshot(page, "checklist-photo-zh")
        # Progress keeps the signature valid: the list version did not move.
        state = order_state(base_url, order)
        assert state["currentSignature"]["checklistVersion"] == state["checklistVersion"]
    finally:
        context.close()


def test_a_change_made_offline_leaves_the_gate_to_the_server(
    browser: Browser, base_url: str
) -> None:
    """Offline, a promise marked fulfilled waits on the phone: the banner keeps the server's
    last answer and says it predates the change, and completing waits for the server to have it."""
    gift = "交车礼包：行车记录仪"
    customer, order = submitted_order_blocked_by(base_url, gift)
    context = new_phone_context(browser, base_url)
    try:
        page = context.new_page()
        sign_in(page, "delivery.a")
        page.goto(f"/customers/{customer}/orders/{order}/handover")
        banner = page.get_by_test_id("handover-blockers")
        expect(banner).to_contain_text(gift)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")

        context.set_offline(True)
        page.get_by_role("button", name="已兑现", exact=True).click()
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status").filter(has_text="已存在手机上")).to_be_visible()
        stale = page.get_by_test_id("handover-stale")
        expect(stale).to_contain_text("1 项此订单的修改未同步")
        expect(banner).to_contain_text(gift)
        page.get_by_role("link", name="完成交车").click()
        expect(page.get_by_role("button", name="完成交车")).to_be_disabled()
        assert_accessible(page, "handover-stale-zh")
        screenshot(page, "handover-stale-zh")

        context.set_offline(False)
        expect(stale).to_have_count(0)
        expect(banner).to_have_count(0)
        expect(page.get_by_text("所有交车时承诺已处理")).to_be_visible()
        expect(page.get_by_role("button", name="完成交车")).to_be_enabled()
        (promise,) = order_state(base_url, order)["promises"]
        assert promise["status"] == "FULFILLED"
    finally:
        context.close()
