"""Handover mode (交车) with the customer beside the phone: the whole screen, no app chrome;
the promise's actions and the step's moves in thumb reach at 360x640, each move's words on one
line; each promise's state read at a glance, by colour and by glyph, a pending one never green,
and said once: the step and the promise's badge agree."""

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import (
    assert_accessible,
    sign_in,
    submitted_order_blocked_by,
    text_lines,
)

SIZES = ({"width": 360, "height": 640}, {"width": 390, "height": 844})
WORDS = {
    "zh-CN": {
        "fulfil": "已兑现",
        "defer": "延期",
        "next": "下一项",
        "to_finish": "去完成",
        "complete": "完成交车",
        "exit": "退出交车",
        "save": "保存",
        "back": "上一项",
        "later": "日后兑现",
    },
    "en": {
        "fulfil": "Fulfilled",
        "defer": "Defer",
        "next": "Next",
        "to_finish": "To finish",
        "complete": "Complete handover",
        "exit": "Exit",
        "save": "Save",
        "back": "Back",
        "later": "Due later",
    },
}
GIFT = "交车礼包：行车记录仪"
CHARGER = "家用充电桩上门安装（小区物业审批后）"

NO_HORIZONTAL_SCROLL_JS = "document.documentElement.scrollWidth <= window.innerWidth"


def assert_one_line_in_thumb_reach(button: Locator, name: str) -> None:
    """The move's words on one line of its button, the button no smaller than a thumb."""
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44, (name, box)
    assert text_lines(button) == 1, f"{name}: its words wrap"


def assert_without_app_chrome(page: Page) -> None:
    expect(page.locator("header.app-header")).to_have_count(0)
    expect(page.locator("nav.nav-bar")).to_have_count(0)
    assert page.evaluate(NO_HORIZONTAL_SCROLL_JS)


def test_every_step_fits_the_phone_with_its_moves_at_the_bottom_and_no_app_chrome(
    browser: Browser, base_url: str
) -> None:
    customer, order = submitted_order_blocked_by(base_url, GIFT, CHARGER)
    handover = f"/customers/{customer}/orders/{order}/handover"
    for language, words in WORDS.items():
        context = new_phone_context(browser, base_url, locale=language)
        try:
            page = context.new_page()
            sign_in(page, "delivery.a", language)
            for size in SIZES:
                page.set_viewport_size(size)
                tag = f"{language}-{size['width']}"
                page.goto(f"{handover}?step=0")
                expect(page.locator(".big-card .promise-title")).to_have_text(GIFT)
                assert_without_app_chrome(page)
                for name in (words["fulfil"], words["defer"], words["next"]):
                    button = page.get_by_role("button", name=name, exact=True)
                    expect(button).to_be_in_viewport(ratio=1)
                expect(page.get_by_role("link", name=words["exit"])).to_be_in_viewport(ratio=1)
                assert_accessible(page, f"handover-mode-0-{tag}")
                screenshot(page, f"handover-mode-0-{tag}")

                page.get_by_role("button", name=words["next"], exact=True).click()
                expect(page.locator(".big-card .promise-title")).to_have_text(CHARGER)
                expect(page.get_by_role("button", name=words["to_finish"])).to_be_in_viewport(
                    ratio=1
                )
                # Due a month after the handover: the step and the promise's badge both say so.
                expect(page.locator(".step-count")).to_contain_text(words["later"])
                badge = page.locator(".big-card .promise-head [data-state]")
                expect(badge).to_have_attribute("data-state", "later")
                expect(badge).to_have_text(f"○ {words['later']}")
                expect(page.locator(".big-card .status-badge")).to_have_count(0)
                screenshot(page, f"handover-mode-1-{tag}")

                page.get_by_role("button", name=words["to_finish"]).click()
                complete = page.get_by_role("button", name=words["complete"])
                expect(complete).to_be_in_viewport(ratio=1)
                expect(complete).to_be_disabled()
                assert_one_line_in_thumb_reach(complete, f"{words['complete']} {tag}")
                back = page.get_by_role("button", name=words["back"])
                assert_one_line_in_thumb_reach(back, f"{words['back']} {tag}")
                expect(page.locator("#complete-blocked")).to_be_in_viewport(ratio=1)
                assert_without_app_chrome(page)
                assert_accessible(page, f"handover-mode-finish-{tag}")
                screenshot(page, f"handover-mode-finish-{tag}")

            # Without the order to show (here: none such), the way out is still on screen.
            page.goto(f"/customers/{customer}/orders/T3JkZXI6OTk5OTk5/handover")
            expect(page.get_by_role("link", name=words["exit"])).to_be_in_viewport(ratio=1)
            assert_without_app_chrome(page)
            page.goto(handover)

            # Leaving handover mode brings the app back.
            page.get_by_role("link", name=words["exit"]).click()
            page.wait_for_url("**/checklist")
            expect(page.locator("nav.nav-bar")).to_be_visible()
            expect(page.locator("header.app-header")).to_be_visible()
        finally:
            context.close()


def colours(dot: Locator) -> list[tuple[int, int, int]]:
    """The dot's border and background colours as RGB."""
    values: list[str] = dot.evaluate(
        "el => [getComputedStyle(el).borderTopColor, getComputedStyle(el).backgroundColor]"
    )
    rgb = []
    for value in values:
        r, g, b = (int(float(c)) for c in value[value.index("(") + 1 : -1].split(",")[:3])
        rgb.append((r, g, b))
    return rgb


def is_green(colour: tuple[int, int, int]) -> bool:
    r, g, b = colour
    return g > r and g > b


def test_a_pending_promise_never_reads_as_done(browser: Browser, base_url: str) -> None:
    customer, order = submitted_order_blocked_by(base_url, GIFT, CHARGER)
    context = new_phone_context(browser, base_url)
    try:
        page = context.new_page()
        sign_in(page, "delivery.a")
        page.goto(f"/customers/{customer}/orders/{order}/handover?step=0")
        dots = page.locator(".step-dot[data-state]")
        expect(dots).to_have_count(2)
        gift, charger = dots.all()
        expect(gift).to_have_attribute("data-state", "open")
        expect(charger).to_have_attribute("data-state", "later")
        expect(charger).to_have_accessible_name(f"第 2 项：{CHARGER}（日后兑现）")
        for dot in (gift, charger):
            assert not any(is_green(c) for c in colours(dot)), colours(dot)

        page.get_by_role("button", name="已兑现", exact=True).click()
        page.get_by_role("button", name="保存").click()
        expect(gift).to_have_attribute("data-state", "done")
        assert all(is_green(c) for c in colours(gift)), colours(gift)
        # Pending stays pending: not green, and its glyph is not the tick of done.
        expect(charger).to_have_attribute("data-state", "later")
        assert not any(is_green(c) for c in colours(charger)), colours(charger)
        expect(gift.locator(".step-glyph")).to_have_text("✓")
        expect(charger.locator(".step-glyph")).to_have_text("○")
        screenshot(page, "handover-states-zh")

        page.get_by_role("link", name="完成交车").click()
        summary = page.get_by_test_id("handover-summary")
        expect(summary.locator("[data-state=done]")).to_have_text("✓ 已兑现")
        expect(summary.locator("[data-state=later]")).to_have_text("○ 日后兑现")
        expect(page.get_by_role("button", name="完成交车")).to_be_enabled()
        screenshot(page, "handover-states-finish-zh")
    finally:
        context.close()
