"""The promise checklist (承诺清单) to the handover (交车) on a phone: the customer signs with a
finger, the handover is refused naming the open promise, the customer signs its deferral, the
car is handed over. Every screen is checked with axe-core and photographed in zh-CN and English."""

from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, new_phone_context, screenshot
from tests.browser.steps import (
    MATS,
    assert_accessible,
    demo_order,
    draw_signature,
    order_state,
    sign_in,
    submitted_order_blocked_by,
    text_lines,
)


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
    # The customer reads what they sign, every promise, not a count behind a fold.
    content = page.get_by_test_id("sign-content")
    promises = order_state(base_url, unsigned_order)["promises"]
    assert len(promises) == 3
    for promise in promises:
        expect(content).to_contain_text(promise["description"])
    expect(content.locator("li")).to_have_count(3)
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
    expect(submit).to_be_in_viewport(ratio=1)
    expect(content).to_be_in_viewport(ratio=1)
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

    # Signed, the order can be submitted from its checklist, to the store's delivery specialist.
    expect(page.get_by_label("交付专员")).to_contain_text("李交付")
    assert_accessible(page, "checklist-submit-zh")
    page.get_by_role("button", name="提交订单").click()
    expect(page.get_by_role("status").filter(has_text="订单已提交")).to_be_visible()
    expect(page.get_by_role("button", name="提交订单")).to_have_count(0)
    assert order_state(base_url, unsigned_order)["status"] == "SUBMITTED"

    # Delivery, on their own phone: handover mode on the order blocked by the floor mats.
    page = delivery_page
    sign_in(page, "delivery.a")
    page.goto(f"/customers/{blocked_customer}")
    page.get_by_role("link", name="进入交车模式").click()
    expect(page.get_by_test_id("handover-gate-line")).to_contain_text("还不能交车：1 项待处理")
    expect(page.locator(".big-card .promise-title")).to_have_text(MATS)
    assert_accessible(page, "handover-zh")
    screenshot(page, "handover-zh")

    # The server names the mats as open, so completing is not offered; the bar says why.
    page.get_by_test_id("handover-gate-line").click()
    banner = page.get_by_test_id("handover-blockers")
    expect(banner).to_contain_text("还不能交车")
    expect(banner).to_contain_text(MATS)
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
    expect(page.locator(".step-dot").first).to_have_attribute("data-state", "deferred")
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
        content = page.get_by_test_id("sign-content")
        expect(content).to_contain_text(MATS)
        expect(content.locator("li s")).to_have_text("3年内6次免费保养")  # waived, struck through
        for size in ({"width": 360, "height": 640}, {"width": 390, "height": 844}):
            page.set_viewport_size(size)
            assert hint_fits_the_pad(page), "the pad's hint touches or crosses its border"
            confirm = page.get_by_role("button", name="Confirm", exact=True)
            expect(confirm).to_be_in_viewport(ratio=1)
            assert text_lines(confirm) == 1, f"Confirm wraps at {size['width']} px"
            assert (confirm.bounding_box() or {"height": 0})["height"] >= 44
            screenshot(page, f"signature-en-{size['width']}")
        draw_signature(page)
        assert_accessible(page, "signature-en")
        screenshot(page, "signature-en")
        page.get_by_role("button", name="Confirm", exact=True).click()
        expect(page.get_by_test_id("version-line")).to_contain_text("signed by 钱晓红")
        assert order_state(base_url, order)["currentSignature"]["checklistVersion"] == 2

        page.get_by_role("link", name="Handover mode").click()
        gate = page.get_by_test_id("handover-gate-line")
        expect(gate).to_contain_text("Handover blocked: 1 to resolve")
        assert_accessible(page, "handover-en")
        screenshot(page, "handover-en")
        gate.click()
        expect(page.get_by_test_id("handover-blockers")).to_contain_text(MATS)
        expect(page.get_by_test_id("handover-summary")).to_contain_text("Waived")
        assert_accessible(page, "handover-finish-en")
        screenshot(page, "handover-finish-en")
    finally:
        context.close()


HINT_FITS_JS = """
() => {
  const hint = document.querySelector('.pad-placeholder');
  const frame = document.querySelector('.pad-frame').getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(hint);
  const text = range.getBoundingClientRect();
  return text.left >= frame.left + 12 && text.right <= frame.right - 12
    && text.top >= frame.top + 12 && text.bottom <= frame.bottom - 12
    && range.getClientRects().length === 1;
}
"""


def hint_fits_the_pad(page: Page) -> bool:
    """The pad's hint is on one line, clear of the pad's border on every side."""
    fits: bool = page.evaluate(HINT_FITS_JS)
    return fits


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
        gate = page.get_by_test_id("handover-gate-line")
        expect(gate).to_contain_text("1 项待处理")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")

        context.set_offline(True)
        page.get_by_role("button", name="已兑现", exact=True).click()
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status").filter(has_text="已存在手机上")).to_be_visible()
        # No app chrome in handover mode, but being offline is still said, inside it.
        expect(page.locator(".handover-mode .banner-offline")).to_be_in_viewport()
        stale = page.get_by_test_id("handover-stale")
        expect(stale).to_contain_text("1 项此订单的修改未同步")
        expect(gate).to_contain_text("1 项待处理")
        page.get_by_role("link", name="完成交车").click()
        banner = page.get_by_test_id("handover-blockers")
        expect(banner).to_contain_text(gift)
        expect(stale).to_be_visible()
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
