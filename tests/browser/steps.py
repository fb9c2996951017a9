"""Steps the browser tests share: signing in on the page, talking to the real API as a user,
and the checks every screen must pass (axe-core, thumb-sized targets)."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DEMO_PASSWORD, ROOT, screenshot

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

# Visible things a finger presses; a radio, checkbox or file input is pressed through its label.
SMALL_TARGETS_JS = """
() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, textarea, select')) {
    const viaLabel = ['radio', 'checkbox', 'file'].includes(el.type);
    const target = viaLabel ? (el.closest('label') ?? el.labels?.[0] ?? el) : el;
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

SEARCH_QUERY = """
query ($search: String!) {
  customers(search: $search, first: 50) {
    edges { node { id name phone vehicles { id vin plate } } }
  }
}
"""

VISITS_QUERY = """
query ($id: ID!) { customer(id: $id) { serviceVisits(first: 50) { id complaint mileageKm } } }
"""

OPEN_PROMISES_QUERY = """
query ($id: ID!) { customer(id: $id) { openPromises { description entitlementRemaining } } }
"""


class Api:
    """GraphQL over HTTP with a user's session cookie, as the page would send it."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def visits(self, customer_id: str) -> list[dict[str, Any]]:
        visits: list[dict[str, Any]] = self(VISITS_QUERY, id=customer_id)["customer"][
            "serviceVisits"
        ]
        return visits


@contextmanager
def api_as(base_url: str, username: str) -> Iterator[Api]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        api = Api(client)
        login = api(
            "mutation ($input: LoginInput!) { login(input: $input) { __typename } }",
            input={"login": username, "password": DEMO_PASSWORD},
        )
        assert login["login"]["__typename"] == "LoginSuccess"
        yield api


def customer_with_unique_phone_ending(api: Api, fragment: str = "张") -> dict[str, Any]:
    """A demo customer with a vehicle whose last four phone digits find only them."""
    edges = api(SEARCH_QUERY, search=fragment)["customers"]["edges"]
    for node in (edge["node"] for edge in edges):
        ending = node["phone"][-4:]
        matches = api(SEARCH_QUERY, search=ending)["customers"]["edges"]
        if node["vehicles"] and len(matches) == 1:
            return dict(node)
    raise AssertionError("no demo customer with a unique phone ending")


def give_entitlement(base_url: str, customer_id: str, description: str) -> None:
    """A sales consultant sells a service package: an entitlement the advisor must see."""
    with api_as(base_url, "sales.a") as sales:
        order = sales(
            """mutation ($input: CreateOrderInput!) {
                 createOrder(input: $input) {
                   __typename ... on OrderSuccess { order { id } }
                 }
               }""",
            input={"customerId": customer_id, "modelName": "Model Y 长续航"},
        )["createOrder"]
        assert order["__typename"] == "OrderSuccess", order
        added = sales(
            """mutation ($input: AddPromiseInput!) {
                 addPromise(input: $input) { __typename }
               }""",
            input={
                "orderId": order["order"]["id"],
                "terms": {
                    "category": "SERVICE_PACKAGE",
                    "description": description,
                    "due": "ENTITLEMENT",
                    "entitlementTotal": 6,
                    "entitlementValidUntil": "2099-12-31",
                },
            },
        )["addPromise"]
        assert added["__typename"] == "PromiseSuccess", added


def entitlement_remaining(api: Api, customer_id: str, description: str) -> int:
    promises = api(OPEN_PROMISES_QUERY, id=customer_id)["customer"]["openPromises"]
    (remaining,) = [p["entitlementRemaining"] for p in promises if p["description"] == description]
    return int(remaining)


def sign_in(page: Page, username: str, language: str | None = "zh-CN") -> None:
    """Signed in with the UI in `language`, whatever another test left in the user's profile;
    `None` leaves the language to the app, for tests that switch it themselves."""
    if language is not None:
        page.add_init_script(f"localStorage.setItem('baton.language', '{language}')")
    page.goto("/login")
    page.locator("#login-login").fill(username)
    page.locator("#login-password").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page.locator("nav.nav-bar")).to_be_visible()
    page.wait_for_url("**/")


def at_both_phone_sizes(page: Page, name: str) -> None:
    """Photograph the screen at 360x640 and 390x844, checking it at each (axe, targets)."""
    for width, height in ((360, 640), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")
        assert_accessible(page, f"{name} {width}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"


def axe_serious(page: Page) -> list[str]:
    """axe-core from npm, in the page: its critical and serious violations, described."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the driver, not added as a <script>: the app's CSP allows no inline
        # script, and the test must not loosen it.
        page.evaluate(AXE.read_text() + "\n;undefined")
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, { resultTypes: ['violations'] })"
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def small_targets(page: Page) -> list[str]:
    """What a thumb would miss: visible controls under 44x44 px."""
    small: list[str] = page.evaluate(SMALL_TARGETS_JS)
    return small


