"""Push, end to end: opt in on the settings screen (permission asked only after the tap), the
subscription stored through the API, a real alert raised by a real change, sent by the server's
dispatcher (VAPID, aes128gcm) to a push service on loopback that decrypts it, those exact bytes
delivered to the service worker with CDP, the notification shown, and its click opening the
customer's record and reading the alert. The inbox, the devices list and quiet hours too.

Chromium cannot reach a real push service from this machine (its subscribe() would wait for
FCM forever), so the page's PushManager hands out the loopback push service's subscription
instead: the browser half of the round trip that the test plays. Everything else is real.
"""

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, expect

from tests.browser.conftest import new_phone_context, screenshot
from tests.browser.steps import Api, api_as, assert_accessible, at_both_phone_sizes, sign_in
from tests.support.push_service import (
    BrowserSubscription,
    PushService,
    ReceivedPush,
    Reply,
    run_push_service,
)

# advisor.b: store B's advisor, so pushes here do not mix with other tests' check-ins.
ADVISOR = "advisor.b"
SURNAMES = "张王李刘陈杨赵黄周吴徐孙马朱胡郭何林"

# The page's PushManager, standing in for Chromium's (see the module docstring). It records
# what the app asked for, so the test can check the VAPID key and when permission was asked.
FAKE_PUSH_MANAGER = """
(() => {
  const subscription = %s;
  const saved = () => JSON.parse(localStorage.getItem('test.push') ?? 'null');
  window.__push = { permissionAsked: 0, subscribeKey: saved() };
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    window.__push.permissionAsked += 1;
    return ask(...args);
  };
  const b64url = (bytes) =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const made = (key) => ({
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: key },
    toJSON: () => subscription,
    unsubscribe: async () => { localStorage.removeItem('test.push'); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    window.__push.subscribeKey = b64url(key);
    localStorage.setItem('test.push', JSON.stringify(window.__push.subscribeKey));
    return made(key.buffer);
  };
  PushManager.prototype.getSubscription = async function () {
    const key = saved();
    if (key === null) return null;
    const padded = key.replace(/-/g, '+').replace(/_/g, '/');
    return made(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer);
  };
})();
"""

SHOWN_NOTIFICATIONS_JS = """
async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
}
"""

# A notification click, dispatched in the service worker as the browser would on a tap.
CLICK_NOTIFICATION_JS = """
async () => {
  const [notification] = await self.registration.getNotifications();
  self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
  return notification.data;
}
"""


