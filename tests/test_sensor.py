"""Sensors follow the virtual mask during a session; the pressure sensor writes sparingly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.sensor import ATTR_OPTIONS, SensorDeviceClass
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNKNOWN,
    UnitOfPressure,
)
from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.pressure_mask.const import IDLE_DISCONNECT_S, PRESSURE_WRITE_INTERVAL_S
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from tests.helpers import setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy
    from tests.helpers import SessionRig

PREFIX = "sensor.pmask_ee01_"
STEP = Step(Zone.CHEEKS, 25.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=3)


def _state(hass: HomeAssistant, key: str) -> str:
    state = hass.states.get(PREFIX + key)
    assert state is not None, key
    return state.state


async def test_sensors_follow_a_session(ready: SessionRig) -> None:
    """Phase, zone, pressure, times and cycles track the mask; history sensors after it."""
    coordinator = ready.coordinator
    pressure = ready.hass.states.get(PREFIX + "pressure")
    assert pressure is not None
    assert pressure.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfPressure.MMHG
    assert pressure.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.PRESSURE
    assert _state(ready.hass, "phase") == "idle"
    assert _state(ready.hass, "battery") == "100"
    assert _state(ready.hass, "fault") == "none"
    assert _state(ready.hass, "sessions_today") == "0"
    assert _state(ready.hass, "last_session") == STATE_UNKNOWN
    assert "under_eye" in ready.hass.states.get(PREFIX + "zone").attributes[ATTR_OPTIONS]

    await coordinator.async_start_session(steps=[STEP])
    await ready.tick(4.0)

    assert _state(ready.hass, "phase") == "holding"
    assert _state(ready.hass, "zone") == "cheeks"
    assert 20 <= float(_state(ready.hass, "pressure")) <= 28
    assert _state(ready.hass, "session_elapsed") == "4"
    assert int(_state(ready.hass, "session_remaining")) == 26
    assert ready.hass.states.get("binary_sensor.pmask_ee01_session_active").state == "on"

    await ready.tick(8.0)
    assert _state(ready.hass, "cycles_completed") == "1"

    await ready.tick(20.0)
    assert _state(ready.hass, "phase") in {"venting", "idle"}
    assert ready.hass.states.get("binary_sensor.pmask_ee01_session_active").state == "off"
    assert _state(ready.hass, "sessions_today") == "1"
    assert _state(ready.hass, "last_session") != STATE_UNKNOWN
    assert _state(ready.hass, "cooldown_ends") != STATE_UNKNOWN

    # Idle: the link closes as planned; the last values stay and the phase says idle.
    await ready.tick(IDLE_DISCONNECT_S + 1, step_s=1.0)
    assert ready.hass.states.get("binary_sensor.pmask_ee01_connected").state == "off"
    assert _state(ready.hass, "phase") == "idle"
    assert float(_state(ready.hass, "pressure")) < 1
    assert _state(ready.hass, "zone") == "none"
    assert _state(ready.hass, "cycles_completed") == "3"
    await ready.unload()


async def test_pressure_writes_are_throttled(ready: SessionRig) -> None:
    """At most one pressure write per interval (plus the last value); phase only on change."""
    coordinator = ready.coordinator
    writes: dict[str, int] = {}

    @callback
    def count(event: Event[EventStateChangedData]) -> None:
        writes[event.data["entity_id"]] = writes.get(event.data["entity_id"], 0) + 1

    unsubscribe = async_track_state_change_event(
        ready.hass, [PREFIX + "pressure", PREFIX + "phase"], count
    )
    notified = len(ready.mask.notified_status)
    await coordinator.async_start_session(steps=[STEP])
    await ready.tick(10.0, step_s=0.05)
    unsubscribe()

    notifications = len(ready.mask.notified_status) - notified
    assert notifications >= 35
    assert writes[PREFIX + "pressure"] <= 10.0 / PRESSURE_WRITE_INTERVAL_S + 2
    assert writes[PREFIX + "phase"] <= 6  # idle -> inflating -> holding -> releasing -> ...
    await coordinator.async_stop_session()
    await ready.tick(1.0)
    await ready.unload()


async def test_signal_strength_is_disabled_by_default(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """The noisy RSSI sensor exists but is disabled; the rest are enabled."""
    await setup_entry(hass, config_entry, proxy, mask)
    registry = er.async_get(hass)
    entity = registry.async_get(PREFIX + "signal_strength")
    assert entity is not None
    assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert registry.async_get(PREFIX + "pressure").disabled_by is None
    assert await hass.config_entries.async_unload(config_entry.entry_id)
