"""The demo (scripts/develop) without a browser: the virtual mask behind an ESPHome proxy.

virtual_mask_demo is set up as scripts/develop loads it (devtools/demo on the import path); it
runs the emulated ESPHome proxy and adds it through Home Assistant's own esphome config flow.
The browser test walks the same demo in Chromium; this one needs no browser and runs in the
gate everywhere.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING

from homeassistant.components import bluetooth
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pressure_mask.const import DOMAIN
from devtools.demo.instance import DEMO_PATH

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant

pytestmark = pytest.mark.usefixtures("socket_enabled", "mock_async_zeroconf", "enable_bluetooth")

DEMO_MASK_ADDRESS = "E0:4D:A5:C0:1A:2B"
DEMO_PROXY_MAC = "aa:bb:cc:de:00:00"
DEMO_PROXY_SCANNER = "AA:BB:CC:DE:00:01"


async def until(condition: Callable[[], bool], *, rounds: int = 100_000) -> None:
    """Run the loop until what the sockets deliver has happened (counted in loop iterations: the
    demo's clock is a background task that never ends, so Home Assistant is never idle)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
    assert condition(), "the awaited condition never came true"


@pytest.fixture
def demo_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """custom_components.virtual_mask_demo importable, as scripts/develop's PYTHONPATH makes it."""
    monkeypatch.syspath_prepend(str(DEMO_PATH))


@pytest.mark.usefixtures("demo_on_path")
async def test_the_demo_mask_is_discovered_through_an_esphome_proxy(hass: HomeAssistant) -> None:
    """The demo adds its proxy as an esphome entry over loopback, a device in Settings >
    Devices, and Home Assistant discovers the mask through that proxy's scanner."""
    # The esphome integration's assist pipeline needs the core integration, as on an instance.
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass, "virtual_mask_demo", {"virtual_mask_demo": {"demo_login": False}}
    )

    def proxy_entry_loaded() -> bool:
        entry = hass.config_entries.async_entry_for_domain_unique_id("esphome", DEMO_PROXY_MAC)
        return entry is not None and entry.state is ConfigEntryState.LOADED

    await until(proxy_entry_loaded)
    entry = hass.config_entries.async_entry_for_domain_unique_id("esphome", DEMO_PROXY_MAC)
    assert entry is not None
    assert entry.data[CONF_HOST] == "127.0.0.1"
    assert entry.data[CONF_PORT] > 0
    registry = dr.async_get(hass)
    # The esphome integration registers the device once it is connected to the proxy.
    await until(lambda: bool(dr.async_entries_for_config_entry(registry, entry.entry_id)))
    devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
    assert [device.name for device in devices] == ["Virtual mask demo proxy"]
    assert devices[0].manufacturer == "Espressif"

    await until(lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))
    service_info = bluetooth.async_last_service_info(hass, DEMO_MASK_ADDRESS, connectable=True)
    assert service_info is not None
    assert service_info.name == "PMASK-1A2B"
    assert service_info.source == DEMO_PROXY_SCANNER
    # That source is bleak-esphome's scanner for the proxy, not a virtual scanner.
    scanner = bluetooth.async_scanner_by_source(hass, DEMO_PROXY_SCANNER)
    assert scanner is not None
    assert type(scanner).__module__.startswith("bleak_esphome")


@pytest.mark.usefixtures("demo_on_path")
async def test_the_demo_proxy_moves_when_its_stored_port_is_taken(hass: HomeAssistant) -> None:
    """On a later start the proxy listens on the port its esphome entry stores; when something
    else holds that port, it listens on a free one and the entry follows, and connects."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        entry = MockConfigEntry(
            domain="esphome",
            title="Virtual mask demo proxy",
            unique_id=DEMO_PROXY_MAC,
            data={CONF_HOST: "127.0.0.1", CONF_PORT: taken, "password": "", "noise_psk": ""},
        )
        entry.add_to_hass(hass)
        assert await async_setup_component(hass, "homeassistant", {})
        assert await async_setup_component(
            hass, "virtual_mask_demo", {"virtual_mask_demo": {"demo_login": False}}
        )

        await until(lambda: entry.state is ConfigEntryState.LOADED and entry.runtime_data.available)

    assert entry.data[CONF_PORT] != taken
    assert hass.config_entries.async_entries("esphome") == [entry]
