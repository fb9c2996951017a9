"""Browser tests: the real server on a fresh demo database, driven in Debian's Chromium at phone
size. Screenshots land in artifacts/screenshots/ (not committed) to be looked at."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "baton-demo"
# Without these, Chromium keeps trying to reach Google's hosts from a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _baton(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "baton.cli", *args], env=env, check=True, cwd=ROOT)


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: `make test` builds it (npm run build)")
    data = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{data / 'baton.db'}",
        "BATON_FRONTEND_DIST": str(ROOT / "frontend" / "dist"),
        "BATON_VAPID_PRIVATE_KEY_FILE": str(data / "vapid_private.pem"),
        "BATON_PUSH_ALLOW_LOOPBACK": "true",
        "BATON_LOG_LEVEL": "WARNING",
    }
    _baton("migrate", env=env)
    _baton("seed", "--demo", env=env)
    # pushPublicKey is null until the server has a VAPID key pair.
    _baton("vapid", env=env)
    return env


@pytest.fixture(scope="session")
def base_url(server_env: dict[str, str]) -> Iterator[str]:
    """`baton serve` as a user would run it, on a free port of this machine."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "baton.cli", "serve", "--port", str(port)],
        env=server_env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("baton serve did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


# Module scope, not session: the sync API keeps an asyncio loop marked as running on
# the main thread while it is alive, which breaks every pytest-asyncio test that
# runs after it. Closing it at the end of each browser module keeps the suites apart.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def new_phone_context(browser: Browser, base_url: str, locale: str = "zh-CN") -> BrowserContext:
    return browser.new_context(
        base_url=base_url,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
        timezone_id="Asia/Shanghai",
    )


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = new_phone_context(browser, base_url)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
