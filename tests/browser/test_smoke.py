"""The app is served and installable-shaped: shell, manifest, service worker, SPA fallback."""

import re

import brotli
import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, new_phone_context, screenshot


def test_shell_is_served_with_cache_rules_and_spa_fallback(base_url: str) -> None:
    index = httpx.get(f"{base_url}/")
    assert index.status_code == 200
    assert index.headers["cache-control"] == "no-cache"
    route = httpx.get(f"{base_url}/customers/123")
    assert route.status_code == 200 and route.text == index.text
    assert httpx.get(f"{base_url}/missing.js").status_code == 404
    manifest = httpx.get(f"{base_url}/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")


def test_the_built_scripts_are_sent_in_brotli_to_a_browser_that_takes_it(base_url: str) -> None:
    entry = re.search(r'<script type="module"[^>]* src="([^"]+)"', httpx.get(base_url).text)
    assert entry is not None
    built = (ROOT / "frontend" / "dist" / entry.group(1).lstrip("/")).read_bytes()
    with httpx.stream("GET", base_url + entry.group(1), headers={"accept-encoding": "br"}) as sent:
        assert sent.headers["content-encoding"] == "br"
        assert sent.headers["vary"] == "Accept-Encoding"
        assert brotli.decompress(b"".join(sent.iter_raw())) == built


def test_login_screen_renders_in_chinese_at_phone_size(page: Page) -> None:
    page.goto("/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "login-zh")
    assert page.locator("input[type=password]").count() == 1


def test_signed_out_user_sees_no_tabs_and_no_header_actions(page: Page) -> None:
    """Today, Search and the bell lead nowhere without a session: the login screen has none."""
    page.goto("/search")
    page.wait_for_url("**/login?next=%2Fsearch")
    expect(page.locator("#login-password")).to_be_visible()
    for size in ({"width": 360, "height": 640}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        expect(page.locator("nav.nav-bar")).to_have_count(0)
        expect(page.locator("header.app-header")).to_have_count(0)
        expect(page.get_by_role("link", name="搜索")).to_have_count(0)
        screenshot(page, f"login-zh-{size['width']}")


def test_an_english_phone_meets_the_login_in_english(browser: Browser, base_url: str) -> None:
    """Nothing chosen on this phone yet and no profile: the browser's language decides."""
    context = new_phone_context(browser, base_url, locale="en-GB")
    try:
        page = context.new_page()
        page.goto("/login")
        expect(page.get_by_role("heading", level=1, name="Sign in to Baton")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        screenshot(page, "login-en-390")
    finally:
        context.close()
