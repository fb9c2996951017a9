"""Installable: Chromium finds nothing missing (manifest, icons, service worker with a fetch
handler). Only a persistent profile reports installability; an incognito context never does."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE


@pytest.fixture
def profile(playwright: Playwright, base_url: str, tmp_path: Path) -> Iterator[BrowserContext]:
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        base_url=base_url,
        viewport=PHONE,
        locale="zh-CN",
    )
    yield context
    context.close()


def test_chromium_reports_no_installability_errors(profile: BrowserContext) -> None:
    page = profile.new_page()
    page.goto("/login")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    # Installability needs the page controlled by the worker: a reload once it is active.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    cdp = profile.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    result = cdp.send("Page.getInstallabilityErrors")
    assert result["installabilityErrors"] == [], result["installabilityErrors"]
