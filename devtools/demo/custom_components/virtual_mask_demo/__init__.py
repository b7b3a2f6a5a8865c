"""Development-only demo: one virtual mask behind an ESPHome Bluetooth proxy, in real time.

Loaded only by scripts/develop (and the browser tests), which put devtools/demo on PYTHONPATH and
add `virtual_mask_demo:` to the configuration. It runs an emulated ESPHome Bluetooth proxy
(devtools/esphome_proxy.py) on a loopback port and adds it through Home Assistant's own,
unmodified `esphome` integration, as a person adds a proxy (ESPHome: host and port), so the
mask's traffic takes the path of a real installation: aioesphomeapi, bleak-esphome's scanner and
client, habluetooth. The proxy hears a VirtualMask, forwards its advertisement once a second, and
the mask's clock runs in real time, so Home Assistant discovers, pairs with and controls the mask
exactly as it would real hardware behind a proxy. The pressure_mask integration knows nothing of
this module.

The proxy's esphome entry is added once, when Home Assistant has started; on later starts the
proxy listens on the port that entry stores (another free port, and the entry follows, if
something else took it).

Services stand in for the person holding the mask: press_button, inject_fault, clear_faults,
factory_reset.
With `demo_login: true` (the default) a fresh configuration is onboarded with the user demo /
password demo, so nobody has to click through onboarding.
"""

from __future__ import annotations

from datetime import timedelta
import hashlib
import logging
from typing import TYPE_CHECKING, Any, Final

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from homeassistant.components import onboarding
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PORT, EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.start import async_at_started
import probatio

from devtools.esphome_proxy import EsphomeProxy
from devtools.virtual_mask import VirtualFault, VirtualMask, unregister_virtual_mask

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.helpers.typing import ConfigType

_LOGGER = logging.getLogger(__name__)

DOMAIN: Final = "virtual_mask_demo"
ESPHOME: Final = "esphome"
CONF_ADDRESS: Final = "address"
CONF_DEMO_LOGIN: Final = "demo_login"
# The mask's name is PMASK- plus the last four hex digits of its address: PMASK-1A2B.
DEFAULT_ADDRESS: Final = "E0:4D:A5:C0:1A:2B"
# The proxy's Wi-Fi MAC (its esphome entry's unique id); it scans as AA:BB:CC:DE:00:01.
PROXY_MAC: Final = "AA:BB:CC:DE:00:00"
PROXY_NAME: Final = "virtual-mask-proxy"
PROXY_FRIENDLY_NAME: Final = "Virtual mask demo proxy"
PROXY_HOST: Final = "127.0.0.1"
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
    """Put one virtual mask behind an ESPHome proxy and register the demo services."""
    conf = config[DOMAIN]
    address = conf[CONF_ADDRESS].upper()
    # The same identity on every start, like a real mask's (its fingerprint is on the "label").
    identity = X25519PrivateKey.from_private_bytes(
        hashlib.sha256(b"virtual mask demo identity " + address.encode()).digest()
    )
    mask = VirtualMask(address, identity_key=identity)
    proxy = EsphomeProxy(name=PROXY_NAME, friendly_name=PROXY_FRIENDLY_NAME, mac=PROXY_MAC)
    # Listening before the esphome integration's first connection attempt (it sets up the
    # stored entry in the same bootstrap stage, after its own dependencies).
    await _async_listen(hass, proxy)
    proxy.hear(mask)
    _LOGGER.info(
        "Virtual mask %s (%s) is in range of the ESPHome proxy %s at %s:%s; the fingerprint on "
        "its label is %s",
        mask.name,
        mask.address,
        PROXY_FRIENDLY_NAME,
        PROXY_HOST,
        proxy.port,
        mask.fingerprint,
    )

    @callback
    def advertise(_now: datetime | None = None) -> None:
        if mask.reachable:
            proxy.advertise(mask)

    clock = hass.async_create_background_task(mask.run_realtime(), f"{DOMAIN} clock")
    stop_advertising = async_track_time_interval(hass, advertise, ADVERTISING_INTERVAL)

    async def shutdown(_event: Event) -> None:
        # At close, after the esphome integration said goodbye (the proxy then dropped the
        # mask's link, and the mask vented) and the mask's entry was shut down.
        stop_advertising()
        clock.cancel()
        await proxy.stop()
        unregister_virtual_mask(mask)

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_CLOSE, shutdown)

    async def at_started(hass: HomeAssistant) -> None:
        await _async_add_proxy_entry(hass, proxy)
        if conf[CONF_DEMO_LOGIN]:
            await _async_onboard_demo_user(hass)

    async_at_started(hass, at_started)

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
        # Every key slot is cleared: Home Assistant's key stops working, it asks to pair again.
        mask.factory_reset()
        advertise()

    hass.services.async_register(DOMAIN, "clear_faults", clear_faults)
    hass.services.async_register(DOMAIN, "factory_reset", factory_reset)

    return True


def _proxy_entry(hass: HomeAssistant) -> ConfigEntry | None:
    """The esphome entry of the demo's proxy (unique id: its MAC), once it was added."""
    return hass.config_entries.async_entry_for_domain_unique_id(ESPHOME, format_mac(PROXY_MAC))


async def _async_listen(hass: HomeAssistant, proxy: EsphomeProxy) -> None:
    """Open the proxy's port: the one its esphome entry stores, else a free one."""
    if (entry := _proxy_entry(hass)) is not None:
        try:
            await proxy.start(entry.data[CONF_PORT])
        except OSError as err:
            _LOGGER.warning(
                "Port %s of the demo proxy is taken (%s); it moves to a free port",
                entry.data[CONF_PORT],
                err,
            )
        else:
            return
    await proxy.start()


async def _async_add_proxy_entry(hass: HomeAssistant, proxy: EsphomeProxy) -> None:
    """Add the proxy through the esphome config flow, or point its entry at the new port."""
    if (entry := _proxy_entry(hass)) is not None:
        if entry.data[CONF_PORT] != proxy.port:
            hass.config_entries.async_update_entry(
                entry, data={**entry.data, CONF_PORT: proxy.port}
            )
            await hass.config_entries.async_reload(entry.entry_id)
        return
    # What a person does: Settings > Devices & services > Add integration > ESPHome, the host
    # and the port (no encryption key: the emulated proxy speaks plaintext).
    result = await hass.config_entries.flow.async_init(
        ESPHOME,
        context={"source": SOURCE_USER},
        data={CONF_HOST: PROXY_HOST, CONF_PORT: proxy.port},
    )
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        _LOGGER.error("Could not add the demo's ESPHome proxy: %s", result)
        return
    _LOGGER.info(
        "Added the ESPHome Bluetooth proxy %s (%s:%s) through the ESPHome integration",
        PROXY_FRIENDLY_NAME,
        PROXY_HOST,
        proxy.port,
    )


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
