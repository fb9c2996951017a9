"""Cases on the phone: sales raises one from the record and it lands with delivery; delivery
cannot hand it back, brings sales in and closes it with the customer's confirmation; the demo
cases raised 30 h and 50 h ago wait at levels 2 and 3 with the managers and the director."""

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import (
    api_as,
    assert_accessible,
    at_both_phone_sizes,
    customer_with_unique_phone_ending,
    sign_in,
)


def _signed_in(browser: Browser, base_url: str, username: str, language: str = "zh-CN") -> Page:
    context = new_phone_context(browser, base_url, locale=language)
    page = context.new_page()
    sign_in(page, username, language)
    return page


def test_sales_raises_a_case_at_a_delivery_touchpoint_and_delivery_keeps_and_closes_it(
    browser: Browser, base_url: str
) -> None:
    with api_as(base_url, "sales.a") as api:
        customer = customer_with_unique_phone_ending(api, "王")
    summary = f"临牌还没下来，客户周末要出城 {uuid.uuid4().hex[:4]}"

    sales = _signed_in(browser, base_url, "sales.a")
    sales.goto(f"/customers/{customer['id']}")
    expect(sales.get_by_role("heading", level=1, name=customer["name"])).to_be_visible()
    # Tap 1: the record's button; the suggested touchpoint is chosen already.
    sales.get_by_test_id("raise-case").click()
    expect(sales.get_by_role("heading", name="提出问题")).to_be_visible()
    expect(sales.get_by_test_id("lands-with")).to_contain_text("负责")
    assert_accessible(sales, "raise case")
    screenshot(sales, "case-raise-zh")
    # Tap 2: a delivery touchpoint instead of the suggestion; then the sentence; tap 3: raise.
    sales.get_by_label("接触点").select_option(label="14. 临牌")
    expect(sales.get_by_test_id("lands-with")).to_have_text("将由交付负责，不能退回")
    expect(sales.get_by_label("客户遇到了什么问题")).to_be_focused()
    sales.get_by_label("客户遇到了什么问题").fill(summary)
    sales.get_by_role("button", name="提交问题单").click()
    expect(sales.get_by_role("status")).to_contain_text("已交给交付（郑交付主管）")
    expect(sales.get_by_test_id("owner")).to_have_text("交付 · 郑交付主管")
    expect(sales.get_by_test_id("clock")).to_contain_text("后升至第 2 级")
    # The raiser does not close someone else's case.
    expect(sales.get_by_role("button", name="关闭问题单")).to_have_count(0)
    assert_accessible(sales, "case raised")
    screenshot(sales, "case-raised-zh")
    case_url = sales.url.split("?")[0]
    sales.context.close()

    owner = _signed_in(browser, base_url, "delivery.sup.a")
    owner.get_by_role("navigation").get_by_role("link", name="问题单").click()
    card = owner.locator(".case-card").filter(has_text=summary)
    expect(card).to_contain_text("第 1 级")
    card.locator("a.card-link").click()
    owner.get_by_role("button", name="退回给王销售").click()
    expect(owner.get_by_test_id("bounce-refused")).to_have_text(
        "责任部门保留问题单，不能退回或转给其他部门；请邀请协同部门。"
    )
    expect(owner.get_by_test_id("owner")).to_have_text("交付 · 郑交付主管")
    screenshot(owner, "case-bounce-refused-zh")
    owner.get_by_label("邀请协同").select_option(label="销售")
    owner.get_by_role("button", name="邀请协同").click()
    expect(owner.get_by_test_id("collaborators")).to_contain_text("销售")

    owner.get_by_role("button", name="关闭问题单").click()
    expect(owner.get_by_role("alert").last).to_have_text("请填写解决方案、确认人和确认方式")
    owner.get_by_label("解决方案").fill("临牌已办好，客户到店取走")
    owner.get_by_text("当面", exact=True).click()
    owner.get_by_role("button", name="关闭问题单").click()
    expect(owner.get_by_test_id("confirmed")).to_have_text(f"{customer['name']} · 当面")
    expect(owner.get_by_test_id("clock")).to_have_text("已解决")
    assert_accessible(owner, "case closed")
    screenshot(owner, "case-closed-zh")
    assert owner.url.split("?")[0] == case_url
    owner.context.close()


def test_demo_cases_wait_at_levels_2_and_3_with_the_managers_and_the_director(
    browser: Browser, base_url: str
) -> None:
    manager = _signed_in(browser, base_url, "delivery.mgr.a")
    manager.goto("/cases")
    level_2 = manager.locator(".case-card").filter(has_text="家充桩勘测约了两次都没人来")
    expect(level_2).to_contain_text("第 2 级 部门经理协调")
    expect(level_2).to_contain_text("后升至第 3 级")
    assert_accessible(manager, "my cases")
    screenshot(manager, "cases-level2-zh")
    manager.context.close()

    director = _signed_in(browser, base_url, "director")
    director.goto("/cases")
    level_3 = director.locator(".case-card").filter(has_text="超充站充电功率只有一半").first
    expect(level_3).to_contain_text("第 3 级 区域总监决定")
    expect(level_3).to_contain_text("已到最高级")
    level_3.locator("a.card-link").click()
    expect(director.get_by_role("heading", level=1, name="充电问题")).to_be_visible()
    screenshot(director, "case-level3-zh")
    director.context.close()


