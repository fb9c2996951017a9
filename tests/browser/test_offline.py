"""In a workshop without signal: a record opened before stays readable, search and a list of
recent customers work over the records this phone holds, a record it does not hold says so,
and a check-in made offline names its customer and is sent when the connection returns, once."""

import json
import re
import uuid

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ROOT, screenshot
from tests.browser.steps import (
    api_as,
    at_both_phone_sizes,
    customer_with_unique_phone_ending,
    sign_in,
)

TEXTS = ROOT / "frontend" / "src" / "i18n"
ZH: dict[str, str] = json.loads((TEXTS / "zh-CN.json").read_text(encoding="utf-8"))
EN: dict[str, str] = json.loads((TEXTS / "en.json").read_text(encoding="utf-8"))


def text(template: str) -> re.Pattern[str]:
    """A catalogue sentence with its {params} matching anything."""
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+".join(re.escape(part) for part in parts))


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
    confirmation = page.get_by_role("status").filter(has_text="登记已保存在本机")
    expect(confirmation).to_contain_text(customer["name"])
    screenshot(page, "checkin-queued-zh")
    with api_as(base_url, "advisor.a") as api:
        assert len(api.visits(customer["id"])) == before

    # The sync list leads each waiting change with the customer it is for.
    page.get_by_role("link", name="1 项修改待同步").click()
    card = page.locator("li.card")
    expect(card.locator(".card-title")).to_have_text(customer["name"])
    expect(card).to_contain_text(ZH["queue.kind.checkIn"])
    at_both_phone_sizes(page, "sync-queued-zh")

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


def test_offline_search_finds_customers_opened_on_this_phone_and_lists_them(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    with api_as(base_url, "advisor.a") as api:
        earlier = customer_with_unique_phone_ending(api, "陈")
        latest = customer_with_unique_phone_ending(api, "刘")
        never = customer_with_unique_phone_ending(api, "王")
    sign_in(page, "advisor.a")
    open_record_online(page, earlier["id"])
    open_record_online(page, latest["id"])
    page.goto("/search")
    recent = page.locator("section.recent li.card")
    expect(recent).to_have_count(2)
    at_both_phone_sizes(page, "search-recent-online-zh")

    context.set_offline(True)
    page.goto("/search")
    expect(page.get_by_text(ZH["search.recentOffline"])).to_be_visible()
    expect(recent).to_have_count(2)
    expect(recent.first).to_contain_text(latest["name"])
    expect(recent.nth(1)).to_contain_text(earlier["name"])
    at_both_phone_sizes(page, "search-recent-offline-zh")

    search = page.get_by_label(ZH["search.label"])
    results = page.locator(f"ul[aria-label='{ZH['search.onPhoneTitle']}'] li.card")
    search.fill(earlier["phone"][-4:])
    search.press("Enter")
    expect(page.get_by_role("status").filter(has_text=ZH["search.onPhoneTitle"])).to_be_visible()
    expect(results).to_have_count(1)
    expect(results).to_contain_text(earlier["name"])
    at_both_phone_sizes(page, "search-on-phone-zh")

    search.fill(latest["name"][0])
    search.press("Enter")
    expect(results.filter(has_text=latest["name"])).to_have_count(1)
    expect(results.filter(has_text=earlier["name"])).to_have_count(0)

    # Held nowhere on this phone: said so, and the recent customers stay one tap away.
    search.fill(never["phone"][-4:])
    search.press("Enter")
    expect(page.get_by_text(text(ZH["search.onPhoneEmpty"]))).to_be_visible()
    expect(recent).to_have_count(2)
    at_both_phone_sizes(page, "search-on-phone-empty-zh")

    recent.first.locator("a.card-link").click()
    expect(page.get_by_role("heading", level=1, name=latest["name"])).to_be_visible()

    english = context.new_page()
    english.add_init_script("localStorage.setItem('baton.language', 'en')")
    english.goto(f"/search?q={earlier['phone'][-4:]}")
    expect(english.get_by_role("status").filter(has_text=EN["search.onPhoneTitle"])).to_be_visible()
    expect(english.locator("li.card").filter(has_text=earlier["name"])).to_have_count(1)
    at_both_phone_sizes(english, "search-on-phone-en")
    english.goto("/search")
    expect(english.get_by_role("heading", name=EN["search.recentTitle"])).to_be_visible()
    at_both_phone_sizes(english, "search-recent-offline-en")
    context.set_offline(False)


def test_record_not_on_this_phone_says_so_offline_and_leads_to_those_that_are(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    with api_as(base_url, "advisor.a") as api:
        opened = customer_with_unique_phone_ending(api, "杨")
        never = customer_with_unique_phone_ending(api, "赵")
    sign_in(page, "advisor.a")
    open_record_online(page, opened["id"])

    context.set_offline(True)
    page.goto(f"/customers/{never['id']}")
    notice = page.get_by_role("alert")
    expect(notice).to_contain_text(ZH["record.notOnPhoneTitle"])
    expect(notice.get_by_role("button", name=ZH["app.retry"])).to_have_count(0)
    at_both_phone_sizes(page, "record-not-on-phone-zh")
    notice.get_by_role("link", name=ZH["record.toRecent"]).click()
    page.wait_for_url("**/search")
    expect(page.locator("section.recent li.card")).to_contain_text(opened["name"])

    english = context.new_page()
    english.add_init_script("localStorage.setItem('baton.language', 'en')")
    english.goto(f"/customers/{never['id']}")
    expect(english.get_by_role("alert")).to_contain_text(EN["record.notOnPhoneTitle"])
    at_both_phone_sizes(english, "record-not-on-phone-en")
    context.set_offline(False)
