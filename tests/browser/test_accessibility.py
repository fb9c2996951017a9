"""Every desk screen: no critical or serious axe-core violation, touch targets of 44 px or more,
nothing cut off at 360x640, and no motion for those who asked for none."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, new_phone_context
from tests.browser.desk import api_as, customer_with_unique_phone_ending, sign_in

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

# Visible things a finger presses; a radio or checkbox is pressed through its label.
TARGETS_JS = """
() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, textarea, select')) {
    const target = ['radio', 'checkbox'].includes(el.type) ? el.closest('label') ?? el : el;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (box.bottom < 0) continue;  // the skip link waits above the page until focused
    if (box.width < 44 || box.height < 44) {
      const name = (target.textContent || target.getAttribute('aria-label') || '').trim();
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${target.tagName} "${name}" ${size}`);
    }
  }
  return small;
}
"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, { resultTypes: ['violations'] })"
    )
    return [v for v in result["violations"] if v["impact"] in ("critical", "serious")]


def describe(violations: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )


def desk_screens(page: Page, customer: dict[str, Any]) -> dict[str, str]:
    """Each screen's URL and what says it has loaded."""
    return {
        f"/search?q={customer['phone'][-4:]}": ".result-card",
        "/": ".task-card, .empty",
        f"/customers/{customer['id']}": "[data-testid=timeline]",
        f"/customers/{customer['id']}/check-in": "#checkin-mileageKm",
    }


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
            serious = axe_violations(page)
            assert not serious, f"{url}: {describe(serious)}"
            small = page.evaluate(TARGETS_JS)
            assert not small, f"{url}: targets under 44 px: {small}"
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
