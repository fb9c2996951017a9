"""Today and the inbox as the frontline reads them: grouped by what needs doing now, each card
with what the task is about, deadlines in one relative style, and for the service advisor who
is in the workshop today."""

import re
import uuid
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import (
    api_as,
    assert_accessible,
    check_in,
    customer_with_unique_phone_ending,
    my_tasks,
    no_horizontal_overflow,
    sign_in,
    submitted_order_blocked_by,
)

# lib/format formatDue: "截止 14:05 · 2 小时后", "截止 12月1日周二 09:00 · 逾期 3 天",
# "截止 14:05 · 刚到期".
# Number, unit and "in" / "late" are held together by no-break spaces (\s matches them).
DUE_ZH = re.compile(r"^截止 .+ · (刚到期|逾期\s\d+\s(分钟|小时|天)|\d+\s(分钟|小时|天)后)$")
DUE_EN = re.compile(r"^Due .+ · (due\snow|\d+\s(min|h|days?)\slate|in\s\d+\s(min|h|days?))$")


def _prepare_items_task(base_url: str) -> dict[str, object]:
    with api_as(base_url, "delivery.a") as api:
        (task,) = [
            t
            for t in my_tasks(api)
            if t["kind"] == "prepare_promised_items" and t["customer"]["name"] == "孙立新"
        ]
    return task


def test_prepare_items_card_lists_the_promised_items_and_two_minutes_late_is_not_overdue(
    page: Page, base_url: str
) -> None:
    task = _prepare_items_task(base_url)
    assert "全车脚垫与后备箱垫" in task["details"]
    due = datetime.fromisoformat(str(task["dueAt"]))
    page.clock.set_fixed_time(due + timedelta(minutes=2))
    sign_in(page, "delivery.a")
    card = page.locator(".task-card").filter(has_text="准备承诺物品").filter(has_text="孙立新")
    expect(card.locator(".task-details")).to_contain_text("全车脚垫与后备箱垫")
    due_line = card.locator("[data-due-state]")
    expect(due_line).to_have_attribute("data-due-state", "dueNow")
    expect(due_line).to_contain_text("刚到期")
    expect(due_line).not_to_have_class(re.compile(r"\boverdue\b"))
    expect(page.locator(".bucket-overdue").filter(has_text="孙立新")).to_have_count(0)
    screenshot(page, "today-delivery-due-now-zh")

    # Forty minutes on, nobody is on it: overdue, in red, saying how late.
    page.clock.set_fixed_time(due + timedelta(minutes=40))
    page.reload()
    overdue = page.locator(".bucket-overdue .task-card").filter(has_text="孙立新")
    expect(overdue.filter(has_text="准备承诺物品").locator("[data-due-state]")).to_contain_text(
        "逾期\u00a040\u00a0分钟"
    )


def test_inbox_and_today_word_deadlines_the_same_relative_way(page: Page) -> None:
    sign_in(page, "delivery.a")
    due_lines = page.locator(".task-card [data-due-state]")
    expect(due_lines.first).to_be_visible()
    for text in due_lines.all_inner_texts():
        assert DUE_ZH.match(text), text
    page.goto("/inbox")
    task_alerts = page.locator(".alert-body[data-due-state]")
    expect(task_alerts.first).to_be_visible()
    for text in task_alerts.all_inner_texts():
        assert DUE_ZH.match(text), text
    for text in page.locator(".alert-meta time").all_inner_texts():
        assert re.match(r"^(刚刚|\d+\s(分钟|小时)前|\d+月\d+日周. \d\d:\d\d)$", text), text
    screenshot(page, "inbox-delivery-zh")