def test_journey_map_and_cases_read_in_english_on_a_small_phone(
    browser: Browser, base_url: str
) -> None:
    page = _signed_in(browser, base_url, "delivery.mgr.a", "en")
    page.goto("/cases")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    expect(page.locator(".case-card").filter(has_text="Level 2")).not_to_have_count(0)
    assert_accessible(page, "my cases en")
    screenshot(page, "cases-en")
    page.get_by_role("link", name="The store's customer journey").click()
    expect(page.get_by_role("heading", name="Customer journey: 33 touchpoints")).to_be_visible()
    expect(page.get_by_test_id("touchpoint-14")).to_contain_text("Temporary plate")
    expect(page.get_by_test_id("touchpoint-14")).to_contain_text("Delivery")
    expect(page.locator(".journey-row")).to_have_count(33)
    assert_accessible(page, "journey map en")
    screenshot(page, "journey-en")
    page.locator(".case-card").count()
    page.set_viewport_size({"width": 360, "height": 640})
    screenshot(page, "journey-en-360")
    page.goto("/cases")
    page.locator(".case-card").first.locator("a.card-link").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "case detail en")
    screenshot(page, "case-detail-en-360")
    page.context.close()

    zh = _signed_in(browser, base_url, "delivery.mgr.a")
    # The English run above set this user's language to English on the server; the phone syncs
    # it back after loading, so set it first: server texts (touchpoint names) follow it.
    zh.evaluate(
        """() => fetch('/graphql', {method: 'POST', headers: {'content-type': 'application/json'},
          body: JSON.stringify({query:
            'mutation { updateAlertPreferences(input: {language: "zh-CN"}) { __typename } }'})})"""
    )
    zh.goto("/journey")
    expect(zh.get_by_test_id("touchpoint-14")).to_contain_text("临牌")
    screenshot(zh, "journey-zh")
    zh.set_viewport_size({"width": 360, "height": 640})
    zh.goto("/cases")
    screenshot(zh, "cases-zh-360")
    zh.context.close()


def test_a_store_manager_meets_the_customers_open_cases_first_at_the_record(
    browser: Browser, base_url: str
) -> None:
    """Escalations are the store manager's (not the advisor's check-in): the record leads with
    the customer's open cases and their clocks; check-in stays, but as a plain button."""
    with api_as(base_url, "sales.a") as sales:
        customer = customer_with_unique_phone_ending(sales, "郭")
        draft = sales(
            "query ($id: ID!) { caseDraft(customerId: $id) { suggested { id } } }",
            id=customer["id"],
        )["caseDraft"]
        summary = f"客户说交车时答应的贴膜还没做 {uuid.uuid4().hex[:4]}"
        raised = sales(
            """mutation ($input: RaiseCaseInput!) { raiseCase(input: $input) { __typename } }""",
            input={
                "customerId": customer["id"],
                "touchpointId": draft["suggested"]["id"],
                "summary": summary,
            },
        )["raiseCase"]
        assert raised["__typename"] == "CaseSuccess", raised
        cases = sales(
            "query ($id: ID!) { customerCases(customerId: $id) { state } }", id=customer["id"]
        )["customerCases"]
    open_cases = sum(1 for case in cases if case["state"] != "CLOSED")
    for language, heading, check_in in (
        ("zh-CN", f"{open_cases} 个未结问题单", "到店登记"),
        (
            "en",
            "1 open case" if open_cases == 1 else f"{open_cases} open cases",
            "Check in for service",
        ),
    ):
        page = _signed_in(browser, base_url, "manager.a", language)
        page.goto(f"/customers/{customer['id']}")
        action = page.get_by_test_id("main-action")
        expect(action.get_by_role("heading", name=heading)).to_be_visible()
        case = action.locator(".case-card").filter(has_text=summary)
        expect(case).to_contain_text("第 1 级" if language == "zh-CN" else "Level 1")
        # The first thing to press is the case; check-in is there, not as the main action.
        expect(action.locator("a").first).to_have_attribute("href", re.compile(r"^/cases/"))
        check_in_link = action.get_by_role("link", name=check_in)
        expect(check_in_link).to_be_visible()
        expect(check_in_link).not_to_have_class(re.compile(r"button-primary"))
        at_both_phone_sizes(page, f"record-manager-{language}")
        page.set_viewport_size({"width": 390, "height": 844})
        case.locator("a.card-link").click()
        # The case's own page (the record also shows the summary, in its timeline, until the
        # case screen has loaded and replaced it).
        expect(page.locator(".case-summary")).to_have_text(summary)
        page.context.close()
