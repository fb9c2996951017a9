"""The service advisor's minute: today's tasks, find the customer by phone ending, read the
record, check them in; the visit lands on the record's timeline."""

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import (
    api_as,
    assert_accessible,
    check_in,
    customer_named,
    customer_with_unique_phone_ending,
    entitlement_remaining,
    give_entitlement,
    sign_in,
    submitted_order_blocked_by,
)


def test_advisor_finds_customer_by_phone_ending_and_checks_in(page: Page, base_url: str) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "李")
        visits_before = len(api.visits(customer["id"]))
    package = f"三年六次免费保养 {uuid.uuid4().hex[:6]}"
    give_entitlement(base_url, customer["id"], package)

    sign_in(page, "advisor.a")
    expect(page.get_by_role("heading", name="今日任务")).to_be_visible()
    expect(page.locator(".task-card").first).to_be_visible()
    screenshot(page, "today-zh")

    page.get_by_role("navigation").get_by_role("link", name="搜索").click()
    box = page.get_by_label("姓名、手机尾号、车架号或车牌")
    expect(box).to_be_focused()
    box.fill(customer["phone"][-4:])
    box.press("Enter")
    card = page.locator(".result-card").filter(has_text=customer["name"])
    expect(card).to_have_count(1)
    expect(card).to_contain_text(f"尾号 {customer['phone'][-4:]}")
    screenshot(page, "search-zh")

    card.locator("a.card-link").click()
    expect(page.get_by_role("heading", level=1, name=customer["name"])).to_be_visible()
    expect(page.get_by_test_id("open-promises")).to_contain_text(package)
    expect(page.locator("#vehicles-title + ul")).to_contain_text(customer["vehicles"][0]["vin"])
    expect(page.locator("#visits-title")).to_be_visible()
    expect(page.get_by_test_id("timeline").locator("li").first).to_be_visible()
    expect(page.locator(f'a[href="tel:{customer["phone"]}"]')).to_be_visible()
    screenshot(page, "record-zh")

    page.get_by_role("link", name="到店登记").click()
    mileage = page.get_by_label("里程（公里）")
    expect(mileage).to_have_attribute("inputmode", "numeric")
    # The server's range check comes back next to the field it is about.
    mileage.fill("3000000")
    page.get_by_role("button", name="确认登记").click()
    expect(page.locator("#checkin-mileageKm-error")).to_have_text("超出允许范围")
    expect(mileage).to_have_attribute("aria-invalid", "true")
    screenshot(page, "checkin-error-zh")

    complaint = f"空调异响 {uuid.uuid4().hex[:6]}"
    mileage.fill("12345")
    page.get_by_label("客户描述的问题").fill(complaint)
    page.get_by_role("button", name="确认登记").click()
    expect(page.get_by_role("status").filter(has_text="已登记到店")).to_be_visible()
    expect(page.get_by_test_id("open-promises")).to_contain_text(package)
    expect(page.get_by_test_id("open-promises")).to_contain_text("剩余 6/6 次")
    screenshot(page, "checkin-done-zh")

    use = page.get_by_role("button", name=f"本次到店使用 1 次：{package}")
    expect(use).to_be_visible()
    screenshot(page, "checkin-entitlement-zh")
    assert_accessible(page, "checkin-entitlement-zh")
    use.click()
    expect(page.get_by_role("status").filter(has_text="本次使用")).to_have_text(
        f"已记录 {customer['name']} 本次使用"
    )
    expect(page.get_by_test_id("open-promises")).to_contain_text("剩余 5/6 次")
    expect(use).to_have_count(0)
    screenshot(page, "checkin-entitlement-used-zh")
    with api_as(base_url, "advisor.a") as api:
        assert entitlement_remaining(api, customer["id"], package) == 5

    page.get_by_role("link", name="回到客户档案").click()
    events = page.get_by_test_id("timeline").locator("li")
    newest, check_in = events.nth(0), events.nth(1)
    expect(newest).to_contain_text("使用权益")
    expect(newest).to_contain_text(f"{package}：已用 1/6")
    expect(check_in).to_contain_text("到店登记")
    expect(check_in).to_contain_text(complaint)
    expect(page.get_by_test_id("visits")).to_contain_text("12,345 公里")
    page.locator("#timeline-title").scroll_into_view_if_needed()
    screenshot(page, "record-timeline-zh")
    with api_as(base_url, "advisor.a") as api:
        assert len(api.visits(customer["id"])) == visits_before + 1


