"""What a person does with the demo, in a real browser: the screenshots and the browser test.

One walk through the real frontend of a DemoInstance, with Playwright driving Debian's Chromium:
log in as demo / demo, find the discovered mask, read the contraindications, pair it (the virtual
mask's button is held through the demo's press_button service, as a person would hold it), open
the device page, turn on the safety acknowledgement on the dashboard, start a session, confirm it
on the mask, watch the pressure rise, and stop it. Each step checks what the page shows and fails
with a message saying which step did not happen. With a screenshot folder, it also saves the
pictures the README shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import shutil
import tempfile
import time
from typing import TYPE_CHECKING, Any, Final

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from devtools.demo.instance import PASSWORD, USERNAME

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Locator, Page, Playwright

BROWSERS: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
VIEWPORT: Final = {"width": 1280, "height": 860}
DEVICE_PAGE_HEIGHT: Final = 2000
MASK_NAME: Final = "PMASK-1A2B"
SLUG: Final = "pmask_1a2b"
DASHBOARD_PATH: Final = "/pressure-mask/session"
# The acknowledgement switch's entity id comes from its name (the statement the person makes).
ACKNOWLEDGEMENT_KEY: Final = "i_have_read_the_contraindications_and_i_am_fit_for_a_session"
# The frontend is large; a cold load on two cores takes a while.
LOAD_TIMEOUT_MS: Final = 90_000
STEP_TIMEOUT_S: Final = 60.0


class WalkthroughError(AssertionError):
    """A step of the walkthrough did not happen; the message says which."""


def find_browser() -> str | None:
    """The path of a system Chromium, or None."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    return None


def entity_id(domain: str, key: str) -> str:
    """The entity id Home Assistant generates for the demo mask."""
    return f"{domain}.{SLUG}_{key}"


@dataclass
class HomeAssistantPage:
    """A logged-in browser tab on a Home Assistant instance."""

    page: Page
    base_url: str

    def goto(self, path: str) -> None:
        """Open a frontend path and wait until the frontend is connected."""
        self.page.goto(f"{self.base_url}{path}", timeout=LOAD_TIMEOUT_MS)
        self.wait_for_frontend()

    def login(self, username: str = USERNAME, password: str = PASSWORD) -> None:
        """Log in through the login page."""
        self.page.goto(self.base_url, timeout=LOAD_TIMEOUT_MS)
        self.page.get_by_role("textbox", name="Username").fill(username)
        self.page.get_by_role("textbox", name="Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.wait_for_frontend()

    def wait_for_frontend(self) -> None:
        """Wait until the frontend has its connection and the states."""
        self.page.wait_for_function(
            "() => { const ha = document.querySelector('home-assistant');"
            " return !!(ha && ha.hass && ha.hass.connected && ha.hass.states); }",
            timeout=LOAD_TIMEOUT_MS,
        )

    def call_service(self, domain: str, service: str, data: dict[str, Any] | None = None) -> None:
        """Call a service through the frontend's own connection."""
        self.page.evaluate(
            "([domain, service, data]) =>"
            " document.querySelector('home-assistant').hass.callService(domain, service, data)",
            [domain, service, data or {}],
        )

    def state(self, entity: str) -> dict[str, Any] | None:
        """The entity's state object as the frontend has it, or None."""
        state: dict[str, Any] | None = self.page.evaluate(
            "(id) => document.querySelector('home-assistant').hass.states[id] || null", entity
        )
        return state

    def device_id(self, name: str) -> str | None:
        """The device registry id of the device with this name."""
        device: str | None = self.page.evaluate(
            "(name) => { const devices = document.querySelector('home-assistant').hass.devices;"
            " const found = Object.values(devices).find("
            "   (d) => d.name_by_user === name || d.name === name);"
            " return found ? found.id : null; }",
            name,
        )
        return device

    def wait_until(
        self, what: str, check: Callable[[], bool], timeout_s: float = STEP_TIMEOUT_S
    ) -> None:
        """Poll check() until it is true, or fail saying what did not happen."""
        deadline = time.monotonic() + timeout_s
        while not check():
            if time.monotonic() > deadline:
                msg = f"{what}: not seen within {timeout_s:.0f} s (page {self.page.url})"
                raise WalkthroughError(msg)
            self.page.wait_for_timeout(250)

    def expect_visible(self, locator: Locator, what: str) -> None:
        """Wait for the locator to be visible, or fail saying what did not appear."""
        try:
            locator.wait_for(state="visible", timeout=STEP_TIMEOUT_S * 1000)
        except PlaywrightTimeoutError as err:
            msg = f"{what}: not shown within {STEP_TIMEOUT_S:.0f} s (page {self.page.url})"
            raise WalkthroughError(msg) from err

    def shoot(self, folder: Path | None, name: str) -> None:
        """Save a screenshot of the page when a folder is given."""
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=folder / f"{name}.png")


def launch(playwright: Playwright, executable: str) -> Page:
    """A fresh page in headless Chromium."""
    browser = playwright.chromium.launch(
        executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
    )
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    return context.new_page()


def _float_state(ha: HomeAssistantPage, entity: str) -> float:
    state = ha.state(entity)
    try:
        return float(state["state"]) if state else 0.0
    except ValueError:
        return 0.0


def _entity_state(ha: HomeAssistantPage, entity: str) -> str | None:
    return (ha.state(entity) or {}).get("state")


