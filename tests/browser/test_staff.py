"""A store manager hands a leaver's work to a colleague; staff see and end their own logins."""

import subprocess
import sys

from playwright.sync_api import Browser, expect

from tests.browser.conftest import ROOT, new_phone_context, screenshot
from tests.browser.steps import assert_accessible, sign_in


def create_user(server_env: dict[str, str], username: str, name: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "baton.cli",
            "create-user",
            "--username",
            username,
            "--password",
            "baton-demo",
            "--name",
            name,
            "--role",
            "delivery_specialist",
            "--store",
            "SH-PD",
        ],
        env=server_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def test_a_manager_hands_a_leavers_work_to_a_colleague(
    browser: Browser, base_url: str, server_env: dict[str, str]
) -> None:
    create_user(server_env, "leaver.zh", "离职的交付专员")
    create_user(server_env, "leaver.en", "Leaving Specialist")
    for language, leaver, size in (
        ("zh-CN", "离职的交付专员", {"width": 360, "height": 640}),
        ("en", "Leaving Specialist", {"width": 390, "height": 844}),
    ):
        context = new_phone_context(browser, base_url, locale=language)
        try:
            page = context.new_page()
            page.set_viewport_size(size)
            sign_in(page, "manager.a", language)
            page.goto("/settings")
            staff_link = page.get_by_role(
                "link", name="员工离职交接" if language == "zh-CN" else "Staff who leave"
            )
            staff_link.click()
            expect(page.get_by_test_id("staff-list")).to_contain_text(leaver)
            screenshot(page, f"staff-list-{language}-{size['width']}")
            label = (
                f"为 {leaver} 办理离职交接"
                if language == "zh-CN"
                else f"Hand over the work of {leaver}"
            )
            page.get_by_role("button", name=label).click()
            successor = page.get_by_label(
                "接手人（同岗位）" if language == "zh-CN" else "Takes over (same role)"
            )
            expect(successor).to_be_visible()
            confirm = page.get_by_role(
                "button", name="请选择接手人" if language == "zh-CN" else "Choose who takes over"
            )
            expect(confirm).to_be_disabled()  # nobody is handed customers by default
            successor.select_option(label="李交付")
            screenshot(page, f"staff-handover-{language}-{size['width']}")
            assert_accessible(page, f"staff-handover-{language}")
            page.get_by_role(
                "button", name="确认交给" if language == "zh-CN" else "Hand over to"
            ).click()
            done = "的工作已全部交给" if language == "zh-CN" else "work now lies with"
            expect(page.get_by_role("status").filter(has_text=done)).to_be_visible()
            expect(page.get_by_test_id("staff-list")).not_to_contain_text(leaver)
            screenshot(page, f"staff-done-{language}-{size['width']}")
        finally:
            context.close()


def test_i_see_where_i_am_signed_in(browser: Browser, base_url: str) -> None:
    context = new_phone_context(browser, base_url, locale="en")
    try:
        page = context.new_page()
        sign_in(page, "sales.a", "en")
        page.goto("/settings")
        logins = page.get_by_test_id("my-logins")
        expect(logins).to_contain_text("This device")
        page.get_by_role("heading", name="Change password").scroll_into_view_if_needed()
        screenshot(page, "settings-logins-en")
        assert_accessible(page, "settings-logins-en")
    finally:
        context.close()
