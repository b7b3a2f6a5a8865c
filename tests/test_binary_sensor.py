"""Binary sensors: session active, connected, problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import STATE_OFF, STATE_ON

from custom_components.pressure_mask.mask_ble.const import FaultCode, Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualFault

if TYPE_CHECKING:
    from tests.helpers import SessionRig

PREFIX = "binary_sensor.pmask_ee01_"


async def test_problem_follows_the_mask_fault(ready: SessionRig) -> None:
    """A fault on the mask ends the session and turns on the problem sensor."""
    coordinator = ready.coordinator
    assert ready.hass.states.get(PREFIX + "connected").state == STATE_ON
    assert ready.hass.states.get(PREFIX + "problem").state == STATE_OFF

    step = Step(Zone.JAW, 25.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=5)
    await coordinator.async_start_session(steps=[step])
    await ready.tick(1.0)
    assert ready.hass.states.get(PREFIX + "session_active").state == STATE_ON

    ready.mask.inject_fault(VirtualFault.STUCK_SENSOR)
    await ready.tick(3.0)
    assert ready.mask.fault is FaultCode.SENSOR_STUCK
    assert ready.hass.states.get(PREFIX + "session_active").state == STATE_OFF
    assert ready.hass.states.get(PREFIX + "problem").state == STATE_ON
    assert ready.hass.states.get("sensor.pmask_ee01_fault").state == "sensor_stuck"
    ready.mask.clear_faults()
    await ready.unload()
