"""The seed's story with an archive: the delivery specialist records a delivery training on
the phone (offline, replayed once), the customer skipping automatic parking ("I know
Autopilot"); at check-in the advisor sees teach-next continue where delivery stopped, the
skipped topic flagged to check, offline too."""

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import Api, api_as, assert_accessible, sign_in

CANDIDATES = """query ($search: String!) { customers(search: $search, first: 50) { edges { node {
  id name learningProgress { stage } teachingSessions { id } } } } }"""
SESSIONS = """query ($id: ID!) { customer(id: $id) { teachingSessions { kind note
  entries { level skipReason topic { code } } } } }"""


def _customer_before_delivery(api: Api, surnames: str) -> dict[str, Any]:
    """A demo customer still waiting for their car, with nothing taught yet."""
    for surname in surnames:
        for edge in api(CANDIDATES, search=surname)["customers"]["edges"]:
            node = edge["node"]
            if node["learningProgress"]["stage"] == "DELIVERY" and not node["teachingSessions"]:
                return dict(node)
    raise AssertionError(f"no demo customer of {surnames} before delivery")


def _tap(page: Page, topic: str, mark: str) -> None:
    row = page.locator("fieldset.topic-marks", has=page.locator("legend", has_text=topic))
    row.get_by_role("button", name=mark, exact=True).click()
    expect(row.get_by_role("button", name=mark, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def _open_online(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_test_id("teach-next")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def test_delivery_training_offline_then_teach_next_at_check_in(
    browser: Browser, base_url: str
) -> None:
    with api_as(base_url, "delivery.a") as api:
        customer = _customer_before_delivery(api, "王李张刘陈")
    record = f"/customers/{customer['id']}"

    delivery = new_phone_context(browser, base_url)
    page = delivery.new_page()
    sign_in(page, "delivery.a")
    _open_online(page, record)
    expect(page.locator("#learning-title")).to_have_text("学习档案")
    expect(page.get_by_text("已掌握 0/15 项")).to_be_visible()
    page.get_by_role("link", name="记录一次讲解").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("讲解记录"))).to_be_visible()
    expect(page.get_by_role("button", name="交付培训")).to_have_attribute("aria-pressed", "true")
    # However long the topic list, save waits above the bottom tabs, in thumb reach.
    save = page.get_by_role("button", name=re.compile("^保存"))
    box = save.bounding_box()
    assert box is not None and box["y"] >= 844 - 60 - 120 and box["y"] + box["height"] <= 844 - 60
    screenshot(page, "teach-form-top-zh")

    delivery.set_offline(True)
    _tap(page, "App 与钥匙卡", "掌握")
    _tap(page, "家庭充电", "掌握")
    _tap(page, "公共充电", "练习")
    _tap(page, "自动泊车", "说已会")
    page.get_by_label("备注（可选）").fill("客户说会用 Autopilot")
    screenshot(page, "teach-form-zh")
    assert_accessible(page, "teaching form")
    page.get_by_role("button", name="保存（4 项）").click()
    expect(page.get_by_role("status").filter(has_text="讲解记录已存在本机")).to_contain_text(
        customer["name"]
    )
    with api_as(base_url, "delivery.a") as api:
        assert api(SESSIONS, id=customer["id"])["customer"]["teachingSessions"] == []

    delivery.set_offline(False)
    expect(page.get_by_role("link", name=re.compile("待同步"))).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_load_state("networkidle")
    with api_as(base_url, "delivery.a") as api:
        (session,) = api(SESSIONS, id=customer["id"])["customer"]["teachingSessions"]
    assert session["kind"] == "DELIVERY_TRAINING"
    assert sorted(
        (e["topic"]["code"], e["level"], e["skipReason"]) for e in session["entries"]
    ) == [
        ("app_and_key_card", "MASTERED", None),
        ("automatic_parking", None, "KNOWS_IT"),
        ("home_charging", "MASTERED", None),
        ("public_charging", "PRACTISED", None),
    ]
    delivery.close()

    advisor = new_phone_context(browser, base_url)
    page = advisor.new_page()
    sign_in(page, "advisor.a")
    _open_online(page, f"{record}/check-in")
    chips = page.get_by_test_id("teach-next").locator("li")
    expect(chips.first).to_contain_text("公共充电")
    expect(chips.first).to_contain_text("已练习")
    parking = chips.filter(has_text="自动泊车")
    expect(parking).to_contain_text("客户说已会——请确认")
    expect(page.get_by_text("已掌握 2/15 项")).to_be_visible()

    advisor.set_offline(True)
    page.reload()
    expect(
        page.get_by_test_id("teach-next").locator("li").filter(has_text="自动泊车")
    ).to_contain_text("客户说已会——请确认")
    page.get_by_test_id("teach-next").scroll_into_view_if_needed()
    screenshot(page, "checkin-teach-next-offline-zh")
    advisor.set_offline(False)
    page.goto(record)
    archive = page.get_by_test_id("learning-archive")
    expect(archive).to_contain_text("李交付")
    expect(archive.locator("li").filter(has_text="自动泊车")).to_contain_text("从未讲解")
    page.locator("#learning-title").scroll_into_view_if_needed()
    screenshot(page, "record-learning-zh")
    assert_accessible(page, "record with archive")
    advisor.close()


def test_learning_screens_in_english(browser: Browser, base_url: str) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = _customer_before_delivery(api, "黄赵吴周徐孙")
    context = new_phone_context(browser, base_url, locale="en")
    page = context.new_page()
    sign_in(page, "advisor.a", language="en")
    page.goto(f"/customers/{customer['id']}/teach")
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Teaching session"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Delivery training")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("legend", has_text="Automatic parking")).to_be_visible()
    screenshot(page, "teach-form-en")
    assert_accessible(page, "teaching form (en)")
    _tap(page, "Home charging", "Mastered")
    page.get_by_role("button", name="Save (1)").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Teaching session for {customer['name']} saved."
    )
    page.goto(f"/customers/{customer['id']}/check-in")
    expect(page.get_by_test_id("teach-next")).to_contain_text("Public charging")
    expect(page.get_by_text("1/15 topics mastered")).to_be_visible()
    page.get_by_test_id("teach-next").scroll_into_view_if_needed()
    screenshot(page, "checkin-teach-next-en")
    page.goto(f"/customers/{customer['id']}")
    page.locator("#learning-title").scroll_into_view_if_needed()
    expect(page.get_by_test_id("learning-archive")).to_contain_text("Home charging")
    screenshot(page, "record-learning-en")
    # The smallest phone we support: the form still fits, save still in reach.
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"/customers/{customer['id']}/teach")
    expect(page.locator("legend", has_text="Home charging")).to_contain_text("mastered")
    save = page.get_by_role("button", name=re.compile("^Save"))
    box = save.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 640 - 60
    screenshot(page, "teach-form-360-en")
    assert_accessible(page, "teaching form at 360x640")
    context.close()
