"""In a workshop without signal: a record opened before stays readable, and a check-in made
offline is sent when the connection returns, exactly once."""

import re
import uuid

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.steps import api_as, customer_with_unique_phone_ending, sign_in


def open_record_online(page: Page, customer_id: str) -> None:
    page.goto(f"/customers/{customer_id}")
    expect(page.get_by_test_id("timeline")).to_be_visible()
    # The shell must be precached before the network goes away.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def test_opened_record_is_readable_offline_with_the_data_time(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "陈")
    sign_in(page, "advisor.a")
    open_record_online(page, customer["id"])

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1, name=customer["name"])).to_be_visible()
    expect(page.get_by_text(re.compile(r"^离线 — 数据来自 \d\d:\d\d$"))).to_be_visible()
    expect(page.locator("#vehicles-title + ul")).to_contain_text(customer["vehicles"][0]["vin"])
    expect(page.get_by_test_id("timeline").locator("li").first).to_be_visible()
    screenshot(page, "record-offline-zh")
    context.set_offline(False)


def test_check_in_made_offline_is_applied_once_back_online(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "刘")
        before = len(api.visits(customer["id"]))
    sign_in(page, "advisor.a")
    open_record_online(page, customer["id"])
    page.get_by_role("link", name="到店登记").click()
    expect(page.get_by_label("里程（公里）")).to_be_visible()

    context.set_offline(True)
    complaint = f"离线登记 {uuid.uuid4().hex[:6]}"
    page.get_by_label("里程（公里）").fill("23456")
    page.get_by_label("客户描述的问题").fill(complaint)
    page.get_by_role("button", name="确认登记").click()
    expect(page.get_by_role("status").filter(has_text="登记已保存在本机")).to_be_visible()
    expect(page.get_by_role("link", name="1 项修改待同步")).to_be_visible()
    screenshot(page, "checkin-queued-zh")
    with api_as(base_url, "advisor.a") as api:
        assert len(api.visits(customer["id"])) == before

    context.set_offline(False)
    expect(page.get_by_role("link", name=re.compile("待同步"))).to_have_count(0)
    # Another start of the app replays whatever is left: nothing, so nothing twice.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_load_state("networkidle")
    with api_as(base_url, "advisor.a") as api:
        visits = api.visits(customer["id"])
    assert len(visits) == before + 1
    assert [v["complaint"] for v in visits].count(complaint) == 1
    assert visits[0]["mileageKm"] == 23456