def test_today_completes_a_task_with_an_outcome(page: Page) -> None:
    sign_in(page, "advisor.a")
    first = page.locator(".task-card").first
    title = first.locator(".card-title").inner_text()
    count = page.locator(".task-card").count()
    first.get_by_role("button", name=re.compile(f"^完成.*{title}$")).click()
    first.get_by_label("结果").fill("已联系客户，周六到店")
    first.get_by_role("button", name="确认完成").click()
    # Which customer's task it was: five welcome calls read alike.
    done = re.compile(rf"已完成：\S[^·]* · {re.escape(title)}")
    expect(page.get_by_role("status").filter(has_text=done)).to_be_visible()
    expect(page.locator(".task-card")).to_have_count(count - 1)


def test_search_says_what_to_type_and_when_nothing_matches(page: Page) -> None:
    sign_in(page, "advisor.a")
    page.goto("/search")
    box = page.get_by_label("姓名、手机尾号、车架号或车牌")
    box.press("Enter")
    expect(page.locator("#search-error")).to_have_text("请输入要搜索的内容")
    box.fill("12")
    box.press("Enter")
    expect(page.locator("#search-error")).to_have_text("手机尾号请至少输入 4 位数字")
    box.fill("不存在的客户")
    box.press("Enter")
    expect(page.locator(".empty")).to_contain_text("没有找到")
    box.fill("张")
    box.press("Enter")
    shown = page.locator(".result-card").count()
    if page.get_by_role("button", name="加载更多").count():
        page.get_by_role("button", name="加载更多").click()
        expect(page.locator(".result-card")).not_to_have_count(shown)


PLACEHOLDER_ROOM_JS = """
box => {
  const shown = getComputedStyle(box, '::placeholder');
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = `${shown.fontWeight} ${shown.fontSize} ${shown.fontFamily}`;
  const style = getComputedStyle(box);
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return { text: pen.measureText(box.placeholder).width, room };
}
"""


def test_the_search_placeholder_shows_an_example_of_each_thing_to_search_by(
    browser: Browser, base_url: str
) -> None:
    """Name, phone ending, VIN ending and plate, each readable in the box at phone widths."""
    for language in ("zh-CN", "en"):
        context = new_phone_context(browser, base_url, locale=language)
        try:
            page = context.new_page()
            sign_in(page, "advisor.a", language)
            page.goto("/search")
            box = page.locator("#search-input")
            examples = (box.get_attribute("placeholder") or "").split(" / ")
            assert len(examples) == 4, examples
            name, phone, vin, plate = examples
            assert name and not name.isdigit(), name
            assert phone.isdigit() and len(phone) == 4, phone
            assert len(vin) == 6 and vin.isalnum(), vin
            assert plate.startswith("沪"), plate
            for width, height in ((360, 640), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                fit = box.evaluate(PLACEHOLDER_ROOM_JS)
                assert fit["text"] <= fit["room"], f"{language} {width}: placeholder cut off {fit}"
                screenshot(page, f"search-placeholder-{language}-{width}")
        finally:
            context.close()


def test_desk_screens_in_english(browser: Browser, base_url: str) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "王")
    package = f"3 years, 6 free services {uuid.uuid4().hex[:6]}"
    give_entitlement(base_url, customer["id"], package)
    context = new_phone_context(browser, base_url, locale="en")
    try:
        page = context.new_page()
        sign_in(page, "advisor.a", "en")
        expect(page.get_by_role("heading", name="Today's tasks")).to_be_visible()
        expect(page.locator(".task-card").first).to_contain_text("Welcome call")
        screenshot(page, "today-en")
        page.goto(f"/search?q={customer['phone'][-4:]}")
        expect(page.locator(".result-card")).to_have_count(1)
        screenshot(page, "search-en")
        page.goto(f"/customers/{customer['id']}")
        expect(page.get_by_role("heading", level=1, name=customer["name"])).to_be_visible()
        expect(page.get_by_test_id("timeline")).to_contain_text("Customer created")
        screenshot(page, "record-en")
        page.locator("#timeline-title").scroll_into_view_if_needed()
        screenshot(page, "record-timeline-en")
        page.goto(f"/customers/{customer['id']}/check-in")
        expect(page.get_by_label("Mileage (km)")).to_be_visible()
        screenshot(page, "checkin-en")
        page.get_by_label("Mileage (km)").fill("8800")
        page.get_by_role("button", name="Check in").click()
        page.get_by_role("button", name=f"Use 1 at this visit: {package}").click()
        expect(page.get_by_role("status").filter(has_text="Use recorded")).to_have_text(
            f"Use recorded for {customer['name']}'s visit"
        )
        expect(page.get_by_test_id("open-promises")).to_contain_text("5 of 6 left")
        screenshot(page, "checkin-entitlement-used-en")
        assert_accessible(page, "checkin-entitlement-used-en")
    finally:
        context.close()


