"""What a person does with the demo, in a real browser: the screenshots and the browser test.

One walk through the real frontend of a DemoInstance, with Playwright driving Debian's Chromium:
log in as demo / demo, find the ESPHome Bluetooth proxy the demo added through the esphome
integration in Settings > Devices, find the mask discovered through it, read the
contraindications, pair it (the virtual mask's button is held through the demo's press_button
service, as a person would hold it), open the device page. Then, in a fresh browser context (empty cache), open the dashboard, whose only
card is the integration's own pressure-mask-card, and do everything through the card's buttons:
Start is refused while the acknowledgement is off (the card says why before and after), the
acknowledgement is given, a session is armed (the card counts down), confirmed on the mask,
the pressure rises on the card, the session is stopped, and a fault is shown with its next step.
Each step checks what the card says and fails with a message saying which step did not happen.
With a screenshot folder, it also saves the pictures the README shows (light and dark, desktop
and phone).
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

    from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Playwright

BROWSERS: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
VIEWPORT: Final = {"width": 1280, "height": 860}
PHONE_VIEWPORT: Final = {"width": 390, "height": 844}
DEVICE_PAGE_HEIGHT: Final = 2000
MASK_NAME: Final = "PMASK-1A2B"
# The emulated ESPHome Bluetooth proxy the demo hears the mask through (its esphome entry).
PROXY_NAME: Final = "Virtual mask demo proxy"
SLUG: Final = "pmask_1a2b"
DASHBOARD_PATH: Final = "/pressure-mask/session"
CARD: Final = "pressure-mask-card"
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

    def login(self, path: str = "", username: str = USERNAME, password: str = PASSWORD) -> None:
        """Log in through the login page, which then opens `path`."""
        self.page.goto(f"{self.base_url}{path}", timeout=LOAD_TIMEOUT_MS)
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
        """The device registry id of the device with this name (None until the frontend has them)."""
        device: str | None = self.page.evaluate(
            "(name) => { const devices = document.querySelector('home-assistant').hass.devices;"
            " const found = Object.values(devices || {}).find("
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
    return fresh_page(browser)


def fresh_page(browser: Browser | None) -> Page:
    """A page in a new browser context: no cookies, no storage, an empty cache."""
    if browser is None:
        msg = "the page has no browser to open a fresh context in"
        raise WalkthroughError(msg)
    return browser.new_context(viewport=VIEWPORT, device_scale_factor=1).new_page()


@dataclass
class ConsoleErrors:
    """What the page reports from now on: uncaught exceptions, and console errors with their URL."""

    uncaught: list[str]
    console: list[str]

    @classmethod
    def record(cls, page: Page) -> ConsoleErrors:
        """Start recording the page's errors."""
        errors = cls([], [])
        page.on("pageerror", lambda error: errors.uncaught.append(str(error)))
        page.on("console", errors._console)
        return errors

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url', '')})")

    def card_errors(self) -> list[str]:
        """Every uncaught exception, and the console errors that name the card or its file."""
        return self.uncaught + [e for e in self.console if "pressure" in e.lower()]


@dataclass
class Card:
    """The pressure-mask-card on the page; Playwright's CSS selectors pierce its shadow DOM."""

    ha: HomeAssistantPage

    def part(self, test_id: str) -> Locator:
        """One of the card's texts (status, readiness, error, pressure, progress)."""
        return self.ha.page.locator(f"{CARD} [data-testid={test_id}]")

    def text(self, test_id: str) -> str:
        """What the card says in that place now ("" when it says nothing there)."""
        part = self.part(test_id)
        return " ".join((part.first.text_content() or "").split()) if part.count() else ""

    def press(self, name: str) -> None:
        """Click one of the card's buttons by its accessible name."""
        self.ha.page.locator(CARD).get_by_role("button", name=name, exact=True).click()

    def says(self, test_id: str, what: str, check: Callable[[str], bool]) -> str:
        """Wait until the card's text there passes check; fail saying what it said instead."""
        seen: list[str] = []

        def passes() -> bool:
            text = self.text(test_id)
            if not seen or seen[-1] != text:
                seen.append(text)
            return check(text)

        try:
            self.ha.wait_until(what, passes)
        except WalkthroughError as err:
            msg = f"{err}; the card's {test_id} said: {seen[-5:]}"
            raise WalkthroughError(msg) from err
        return self.text(test_id)


