"""End to end through the real frontend: what a person with the demo does, in headless Chromium.

A throwaway Home Assistant runs the development configuration with the virtual mask behind an
emulated ESPHome Bluetooth proxy, added through Home Assistant's own esphome integration and
discovered through it like hardware. The walkthrough logs in, finds the proxy in Settings >
Devices, adds the discovered mask through the UI (contraindications, pairing by holding the mask's button). Then a
fresh browser context (empty cache) opens the dashboard, whose card is the integration's own
pressure-mask-card, on its first load, and everything goes through the card's buttons, checking
what the card says at each step: Start refused in full while the acknowledgement is off, the
acknowledgement given, arming with the time left, the mask's button, zone, step and repetition,
the pressure rising against the zone's limit, Stop, the cooldown refusal, and a fault with its
next step; no errors from the card in the browser console. The same walkthrough takes the README
screenshots (scripts/screenshots).

Skipped, with the reason, where Playwright or a Chromium is missing: scripts/install_browser
installs Debian's chromium (scripts/test runs it first). PM_SKIP_BROWSER=1 skips it on purpose.
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (it is in requirements_test.txt)"
)

from playwright.sync_api import sync_playwright

from devtools.demo.instance import DemoInstance
from devtools.demo.walkthrough import (
    HomeAssistantPage,
    WalkthroughError,
    find_browser,
    launch,
    run,
)


@pytest.fixture
def chromium() -> str:
    """The system Chromium, or a skip saying how to get one."""
    if os.environ.get("PM_SKIP_BROWSER"):
        pytest.skip("PM_SKIP_BROWSER is set")
    executable = find_browser()
    if executable is None:
        pytest.skip(
            "No Chromium on PATH: scripts/install_browser installs Debian's chromium "
            "(it needs root and apt-get, or a rootfs environment)"
        )
    return executable


def test_pair_and_run_a_session_in_the_browser(chromium: str, socket_enabled: None) -> None:
    """Discovered, paired through the UI, then a whole session through the card's own buttons."""
    with DemoInstance() as instance, sync_playwright() as playwright:
        page = launch(playwright, chromium)
        try:
            figures = run(HomeAssistantPage(page, instance.url))
        except WalkthroughError as err:
            pytest.fail(f"{err}\n\nHome Assistant's log ends with:\n{instance.log_tail()}")
    assert figures["pressure_shown_mmhg"] > 5.0
