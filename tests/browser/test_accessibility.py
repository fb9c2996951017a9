"""Every desk screen: no critical or serious axe-core violation, touch targets of 44 px or more,
nothing cut off at 360x640, and no motion for those who asked for none."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_phone_context
from tests.browser.steps import (
    api_as,
    assert_accessible,
    customer_with_unique_phone_ending,
    sign_in,
)


def desk_screens(page: Page, customer: dict[str, Any]) -> dict[str, str]:
    """Each screen's URL and what says it has loaded."""
    return {
        f"/search?q={customer['phone'][-4:]}": ".result-card",
        "/": ".task-card, .empty",
        f"/customers/{customer['id']}": "[data-testid=timeline]",
        f"/customers/{customer['id']}/check-in": "#checkin-mileageKm",
        "/sync": "h1",
    }


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_login_screen_passes_axe_and_has_44px_targets(
    browser: Browser, base_url: str, locale: str
) -> None:
    context = new_phone_context(browser, base_url, locale=locale)
    try:
        page = context.new_page()
        page.add_init_script(f"localStorage.setItem('baton.language', '{locale}')")
        page.goto("/login")
        expect(page.locator("#login-password")).to_be_visible()
        assert_accessible(page, f"login-{locale}")
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_desk_screens_pass_axe_and_have_44px_targets(
    browser: Browser, base_url: str, locale: str, tmp_path: Path
) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "黄")
    context = new_phone_context(browser, base_url, locale=locale)
    try:
        page = context.new_page()
        sign_in(page, "advisor.a", locale)
        for url, ready in desk_screens(page, customer).items():
            page.goto(url)
            expect(page.locator(ready).first).to_be_visible()
            assert_accessible(page, url)
    finally:
        context.close()


def test_desk_screens_fit_a_small_phone_and_respect_reduced_motion(
    browser: Browser, base_url: str
) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "孙")
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 360, "height": 640},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        sign_in(page, "advisor.a")
        for url, ready in desk_screens(page, customer).items():
            page.goto(url)
            expect(page.locator(ready).first).to_be_visible()
            overflow = page.evaluate(
                "document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow} px at 360 px"
            duration = page.evaluate(
                "getComputedStyle(document.querySelector('.button, .nav-bar a')).transitionDuration"
            )
            assert duration in ("1e-05s", "0s"), f"{url}: transition {duration} under reduce"
    finally:
        context.close()