def assert_accessible(page: Page, name: str) -> None:
    serious = axe_serious(page)
    assert not serious, f"{name}: {serious}"
    small = small_targets(page)
    assert not small, f"{name}: targets under 44 px: {small}"


def check_in(base_url: str, customer_id: str, complaint: str) -> str:
    """The advisor checks the customer in through the API, as a queued offline check-in lands
    once synced; returns the visit's ID."""
    with api_as(base_url, "advisor.a") as advisor:
        result = advisor(
            """mutation ($input: CheckInForServiceInput!) {
                 checkInForService(input: $input) {
                   __typename ... on CheckInSuccess { visit { id } }
                 }
               }""",
            input={"customerId": customer_id, "complaint": complaint},
        )["checkInForService"]
    assert result["__typename"] == "CheckInSuccess", result
    visit_id: str = result["visit"]["id"]
    return visit_id


MY_TASKS_QUERY = """{ myTasks {
  overdue { id kind dueAt details customer { id name } }
  today { id kind dueAt details customer { id name } }
  upcoming { id kind dueAt details customer { id name } }
} }"""


def my_tasks(api: Api) -> list[dict[str, Any]]:
    buckets = api(MY_TASKS_QUERY)["myTasks"]
    return [task for name in ("overdue", "today", "upcoming") for task in buckets[name]]


def customer_named(api: Api, name: str) -> dict[str, Any]:
    (node,) = [
        edge["node"]
        for edge in api(SEARCH_QUERY, search=name)["customers"]["edges"]
        if edge["node"]["name"] == name
    ]
    return dict(node)


LINES_JS = """
el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const style = getComputedStyle(el);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
  return Math.round(range.getBoundingClientRect().height / line);
}
"""


def text_lines(control: Locator) -> int:
    """How many lines a control's words take (a label that wraps takes two)."""
    lines: int = control.evaluate(LINES_JS)
    return lines


def no_horizontal_overflow(page: Page) -> bool:
    overflow: bool = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    return overflow


# Orders through the promise checklist, as sales and delivery make them over the API.

MATS = "全车脚垫与后备箱垫"

ORDERS_QUERY = """
query ($search: String!) {
  customers(search: $search, first: 5) {
    edges { node { id name orders { id status checklistVersion } } }
  }
}
"""

ORDER_QUERY = """
query ($id: ID!) {
  node(id: $id) {
    ... on Order {
      status checklistVersion
      currentSignature { checklistVersion signerName pointCount }
      promises { description status deferredTo }
      delivery { status customerIssues }
    }
  }
}
"""


def demo_order(base_url: str, customer_name: str) -> tuple[str, str]:
    """The seeded customer of store A and their one order (demo/orders.py)."""
    with api_as(base_url, "sales.a") as call:
        edges = call(ORDERS_QUERY, search=customer_name)["customers"]["edges"]
    nodes = [e["node"] for e in edges if e["node"]["name"] == customer_name]
    assert len(nodes) == 1, edges
    return nodes[0]["id"], nodes[0]["orders"][0]["id"]


ORDER_VERSION_QUERY = """
query ($id: ID!) { node(id: $id) { ... on Order { version checklistVersion } } }
"""

