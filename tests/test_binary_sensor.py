"""Binary sensors: session active, connected, problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import STATE_OFF, STATE_ON

from custom_components.pressure_mask.mask_ble.const import FaultCode, Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualFault
from tests.helpers import setup_ready_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

PREFIX = "binary_sensor.pmask_ee01_"


async def test_problem_follows_the_mask_fault(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A fault on the mask ends the session and turns on the problem sensor."""
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    assert hass.states.get(PREFIX + "connected").state == STATE_ON
    assert hass.states.get(PREFIX + "problem").state == STATE_OFF

    step = Step(Zone.JAW, 25.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=5)
    await coordinator.async_start_session(steps=[step])
    await tick(hass, freezer, mask, 1.0)
    assert hass.states.get(PREFIX + "session_active").state == STATE_ON

    mask.inject_fault(VirtualFault.STUCK_SENSOR)
    await tick(hass, freezer, mask, 3.0)
    assert mask.fault is FaultCode.SENSOR_STUCK
    assert hass.states.get(PREFIX + "session_active").state == STATE_OFF
    assert hass.states.get(PREFIX + "problem").state == STATE_ON
    assert hass.states.get("sensor.pmask_ee01_fault").state == "sensor_stuck"
    mask.clear_faults()
    assert await hass.config_entries.async_unload(config_entry.entry_id)
