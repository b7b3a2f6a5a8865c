"""Helpers for the integration's end-to-end tests: known mask identity and a two-clock tick."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed_exact

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.pressure_mask.mask_ble.virtual import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

MASK_ADDRESS: Final = "AA:BB:CC:DD:EE:01"
MASK_KEY: Final = bytes(range(16))
MASK_TITLE: Final = "PMASK-EE01"


async def tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask: VirtualMask,
    seconds: float,
    *,
    step_s: float = 0.25,
) -> None:
    """Move the mask's clock and Home Assistant's together, in small slices.

    Each slice runs the mask's physics and notifications, then fires Home Assistant's timers
    (heartbeats, deadlines, idle disconnects) that fall due.
    """
    remaining = seconds
    while remaining > 1e-9:
        step = min(step_s, remaining)
        remaining -= step
        mask.advance(step)
        freezer.tick(timedelta(seconds=step))
        async_fire_time_changed_exact(hass, dt_util.utcnow())
        await hass.async_block_till_done()


async def setup_entry(
    hass: HomeAssistant, entry: MockConfigEntry, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """Advertise the mask through the proxy and set up its entry (the first poll connects)."""
    proxy.advertise(mask)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
