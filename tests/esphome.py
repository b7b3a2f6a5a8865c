"""Home Assistant's esphome integration in front of the emulated ESPHome Bluetooth proxy.

The proxy (devtools/esphome_proxy.py) listens on a loopback port; `add_proxy_entry` adds it the
way a person does (Settings > Devices & services > ESPHome: host and port), so everything
between the mask and the integration is the code a real installation runs: the esphome
integration, aioesphomeapi, bleak-esphome's scanner and client, habluetooth.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed_exact

if TYPE_CHECKING:
    from collections.abc import Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from devtools.esphome_proxy import EsphomeProxy
    from devtools.virtual_mask import VirtualMask


async def add_proxy_entry(hass: HomeAssistant, proxy: EsphomeProxy) -> ConfigEntry:
    """Add the proxy through the esphome config flow; returns once its scanner is up."""
    # The esphome integration depends on assist_pipeline, whose conversation agent needs the
    # core integration (exposed entities), as on a real instance.
    assert await async_setup_component(hass, "homeassistant", {})
    result = await hass.config_entries.flow.async_init(
        "esphome",
        context={"source": SOURCE_USER},
        data={CONF_HOST: "127.0.0.1", CONF_PORT: proxy.port},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry: ConfigEntry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    await proxy.wait_for_scanner()
    await settle(hass, proxy)
    return entry


async def settle(hass: HomeAssistant, proxy: EsphomeProxy) -> None:
    """Let every message in flight between the proxy and Home Assistant be handled."""
    await hass.async_block_till_done()
    await proxy.flush()
    await hass.async_block_till_done(wait_background_tasks=True)


async def wait_until(
    hass: HomeAssistant, condition: Callable[[], bool], *, rounds: int = 100_000
) -> None:
    """Run the loop until something the sockets deliver has happened (a TCP reset, a reconnect).

    Counted in loop iterations, not seconds: the loop's clock is frozen in these tests, and
    nothing here depends on how long the wait takes.
    """
    for _ in range(rounds):
        if condition():
            break
        await asyncio.sleep(0)
    assert condition(), "the awaited condition never came true"
    await hass.async_block_till_done(wait_background_tasks=True)


def proxy_available(entry: ConfigEntry) -> bool:
    """The esphome integration has an API connection to the proxy."""
    return bool(entry.runtime_data.available)


async def tick_through(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask: VirtualMask,
    proxy: EsphomeProxy,
    seconds: float,
    *,
    step_s: float = 0.25,
) -> None:
    """tests.helpers.tick through the proxy: each slice's notifications cross the socket first.

    The proxy's clock moves with the mask's and Home Assistant's (its API keepalive).
    """
    remaining = seconds
    while remaining > 1e-9:
        step = min(step_s, remaining)
        remaining -= step
        mask.advance(step)
        proxy.advance(step)
        await proxy.flush()
        freezer.tick(timedelta(seconds=step))
        async_fire_time_changed_exact(hass, dt_util.utcnow())
        await hass.async_block_till_done()
        await proxy.flush()
        await hass.async_block_till_done()