@pytest.fixture(scope="module")
def push_service() -> Iterator[PushService]:
    """The loopback push service, on its own event loop in a thread beside the sync test."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop = asyncio.Event()
    holder: list[PushService] = []

    async def serve() -> None:
        async with run_push_service() as service:
            holder.append(service)
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(10), "push service did not start"
    yield holder[0]
    loop.call_soon_threadsafe(stop.set)
    thread.join(10)
    loop.close()


def wait_for(what: str, check: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.25)


def check_screen(page: Page, name: str) -> None:
    """Screenshot, no serious axe finding, thumb-sized targets; then the small phone too."""
    screenshot(page, name)
    assert_accessible(page, name)
    page.set_viewport_size({"width": 360, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"{name}-360")
    page.set_viewport_size({"width": 390, "height": 844})


def customer_with_open_promises(api: Api) -> dict[str, Any]:
    for surname in SURNAMES:
        edges = api(
            """query ($q: String!) {
                 customers(search: $q, first: 50) {
                   edges { node { id name openPromises { id } } }
                 }
               }""",
            q=surname,
        )["customers"]["edges"]
        for node in (edge["node"] for edge in edges):
            if node["openPromises"]:
                return dict(node)
    raise AssertionError(f"no customer of {ADVISOR}'s store with an open promise")


def check_in(api: Api, customer_id: str) -> None:
    """The change that raises "customer is here" for the advisor (urgent: no quiet hours)."""
    result = api(
        """mutation ($input: CheckInForServiceInput!) {
             checkInForService(input: $input) { __typename }
           }""",
        input={"customerId": customer_id, "complaint": "首保"},
    )["checkInForService"]
    assert result["__typename"] == "CheckInSuccess", result


def inbox(api: Api) -> list[dict[str, Any]]:
    edges = api(
        "{ inbox(first: 20) { edges { node { id url title readAt pushState pushError } } } }"
    )["inbox"]["edges"]
    return [edge["node"] for edge in edges]


def service_worker_registration(cdp: CDPSession, page: Page) -> str:
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    wait_for("the service worker registration", lambda: page.wait_for_timeout(100) or registrations)
    live = [r for r in registrations if not r["isDeleted"]]
    registration_id: str = live[-1]["registrationId"]
    return registration_id


def delivered(push_service: PushService, browser: BrowserSubscription, count: int) -> ReceivedPush:
    pushes = wait_for(
        f"push #{count} at the push service",
        lambda: (
            len(push_service.delivered_to(browser)) >= count and push_service.delivered_to(browser)
        ),
    )
    push: ReceivedPush = pushes[count - 1]
    return push


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = new_phone_context(browser, base_url)
    context.grant_permissions(["notifications"], origin=base_url)
    yield context
    context.close()


def test_push_opt_in_real_alert_notification_click_opens_the_record(
    phone: BrowserContext, base_url: str, push_service: PushService
) -> None:
    public_key = httpx.post(f"{base_url}/graphql", json={"query": "{ pushPublicKey }"}).json()[
        "data"
    ]["pushPublicKey"]
    assert public_key, "the server has no VAPID key (`baton vapid`)"
    browser_side = push_service.make_subscription(application_server_key=public_key)
    phone.add_init_script(FAKE_PUSH_MANAGER % json.dumps(browser_side.to_json()))
    page = phone.new_page()
    sign_in(page, ADVISOR, language=None)

    # The why comes first; the browser's permission prompt only after the tap.
    page.goto("/settings")
    opt_in = page.get_by_role("button", name="开启推送提醒")
    expect(opt_in).to_be_visible()
    expect(page.get_by_text("在手机上及时收到交车前提醒和客户到店提醒")).to_be_visible()
    assert page.evaluate("window.__push.permissionAsked") == 0
    check_screen(page, "push-settings-zh")
    opt_in.click()
    expect(page.get_by_text("本机已开启推送提醒。")).to_be_visible()
    assert page.evaluate("window.__push.permissionAsked") == 1
    assert page.evaluate("window.__push.subscribeKey") == public_key.rstrip("=")
    expect(page.locator(".device .chip")).to_have_text("本机")
    check_screen(page, "push-settings-zh-on")

    with api_as(base_url, ADVISOR) as api:
        devices = api("{ myDevices { id userAgent pushService } }")["myDevices"]
        assert [d["pushService"] for d in devices] == [push_service.origin]
        assert "Chrome" in devices[0]["userAgent"]  # deviceLabel(): "Linux · Chrome" here

        # A real change raises a real alert; the server's dispatcher pushes it.
        customer = customer_with_open_promises(api)
        check_in(api, customer["id"])
        push = delivered(push_service, browser_side, 1)
        payload = push.json()
        assert set(payload) == {"title", "body", "url", "tag", "alertId", "kind", "count"}
        assert payload["url"] == f"/customers/{customer['id']}"
        assert payload["title"] == f"客户到店：{customer['name']}"
        assert push.headers["urgency"] == "high"

        # The decrypted bytes, as the browser's push service would hand them over.
        cdp = phone.new_cdp_session(page)
        registration_id = service_worker_registration(cdp, page)
        assert push.plaintext is not None
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": base_url,
                "registrationId": registration_id,
                "data": push.plaintext.decode(),
            },
        )
        shown = wait_for("the notification", lambda: page.evaluate(SHOWN_NOTIFICATIONS_JS))
        assert shown == [
            {
                "title": payload["title"],
                "body": payload["body"],
                "tag": payload["tag"],
                "data": {"url": payload["url"], "alertId": payload["alertId"]},
            }
        ]

        # The bell heard of it; the inbox lists it, unread.
        expect(page.locator(".bell-count")).to_be_visible()
        page.locator(".app-header .bell").click()
        expect(page.locator(".alert-unread").first).to_contain_text(customer["name"])
        check_screen(page, "push-inbox-zh")

        # Tapping the notification opens the record in the open app and reads the alert.
        page.goto("/")
        expect(page.locator(".app-header .bell")).to_be_visible()
        worker = wait_for("the service worker", lambda: phone.service_workers)[0]
        worker.evaluate(CLICK_NOTIFICATION_JS)
        page.wait_for_url(f"**{payload['url']}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(customer["name"])
        read = wait_for(
            "the alert read",
            lambda: [a for a in inbox(api) if a["id"] == payload["alertId"] and a["readAt"]],
        )
        assert read
        assert page.evaluate(SHOWN_NOTIFICATIONS_JS) == []

        # A push the service refuses: the inbox entry stays, marked undelivered.
        push_service.answer(browser_side, Reply(status=400))
        check_in(api, customer["id"])
        wait_for(
            "the failed push",
            lambda: [a for a in inbox(api) if a["pushState"] == "FAILED"],
        )
        page.goto("/inbox")
        expect(page.locator(".alert-item").first.locator(".chip-danger")).to_have_text("推送未送达")
        screenshot(page, "push-inbox-undelivered-zh")


def test_inbox_settings_quiet_hours_language_and_devices(
    phone: BrowserContext, base_url: str, push_service: PushService
) -> None:
    browser_side = push_service.make_subscription()
    phone.add_init_script(FAKE_PUSH_MANAGER % json.dumps(browser_side.to_json()))
    page = phone.new_page()
    sign_in(page, ADVISOR, language=None)
    with api_as(base_url, ADVISOR) as api:
        check_in(api, customer_with_open_promises(api)["id"])
        try:
            page.goto("/settings")
            page.get_by_role("button", name="开启推送提醒").click()
            expect(page.get_by_text("本机已开启推送提醒。")).to_be_visible()

            # Quiet hours: saved on the server, as the user typed them.
            page.locator("#quiet-start").fill("22:30")
            page.locator("#quiet-end").fill("07:15")
            page.get_by_role("button", name="保存免打扰时段").click()
            expect(page.get_by_text("已保存：22:30–07:15 不推送")).to_be_visible()
            prefs = api("{ alertPreferences { quietHoursStart quietHoursEnd language } }")
            assert prefs["alertPreferences"]["quietHoursStart"] == "22:30"
            assert prefs["alertPreferences"]["quietHoursEnd"] == "07:15"

            # English on this device, and pushes in English from the server.
            page.get_by_role("button", name="English").click()
            expect(page.get_by_role("heading", name="Settings")).to_be_visible()
            wait_for(
                "the language sent to the server",
                lambda: (
                    api("{ alertPreferences { language } }")["alertPreferences"]["language"] == "en"
                ),
            )
            expect(page.locator(".device .chip")).to_have_text("This device")
            check_screen(page, "push-settings-en")
            page.locator(".app-header .bell").click()
            expect(page.get_by_role("heading", name="Alerts")).to_be_visible()
            expect(page.locator(".alert-item").first).to_be_visible()
            check_screen(page, "push-inbox-en")

            # Mark all read: the bell's count goes.
            page.get_by_role("button", name="Mark all read").click()
            expect(page.locator(".bell-count")).to_have_count(0)
            assert api("{ unreadAlertCount }")["unreadAlertCount"] == 0

            # Removing this device: gone from the API, and the opt-in is offered again.
            page.goto("/settings")
            device = page.locator(".device", has=page.locator(".chip"))
            device.get_by_role("button").click()
            expect(page.get_by_role("button", name="Turn on push alerts")).to_be_visible()
            devices = api("{ myDevices { id } }")["myDevices"]
            assert len(devices) <= 1  # the other test's phone, if it ran first
        finally:
            api(
                """mutation ($input: UpdateAlertPreferencesInput!) {
                     updateAlertPreferences(input: $input) { __typename }
                   }""",
                input={"language": "zh-CN", "quietHoursStart": "21:00", "quietHoursEnd": "08:00"},
            )


def test_permission_denied_is_explained_not_retried(browser: Browser, base_url: str) -> None:
    context = new_phone_context(browser, base_url)
    try:
        page = context.new_page()
        # The browser's answer, and what it then reports, as after a user's "Block".
        page.add_init_script(
            "Notification.requestPermission = async () => {"
            " Object.defineProperty(Notification, 'permission', { get: () => 'denied' });"
            " return 'denied'; };"
        )
        sign_in(page, ADVISOR, language=None)
        page.goto("/settings")
        page.get_by_role("button", name="开启推送提醒").click()
        expect(page.get_by_text("浏览器已阻止本站的通知")).to_be_visible()
        expect(page.get_by_role("button", name="开启推送提醒")).to_have_count(0)
        expect(page.locator(".push-steps li")).to_have_count(3)
        page.get_by_role("button", name="已改为允许，重新检查").click()
        expect(page.get_by_text("浏览器仍在阻止通知")).to_be_visible()
        page.locator("#push-title").scroll_into_view_if_needed()
        at_both_phone_sizes(page, "push-settings-denied-zh")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("language", "title", "turn_on"),
    [
        ("zh-CN", "这台服务器还没有开通推送。", "开启推送提醒"),
        ("en", "Push is not set up on this server.", "Turn on push alerts"),
    ],
)
def test_settings_explain_what_to_do_when_the_server_has_no_push_key(
    browser: Browser,
    base_url: str,
    server_env: dict[str, str],
    language: str,
    title: str,
    turn_on: str,
) -> None:
    key = Path(server_env["BATON_VAPID_PRIVATE_KEY_FILE"])
    # The server reads the key file on each request: without it, pushPublicKey is null.
    hidden = key.with_name(f"{key.name}.away")
    key.rename(hidden)
    context = new_phone_context(browser, base_url)
    try:
        page = context.new_page()
        sign_in(page, ADVISOR, language=language)
        page.goto("/settings")
        card = page.locator("section.settings-card").filter(has=page.locator("#push-title"))
        expect(card).to_contain_text(title)
        expect(card.locator("code")).to_have_text("baton vapid")
        expect(card.get_by_role("button", name=turn_on)).to_have_count(0)
        page.locator("#push-title").scroll_into_view_if_needed()
        at_both_phone_sizes(page, f"push-settings-no-key-{language}")
    finally:
        context.close()
        hidden.rename(key)