def find_proxy(ha: HomeAssistantPage) -> None:
    """Settings > Devices lists the ESPHome proxy, a device of a loaded esphome entry."""
    ha.wait_until("the ESPHome proxy's device", lambda: ha.device_id(PROXY_NAME) is not None)
    ha.goto("/config/devices/dashboard")
    ha.expect_visible(ha.page.get_by_text(PROXY_NAME).first, "the proxy in Settings > Devices")
    loaded: bool = ha.page.evaluate(
        "async (name) => { const hass = document.querySelector('home-assistant').hass;"
        " const device = Object.values(hass.devices).find((d) => d.name === name);"
        " const entries = await hass.callWS({type: 'config_entries/get', domain: 'esphome'});"
        " return entries.some((e) => e.state === 'loaded'"
        "   && device.config_entries.includes(e.entry_id)); }",
        PROXY_NAME,
    )
    if not loaded:
        msg = f"{PROXY_NAME} is not the device of a loaded esphome entry"
        raise WalkthroughError(msg)


def find_discovered_mask(ha: HomeAssistantPage, shots: Path | None) -> None:
    """The integrations page shows the mask Home Assistant discovered over Bluetooth."""
    ha.goto("/config/integrations/dashboard")
    ha.expect_visible(ha.page.get_by_text(MASK_NAME).first, f"the discovered {MASK_NAME} card")
    ha.page.wait_for_timeout(1000)
    ha.shoot(shots, "1-discovered")


