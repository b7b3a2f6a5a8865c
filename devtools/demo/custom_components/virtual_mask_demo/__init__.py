"""Development-only demo: one virtual mask on Home Assistant's radio, in real time.

Loaded only by scripts/develop (and the browser tests), which put devtools/demo on PYTHONPATH and
add `virtual_mask_demo:` to the configuration. It registers a virtual connectable Bluetooth proxy
with Home Assistant's Bluetooth manager, advertises a VirtualMask through it once a second, and
runs the mask's clock in real time, so Home Assistant discovers, pairs with and controls the mask
exactly as it would real hardware. The pressure_mask integration knows nothing of this module.

Services stand in for the person holding the mask: press_button, inject_fault, clear_faults,
factory_reset.
With `demo_login: true` (the default) a fresh configuration is onboarded with the user demo /
password demo, so nobody has to click through onboarding.
"""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components import onboarding
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.start import async_at_started
import probatio

from devtools.virtual_mask import VirtualFault, VirtualMask
from devtools.virtual_proxy import VirtualProxy

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.helpers.typing import ConfigType

_LOGGER = logging.getLogger(__name__)

DOMAIN: Final = "virtual_mask_demo"
CONF_ADDRESS: Final = "address"
CONF_DEMO_LOGIN: Final = "demo_login"
# The mask's name is PMASK- plus the last four hex digits of its address: PMASK-1A2B.
DEFAULT_ADDRESS: Final = "E0:4D:A5:C0:1A:2B"
ADVERTISING_INTERVAL: Final = timedelta(seconds=1)
DEMO_USER: Final = "demo"
DEMO_PASSWORD: Final = "demo"  # noqa: S105  (a documented, local-only demo login)

CONFIG_SCHEMA = probatio.Schema(
    {
        DOMAIN: probatio.Schema(
            {
                probatio.Optional(CONF_ADDRESS, default=DEFAULT_ADDRESS): cv.string,
                probatio.Optional(CONF_DEMO_LOGIN, default=True): cv.boolean,
            }
        )
    },
    extra=probatio.ALLOW_EXTRA,
)

PRESS_BUTTON_SCHEMA = probatio.Schema(
    {
        probatio.Optional("hold_s", default=0.2): probatio.All(
            probatio.Coerce(float), probatio.Range(0.05, 30)
        )
    }
)
INJECT_FAULT_SCHEMA = probatio.Schema(
    {
        probatio.Required("kind"): probatio.In([kind.value for kind in VirtualFault]),
        probatio.Optional("value"): probatio.All(probatio.Coerce(float), probatio.Range(0, 1000)),
    }
)
# The parameter each fault takes, named as VirtualMask.inject_fault expects it.
FAULT_PARAMETER: Final = {
    VirtualFault.OVER_PRESSURE_SPIKE: "mmhg",
    VirtualFault.SLOW_LEAK: "rate_mmhg_s",
    VirtualFault.LOW_BATTERY: "percent",
    VirtualFault.CORRUPT_FRAMES: "count",
}


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Put one virtual mask on the radio and register the demo services."""
    conf = config[DOMAIN]
    proxy = VirtualProxy(hass, source="AA:BB:CC:DE:00:01", name="Virtual mask demo proxy")
    mask = VirtualMask(conf[CONF_ADDRESS].upper())
    _LOGGER.info(
        "Virtual mask %s (%s) is advertising through %s", mask.name, mask.address, proxy.source
    )

    @callback
    def advertise(_now: datetime | None = None) -> None:
        if mask.reachable:
            proxy.advertise(mask)

    clock = hass.async_create_background_task(mask.run_realtime(), f"{DOMAIN} clock")
    stop_advertising = async_track_time_interval(hass, advertise, ADVERTISING_INTERVAL)
    advertise()

    @callback
    def shutdown(_event: Event) -> None:
        stop_advertising()
        clock.cancel()
        proxy.remove()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, shutdown)

    async def press_button(call: ServiceCall) -> None:
        mask.press_button(call.data["hold_s"])
        advertise()

    async def inject_fault(call: ServiceCall) -> None:
        kind = VirtualFault(call.data["kind"])
        params: dict[str, Any] = {}
        if "value" in call.data and kind in FAULT_PARAMETER:
            params[FAULT_PARAMETER[kind]] = call.data["value"]
        mask.inject_fault(kind, **params)
        advertise()

    async def clear_faults(_call: ServiceCall) -> None:
        mask.clear_faults()
        advertise()

    hass.services.async_register(DOMAIN, "press_button", press_button, PRESS_BUTTON_SCHEMA)
    hass.services.async_register(DOMAIN, "inject_fault", inject_fault, INJECT_FAULT_SCHEMA)

    async def factory_reset(_call: ServiceCall) -> None:
        # A new key: Home Assistant's stored key stops working and it asks to pair again.
        mask.factory_reset()
        advertise()

    hass.services.async_register(DOMAIN, "clear_faults", clear_faults)
    hass.services.async_register(DOMAIN, "factory_reset", factory_reset)

    if conf[CONF_DEMO_LOGIN]:
        async_at_started(hass, _async_onboard_demo_user)
    return True


async def _async_onboard_demo_user(hass: HomeAssistant) -> None:
    """Onboard a fresh configuration with the demo user and nothing else.

    The user is created through the onboarding API, as the onboarding page would. The remaining
    steps (location, analytics, integrations) are marked done without running them: their real
    versions add weather and radio integrations that need the internet.
    """
    if onboarding.async_is_onboarded(hass):
        return
    if not onboarding.async_is_user_onboarded(hass):
        base = f"http://127.0.0.1:{hass.http.server_port}"
        user = {
            "client_id": f"{base}/",
            "name": "Demo",
            "username": DEMO_USER,
            "password": DEMO_PASSWORD,
            "language": "en",
        }
        session = async_get_clientsession(hass)
        async with session.post(f"{base}/api/onboarding/users", json=user) as response:
            response.raise_for_status()
    data: onboarding.OnboardingData = hass.data[onboarding.DOMAIN]
    data.steps["done"] = list(onboarding.STEPS)
    await onboarding.OnboardingStorage(
        hass, onboarding.STORAGE_VERSION, onboarding.STORAGE_KEY, private=True
    ).async_save(data.steps)
    data.onboarded = True
    for listener in data.listeners:
        listener()
    _LOGGER.warning(
        "Onboarded this demo configuration: log in as %s / %s", DEMO_USER, DEMO_PASSWORD
    )