STROKES = "[[[12,40,0],[30,22,40],[52,44,80],[70,20,120]],[[80,30,300],[96,34,340]]]"


def succeeded(api: Api, field: str, selection: str = "", **input: Any) -> dict[str, Any]:
    """Runs mutation `field` with `input` and insists on its success member."""
    input_type = f"{field[0].upper()}{field[1:]}Input"
    mutation = f"mutation ($input: {input_type}!) {{ {field}(input: $input) {{ __typename "
    payload: dict[str, Any] = api(f"{mutation}{selection} }} }}", input=input)[field]
    assert payload["__typename"].endswith("Success"), payload
    return payload


def at_handover(description: str) -> dict[str, Any]:
    return {"category": "GIFT_ACCESSORY", "description": description, "due": "AT_HANDOVER"}


def due_later(description: str) -> dict[str, Any]:
    """Due by a date a month after the handover: pending at handover without blocking it."""
    due_on = (date.today() + timedelta(days=33)).isoformat()
    return {"category": "OTHER", "description": description, "due": "BY_DATE", "dueOn": due_on}


def draft_order(
    sales: Api, terms: Sequence[dict[str, Any]], *, delivery_in_days: int | None = 3
) -> tuple[dict[str, Any], str]:
    """A new draft order of store A with these promises, for a customer the phone finds."""
    customer = customer_with_unique_phone_ending(sales, "周")
    planned = None
    if delivery_in_days is not None:
        planned = (date.today() + timedelta(days=delivery_in_days)).isoformat()
    created = succeeded(
        sales,
        "createOrder",
        "... on OrderSuccess { order { id } }",
        customerId=customer["id"],
        modelName="Model 3 后轮驱动",
        plannedDeliveryDate=planned,
    )
    order_id: str = created["order"]["id"]
    for promise in terms:
        succeeded(sales, "addPromise", orderId=order_id, terms=promise)
    return customer, order_id


def customer_signs(sales: Api, order_id: str, signer: str) -> None:
    """The customer signs the list's current version (strokes made up, as the pad sends them)."""
    versions = sales(ORDER_VERSION_QUERY, id=order_id)["node"]
    succeeded(
        sales,
        "signChecklist",
        orderId=order_id,
        checklistVersion=versions["checklistVersion"],
        signerName=signer,
        strokes=STROKES,
    )


def submitted_order_blocked_by(base_url: str, description: str, *later: str) -> tuple[str, str]:
    """A new order of store A, signed and submitted, whose first promise is due at handover
    (the rest, `later`, a month after it)."""
    with api_as(base_url, "delivery.a") as delivery:
        delivery_id = delivery("query { me { id } }")["me"]["id"]
    with api_as(base_url, "sales.a") as sales:
        terms = [at_handover(description), *(due_later(d) for d in later)]
        customer, order_id = draft_order(sales, terms)
        customer_signs(sales, order_id, customer["name"])
        versions = sales(ORDER_VERSION_QUERY, id=order_id)["node"]
        succeeded(
            sales,
            "submitOrder",
            orderId=order_id,
            version=versions["version"],
            deliverySpecialistId=delivery_id,
        )
    return customer["id"], order_id


def order_state(base_url: str, order_id: str) -> dict[str, Any]:
    with api_as(base_url, "manager.a") as call:
        node: dict[str, Any] = call(ORDER_QUERY, id=order_id)["node"]
        return node


def draw_signature(page: Page) -> None:
    """Two strokes with a finger-like mouse drag across the pad."""
    pad = page.get_by_test_id("signature-pad")
    expect(pad).to_be_visible()
    box = pad.bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.15, y + h * 0.6)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(x + w * (0.15 + i * 0.02), y + h * (0.6 - 0.25 * ((i % 4) / 3)), steps=2)
    page.mouse.up()
    page.mouse.move(x + w * 0.6, y + h * 0.35)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + w * (0.6 + i * 0.025), y + h * (0.35 + i * 0.03), steps=2)
    page.mouse.up()
