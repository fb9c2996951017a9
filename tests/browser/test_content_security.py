"""The PWA works under its Content-Security-Policy: no violation on any screen it shows."""

from playwright.sync_api import Page, expect

from tests.browser.steps import api_as, customer_with_unique_phone_ending, sign_in

# Violations reach the page as events; a list on window keeps them for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_every_screen_runs_under_the_content_security_policy(page: Page, base_url: str) -> None:
    with api_as(base_url, "advisor.a") as api:
        customer = customer_with_unique_phone_ending(api, "张")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto("/login")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    sign_in(page, "advisor.a")
    screens = [
        ("/", page.get_by_role("heading", level=1)),
        (f"/search?q={customer['phone'][-4:]}", page.locator(".result-card")),
        (f"/customers/{customer['id']}", page.get_by_test_id("timeline")),
        (f"/customers/{customer['id']}/check-in", page.get_by_role("button").first),
        ("/inbox", page.get_by_role("heading", level=1)),
        ("/settings", page.get_by_role("heading", level=1)),
    ]
    for path, ready in screens:
        page.goto(path)
        expect(ready.first).to_be_visible()
        assert page.evaluate("window.__cspViolations") == [], path
    assert [text for text in console if "Content Security Policy" in text] == []
