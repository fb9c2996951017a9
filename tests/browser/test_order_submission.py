"""Submitting an order (提交订单) from its checklist: the main action once the customer has signed
the list; the server is the gate, and when it refuses, each of its reasons is shown in the
user's language. (Submitting a signed order: test_handover.py, on the way to the handover.)"""

from playwright.sync_api import Browser, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import (
    api_as,
    assert_accessible,
    at_handover,
    draft_order,
    order_state,
    sign_in,
)

REFUSALS = {
    "zh-CN": ("提交订单", "订单未能提交", "订单还没有计划交车日期", "客户尚未对清单的当前版本签字"),
    "en": (
        "Submit order",
        "The order was not submitted",
        "The order has no planned delivery date",
        "The customer has not signed the current version of the list",
    ),
}


def test_submit_of_an_unsigned_list_is_refused_naming_each_reason(
    browser: Browser, base_url: str
) -> None:
    """The customer has not signed and the order has no delivery date: the server refuses for
    both, and the phone says both."""
    for language, (button, title, no_date, unsigned) in REFUSALS.items():
        with api_as(base_url, "sales.a") as sales:
            customer, order = draft_order(sales, [at_handover("贴膜")], delivery_in_days=None)
        context = new_phone_context(browser, base_url, locale=language)
        try:
            page = context.new_page()
            sign_in(page, "sales.a", language)
            page.goto(f"/customers/{customer['id']}/orders/{order}/checklist")
            expect(page.get_by_test_id("submit-needs-signature")).to_be_visible()
            page.get_by_role("button", name=button).click()
            refusal = page.get_by_test_id("submit-refusal")
            expect(refusal).to_contain_text(title)
            expect(refusal.locator("li")).to_have_text([no_date, unsigned])
            assert order_state(base_url, order)["status"] == "DRAFT"
            for size in ({"width": 360, "height": 640}, {"width": 390, "height": 844}):
                page.set_viewport_size(size)
                refusal.scroll_into_view_if_needed()
                screenshot(page, f"checklist-submit-refused-{language}-{size['width']}")
            assert_accessible(page, f"checklist-submit-refused-{language}")
        finally:
            context.close()