def test_advisor_today_shows_who_is_in_the_workshop(page: Page, base_url: str) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "刘")
    complaint = f"左前轮胎压报警 {uuid.uuid4().hex[:4]}"
    check_in(base_url, customer["id"], complaint)
    sign_in(page, "advisor.a")
    workshop = page.get_by_test_id("in-workshop")
    expect(workshop.get_by_role("heading", name=re.compile("今日在店"))).to_be_visible()
    visit = workshop.locator("li").filter(has_text=complaint)
    expect(visit).to_contain_text(customer["name"])
    expect(visit).to_contain_text("到店")
    # The welcome call carries what the customer raised at the handover (seed: 李慧敏).
    welcome = page.locator(".task-card").filter(has_text="新车主欢迎回访").filter(has_text="李慧敏")
    expect(welcome.locator(".task-details")).to_contain_text("想了解自动泊车和哨兵模式")
    screenshot(page, "today-advisor-zh")
    assert_accessible(page, "today-advisor-zh")
    visit.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name=customer["name"])).to_be_visible()


def test_a_busy_workshop_leaves_the_advisors_tasks_on_the_first_screen(
    page: Page, base_url: str
) -> None:
    """The latest two arrivals, the rest one tap away: at 360x640 a task is still in view,
    above the tab bar."""
    with api_as(base_url, "advisor.a") as api:
        arriving = [customer_with_unique_phone_ending(api, name) for name in "王李张赵"]
    for n, customer in enumerate(arriving):
        check_in(base_url, customer["id"], f"排队 {n} {uuid.uuid4().hex[:4]}")
    page.set_viewport_size({"width": 360, "height": 640})
    sign_in(page, "advisor.a")
    workshop = page.get_by_test_id("in-workshop")
    expect(workshop.locator("li")).to_have_count(2)
    expect(workshop.locator("li").first).to_contain_text("排队 3")
    first_task = page.locator(".task-card").first
    expect(first_task).to_be_visible()
    box, tabs = first_task.bounding_box(), page.get_by_role("navigation").bounding_box()
    assert box is not None and tabs is not None
    assert box["y"] + 48 <= tabs["y"], (box, tabs)
    screenshot(page, "today-advisor-busy-zh-360")
    show_all = workshop.get_by_role("button", name=re.compile("查看全部"))
    total = int(workshop.locator(".count").inner_text())
    show_all.click()
    expect(workshop.locator("li")).to_have_count(total)
    expect(show_all).to_have_count(0)


@pytest.mark.parametrize("size", [(360, 640), (390, 844)], ids=["360x640", "390x844"])
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_frontline_screens_fit_the_phone(
    browser: Browser, base_url: str, language: str, size: tuple[int, int]
) -> None:
    """Today, the inbox and the record for the delivery specialist and the advisor: no
    sideways scrolling, the record's main action on the first screen, deadlines worded alike."""
    width, height = size
    due = DUE_ZH if language == "zh-CN" else DUE_EN
    # An order of its own: the demo's orders are handed over by other tests.
    handover_customer, _ = submitted_order_blocked_by(base_url, f"随车礼包 {language} {width}")
    tag = f"{language}-{width}x{height}"
    for username in ("delivery.a", "advisor.a"):
        context = new_phone_context(browser, base_url, locale=language)
        try:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            sign_in(page, username, language)
            expect(page.locator(".task-card").first).to_be_visible()
            for text in page.locator(".task-card [data-due-state]").all_inner_texts():
                assert due.match(text), text
            assert no_horizontal_overflow(page), f"today {username} {tag}"
            screenshot(page, f"today-{username}-{tag}")
            page.goto("/inbox")
            expect(page.locator(".alert-item").first).to_be_visible()
            assert no_horizontal_overflow(page), f"inbox {username} {tag}"
            screenshot(page, f"inbox-{username}-{tag}")
            page.goto(f"/customers/{handover_customer}")
            action = page.get_by_test_id("main-action")
            expect(action).to_be_visible()
            box = action.bounding_box()
            assert box is not None and box["y"] + box["height"] <= height, (username, tag, box)
            assert no_horizontal_overflow(page), f"record {username} {tag}"
            screenshot(page, f"record-{username}-{tag}")
        finally:
            context.close()