def find_discovered_mask(ha: HomeAssistantPage, shots: Path | None) -> None:
    """The integrations page shows the mask Home Assistant discovered over Bluetooth."""
    ha.goto("/config/integrations/dashboard")
    ha.expect_visible(ha.page.get_by_text(MASK_NAME).first, f"the discovered {MASK_NAME} card")
    ha.page.wait_for_timeout(1000)
    ha.shoot(shots, "1-discovered")


def pair_mask(ha: HomeAssistantPage, shots: Path | None) -> None:
    """Add the mask: read the contraindications, hold the mask's button, finish."""
    card = ha.page.locator("ha-config-flow-card").filter(has_text=MASK_NAME)
    card.get_by_role("button", name="Add").first.click()
    dialog = ha.page.locator("dialog-data-entry-flow")
    ha.expect_visible(dialog.get_by_text("blood clots").first, "the contraindications step")
    ha.page.wait_for_timeout(500)
    ha.shoot(shots, "2-contraindications")
    dialog.get_by_role("button", name="Submit").click()

    ha.expect_visible(dialog.get_by_text("pairing mode").first, "the pairing step")
    ha.page.wait_for_timeout(500)
    ha.shoot(shots, "3-pairing")
    # The person holds the mask's button; the flow sees the pairing-mode advertisement.
    ha.call_service("virtual_mask_demo", "press_button", {"hold_s": 3.5})
    finish = dialog.get_by_role("button", name="Finish")
    ha.expect_visible(finish, "the end of pairing (the Finish button)")
    finish.click()


def open_device_page(ha: HomeAssistantPage, shots: Path | None) -> None:
    """The device page lists the mask's sensors and controls."""
    ha.wait_until("the mask's device", lambda: ha.device_id(MASK_NAME) is not None)
    # A tall window, so the picture shows every card (full-page capture would cut the sidebar).
    ha.page.set_viewport_size({"width": VIEWPORT["width"], "height": DEVICE_PAGE_HEIGHT})
    ha.goto(f"/config/devices/device/{ha.device_id(MASK_NAME)}")
    ha.expect_visible(ha.page.get_by_text("Pressure").first, "the device page's sensors")
    ha.page.wait_for_timeout(2000)
    ha.shoot(shots, "4-device")
    ha.page.set_viewport_size(VIEWPORT)


def run_session(ha: HomeAssistantPage, shots: Path | None) -> float:
    """On the dashboard: acknowledge, start, confirm on the mask, see the pressure, stop.

    Returns the pressure the dashboard showed during the session.
    """
    ha.goto(DASHBOARD_PATH)
    acknowledgement = entity_id("switch", ACKNOWLEDGEMENT_KEY)
    row = ha.page.locator("hui-toggle-entity-row").filter(has_text="Safety acknowledgement")
    ha.expect_visible(row, "the safety acknowledgement on the dashboard")
    row.locator("ha-entity-toggle").click()
    ha.wait_until(
        "the safety acknowledgement turning on",
        lambda: _entity_state(ha, acknowledgement) == "on",
    )
    ha.page.locator("hui-button-card").filter(has_text="Start").click()
    phase = entity_id("sensor", "phase")
    ha.wait_until(
        "the session arming or starting",
        lambda: _entity_state(ha, phase) in {"armed", "inflating", "holding", "releasing"},
    )
    if _entity_state(ha, phase) == "armed":
        # Button confirmation (the default): the wearer presses the mask's button.
        ha.call_service("virtual_mask_demo", "press_button", {"hold_s": 0.2})
    pressure = entity_id("sensor", "pressure")
    ha.wait_until("the pressure rising above 5 mmHg", lambda: _float_state(ha, pressure) > 5.0)
    # The number the gauge draws (inside its shadow DOM, which Playwright's CSS pierces).
    gauge_value = ha.page.locator("hui-gauge-card .value-text")
    ha.wait_until(
        "the gauge showing the pressure above 10 mmHg",
        lambda: _shown_number(gauge_value.text_content() or "") > 10.0,
    )
    shown = _shown_number(gauge_value.text_content() or "")
    ha.shoot(shots, "5-dashboard-session")

    ha.page.locator("hui-button-card").filter(has_text="Stop").click()
    session_active = entity_id("binary_sensor", "session_active")
    ha.wait_until("the session stopping", lambda: _entity_state(ha, session_active) == "off")
    ha.wait_until("the pressure venting", lambda: _float_state(ha, pressure) < 5.0)
    return shown


def _shown_number(text: str) -> float:
    """The first number in a card's text (the gauge shows e.g. "23 mmHg")."""
    for word in text.replace(",", ".").split():
        try:
            return float(word)
        except ValueError:
            continue
    return 0.0


def run(ha: HomeAssistantPage, shots: Path | None = None) -> dict[str, float]:
    """Walk through pairing and one session; returns figures (timings, the pressure seen)."""
    started = time.monotonic()
    figures: dict[str, float] = {}
    try:
        ha.login()
        figures["login_s"] = time.monotonic() - started
        find_discovered_mask(ha, shots)
        pair_mask(ha, shots)
        figures["paired_s"] = time.monotonic() - started
        open_device_page(ha, shots)
        figures["pressure_shown_mmhg"] = run_session(ha, shots)
    except WalkthroughError:
        ha.page.screenshot(path=Path(tempfile.gettempdir()) / "walkthrough-failure.png")
        raise
    figures["total_s"] = time.monotonic() - started
    return figures