def test_delivery_specialists_record_leads_with_the_next_handover(
    browser: Browser, base_url: str
) -> None:
    # An order of its own: the demo's orders are handed over by other tests.
    customer_id, _ = submitted_order_blocked_by(base_url, f"随车礼包 {uuid.uuid4().hex[:6]}")
    context = new_phone_context(browser, base_url)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 360, "height": 640})
        sign_in(page, "delivery.a")
        page.goto(f"/customers/{customer_id}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # The first action after the back button is the handover of the order due next.
        actions = page.locator("article.record a.button, article.record button:not(.back-button)")
        expect(actions.first).to_have_text("进入交车模式")
        expect(actions.first).to_have_attribute("href", re.compile(r"/orders/.+/handover$"))
        expect(actions.nth(1)).to_have_text("承诺清单")
        box = actions.first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 640, box
        screenshot(page, "record-delivery-360-zh")
        assert_accessible(page, "record-delivery-360-zh")
    finally:
        context.close()


def test_record_offers_an_entitlement_use_at_a_visit_checked_in_elsewhere(
    page: Page, base_url: str
) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "陈")
    package = f"三年六次免费保养 {uuid.uuid4().hex[:6]}"
    give_entitlement(base_url, customer["id"], package)
    complaint = f"保养 {uuid.uuid4().hex[:6]}"
    # Checked in offline on another phone, synced since: the record is where the use is taken.
    check_in(base_url, customer["id"], complaint)
    sign_in(page, "advisor.a")
    page.goto(f"/customers/{customer['id']}")
    visit = page.get_by_test_id("main-action")
    expect(visit.get_by_role("heading", name=re.compile("进行中的到店"))).to_be_visible()
    expect(visit).to_contain_text(complaint)
    use = visit.get_by_role("button", name=f"本次到店使用 1 次：{package}")
    screenshot(page, "record-open-visit-zh")
    assert_accessible(page, "record-open-visit-zh")
    use.click()
    used = f"已记录 {customer['name']} 本次使用"
    expect(page.get_by_role("status").filter(has_text=used)).to_be_visible()
    with api_as(base_url, "advisor.a") as api:
        assert entitlement_remaining(api, customer["id"], package) == 5
    # The visit's uses come with the record: a second use at this visit is not offered.
    page.reload()
    expect(page.get_by_test_id("main-action")).to_contain_text(complaint)
    expect(page.get_by_role("button", name=f"本次到店使用 1 次：{package}")).to_have_count(0)
    expect(page.get_by_test_id("visit-entitlements")).to_contain_text(used)
    expect(page.get_by_test_id("open-promises")).to_contain_text("剩余 5/6 次")


def test_delivery_specialist_opening_check_in_is_told_why_and_led_back(
    page: Page, base_url: str
) -> None:
    with api_as(base_url, "delivery.a") as api:
        customer = customer_named(api, "孙立新")
    sign_in(page, "delivery.a")
    page.goto(f"/customers/{customer['id']}/check-in")
    expect(page.get_by_role("heading", level=1, name="到店登记")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("只有服务顾问和店长可以登记到店")
    screenshot(page, "checkin-not-allowed-zh")
    assert_accessible(page, "checkin-not-allowed-zh")
    page.get_by_role("link", name="回到客户档案").click()
    expect(page.get_by_role("heading", level=1, name="孙立新")).to_be_visible()
