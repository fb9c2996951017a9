"""The car calendar at 390x844 on the demo: the advisor returns the car out on a loaner and
records wash and inspection, books a weekday loaner in three taps; sales preempts the
Saturday loaner into a backup car and the advisor is told; the manager reads last month."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import api_as, assert_accessible, sign_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The demo fleet of SH-PD, in the order the week view lists it.
SATURDAY_CAR, BACKUP_FREE, BACKUP_OUT = "沪A·D001", "沪A·D005", "沪A·D006"


def cell(page: Page, plate: str, column: int):  # type: ignore[no-untyped-def]
    row = page.locator(".car-grid tbody tr").filter(has=page.get_by_text(plate, exact=True))
    return row.locator("td .day-cell").nth(column)


def test_book_preempt_return_and_settle_on_the_demo(
    page: Page, browser: Browser, base_url: str
) -> None:
    today = datetime.now(SHANGHAI).date()
    sign_in(page, "advisor.a")
    page.goto("/cars")
    expect(page.get_by_role("heading", name="试驾车日历")).to_be_visible()
    expect(page.locator(".car-grid thead th.today")).to_have_text(
        "今天02".replace("02", today.strftime("%d"))
    )
    screenshot(page, "cars-week-zh")
    assert_accessible(page, "car week")

    # Return the backup car that is out on a loaner now; it then waits for wash and inspection.
    cell(page, BACKUP_OUT, 0).click()
    page.get_by_role("button", name="还车").click()
    page.get_by_role("button", name="确认还车").click()
    expect(page.get_by_role("status")).to_contain_text("已还车")
    expect(page.get_by_text("已还车：清洗并检查后才能再预约")).to_be_visible()
    screenshot(page, "cars-returned-zh")
    page.get_by_label("已清洗").check()
    page.get_by_label("已检查").check()
    page.get_by_role("button", name="记录").click()
    expect(page.get_by_role("status")).to_contain_text("已记录")

    # A weekday loaner in three taps: the cell, the slot, "book".
    weekday = next(n for n in range(1, 7) if (today + timedelta(days=n)).weekday() < 5)
    cell(page, BACKUP_FREE, weekday).click()
    page.get_by_role("button", name="09:00–12:00").click()
    page.get_by_role("button", name="预约 09:00–12:00").click()
    expect(page.get_by_role("status")).to_contain_text("已预约")

    # Sales preempts the Saturday loaner (4+ days ahead, seeded) for a VIP test drive.
    saturday = today + timedelta(days=4)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    ahead = (saturday - today).days
    sales = new_phone_context(browser, base_url)
    sales_page = sales.new_page()
    sign_in(sales_page, "sales.a")
    sales_page.goto("/cars")
    for _ in range(ahead // 7):
        sales_page.get_by_role("button", name="后 7 天 ›").click()
    # The next week has loaded when its Saturday heads the column.
    header = sales_page.locator(".car-grid thead th").nth(1 + ahead % 7)
    expect(header).to_contain_text(saturday.strftime("%d"))
    cell(sales_page, SATURDAY_CAR, ahead % 7).click()
    sales_page.get_by_role("button", name="优先占用").click()
    sales_page.get_by_label("原因（如 VIP 试驾）").fill("VIP 试驾")
    sales_page.get_by_role("button", name="确认优先占用").click()
    expect(sales_page.get_by_role("status")).to_contain_text("已优先占用")
    expect(sales_page.get_by_text("优先占用：VIP 试驾")).to_be_visible()
    screenshot(sales_page, "cars-preempted-zh")
    sales.close()
    with api_as(base_url, "advisor.a") as api:
        titles = [
            e["node"]["title"]
            for e in api("{ inbox(first: 5) { edges { node { title } } } }")["inbox"]["edges"]
        ]
    assert any(SATURDAY_CAR in title and "优先占用" in title for title in titles), titles

    # The manager reads last month's settlement.
    manager = new_phone_context(browser, base_url)
    manager_page = manager.new_page()
    sign_in(manager_page, "manager.a")
    manager_page.goto("/cars/settlement")
    expect(manager_page.locator(".settlement .net")).to_have_text("¥4,500")
    screenshot(manager_page, "cars-settlement-zh")
    assert_accessible(manager_page, "settlement")
    manager.close()


def test_the_car_calendar_reads_in_english_and_fits_a_small_phone(
    browser: Browser, base_url: str
) -> None:
    context = new_phone_context(browser, base_url, locale="en")
    page = context.new_page()
    sign_in(page, "manager.a", language="en")
    page.goto("/cars")
    expect(page.get_by_role("heading", name="Car calendar")).to_be_visible()
    cell(page, SATURDAY_CAR, 0).click()
    screenshot(page, "cars-week-en")
    page.goto("/cars/settlement")
    expect(page.get_by_text("Service pays sales", exact=True)).to_be_visible()
    screenshot(page, "cars-settlement-en")
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto("/cars")
    expect(page.locator(".car-grid")).to_be_visible()
    screenshot(page, "cars-week-en-360")
    assert_accessible(page, "car week 360")
    page.set_viewport_size({"width": 390, "height": 844})
    # The private calendar address, made in Settings, read by a calendar app without a cookie.
    page.goto("/settings")
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.locator("#calendar-url")
    expect(address).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    screenshot(page, "settings-calendar-en")
    assert_accessible(page, "settings with calendar")
    feed = httpx.get(address.input_value(), timeout=10)
    assert feed.status_code == 200 and "set-cookie" not in feed.headers
    [zone] = Calendar.from_ical(feed.content).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    context.close()