def pair_mask(ha: HomeAssistantPage, shots: Path | None) -> None:
    """Add the mask: contraindications, hold the button, compare the fingerprint, press, finish."""
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
    # The flow shows the mask's identity fingerprint; it matches the label, so the person
    # presses the mask's button once and submits.
    ha.expect_visible(dialog.get_by_text("fingerprint").first, "the fingerprint step")
    ha.page.wait_for_timeout(500)
    ha.shoot(shots, "3-fingerprint")
    ha.call_service("virtual_mask_demo", "press_button", {"hold_s": 0.2})
    dialog.get_by_role("button", name="Submit").click()
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
    """Everything through the card, in a fresh browser context: refusal, arming, session, fault.

    Returns the pressure the card showed during the session.
    """
    card = Card(ha)
    # The dashboard is the first page this context loads: the card must be defined by then.
    ha.login(DASHBOARD_PATH)
    ha.expect_visible(card.part("status"), "the pressure-mask-card on its first load")
    card.says(
        "readiness",
        "the card saying Start would be refused (no acknowledgement)",
        lambda text: "safety acknowledgement is off" in text,
    )
    card.press("Start")
    card.says(
        "error",
        "the refusal in full in the card",
        lambda text: "Not started: the safety acknowledgement is off" in text,
    )

    switch = ha.page.locator(CARD).get_by_role("switch", name="Safety acknowledgement")
    switch.click()
    ha.wait_until(
        "the acknowledgement shown as given, and Start no longer predicted to be refused",
        lambda: switch.get_attribute("aria-checked") == "true" and card.text("readiness") == "",
    )
    card.press("Start")
    card.says(
        "status",
        "the armed session asking for the mask's button, with the time left",
        lambda text: text.startswith("Press the mask's button to begin (") and "left)" in text,
    )
    ha.shoot(shots, "5-card-armed")
    # The wearer presses the mask's button.
    ha.call_service("virtual_mask_demo", "press_button", {"hold_s": 0.2})
    card.says(
        "status",
        "the warm-up breathing or a zone, step and repetition",
        lambda text: text.startswith(("Breathe in (", "Breathe out (")) or ", step " in text,
    )
    card.says(
        "status",
        "a zone, step and repetition",
        lambda text: ", step " in text and ", repetition " in text,
    )
    card.says(
        "pressure",
        "the card showing the pressure above 10 mmHg against the zone's limit",
        lambda text: _shown_number(text) > 10.0 and "mmHg" in text and "limit" in text,
    )
    card.says("progress", "the session's progress (elapsed, left)", lambda t: "left" in t)
    shown = _shown_number(card.text("pressure"))
    shoot_card(ha, shots)

    card.press("Stop")
    card.says(
        "status",
        "the session stopping (venting, then the cooldown)",
        lambda text: text == "Venting" or text.startswith("Cooling down until"),
    )
    card.says(
        "pressure",
        "the card showing the pressure vented below 5 mmHg",
        lambda text: _shown_number(text) < 5.0,
    )
    card.says(
        "readiness",
        "the card saying Start would be refused until the cooldown ends",
        lambda text: text.startswith("Start would be refused: cooling down until"),
    )
    card.press("Start")
    card.says(
        "error",
        "the cooldown refusal in full, with its numbers",
        lambda text: "Not started: the 20-minute cooldown" in text and "min left)" in text,
    )

    # A pressure spike past the mask's independent hardware trip (45 mmHg), while the link is
    # still up after the session: the mask latches a fault and vents.
    ha.call_service(
        "virtual_mask_demo", "inject_fault", {"kind": "over_pressure_spike", "value": 50}
    )
    card.says(
        "status",
        "the safety fault with its next step",
        lambda text: (
            text.startswith("Safety fault: ") and "turn on the safety acknowledgement again" in text
        ),
    )
    # The fault also revoked the acknowledgement: that is the first reason Start gives now.
    card.says(
        "readiness",
        "the card saying Start would be refused after the fault",
        lambda text: text == "Start would be refused: the safety acknowledgement is off",
    )
    ha.page.wait_for_timeout(1000)  # the bars' transition
    ha.shoot(shots, "7-card-fault")
    return shown


def shoot_card(ha: HomeAssistantPage, shots: Path | None) -> None:
    """The card during the session: light and dark, desktop and phone."""
    if shots is None:
        return
    for name, viewport in (("desktop", VIEWPORT), ("phone", PHONE_VIEWPORT)):
        ha.page.set_viewport_size(viewport)
        for scheme in ("light", "dark"):
            # Home Assistant's default theme follows the system's light or dark mode.
            ha.page.emulate_media(color_scheme=scheme)
            ha.page.wait_for_timeout(1200)
            ha.shoot(shots, f"6-card-{name}-{scheme}")
            if name == "desktop":
                ha.page.locator(CARD).screenshot(path=shots / f"card-{scheme}.png")
    ha.page.emulate_media(color_scheme="light")
    ha.page.set_viewport_size(VIEWPORT)


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
        find_proxy(ha)
        find_discovered_mask(ha, shots)
        pair_mask(ha, shots)
        figures["paired_s"] = time.monotonic() - started
        open_device_page(ha, shots)
        ha = HomeAssistantPage(fresh_page(ha.page.context.browser), ha.base_url)
        errors = ConsoleErrors.record(ha.page)
        figures["pressure_shown_mmhg"] = run_session(ha, shots)
        if card_errors := errors.card_errors():
            msg = f"errors in the browser console during the card's walk: {card_errors}"
            raise WalkthroughError(msg)
        figures["other_console_errors"] = len(errors.console)
    except WalkthroughError:
        ha.page.screenshot(path=Path(tempfile.gettempdir()) / "walkthrough-failure.png")
        raise
    figures["total_s"] = time.monotonic() - started
    return figures
