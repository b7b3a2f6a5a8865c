"""Coordinator edge cases: connection failures, malformed data, the mask's own refusals."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_fire_time_changed_exact,
)

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.coordinator import SessionEvent, SessionEventType
from custom_components.pressure_mask.mask_ble.codec import Advertisement, StartSession, Stop
from custom_components.pressure_mask.mask_ble.const import (
    ARM_TIMEOUT_S,
    MANUFACTURER_ID,
    Phase,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import Limits
from devtools.virtual_mask import VirtualFault
from tests.helpers import setup_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.pressure_mask.coordinator import PressureMaskCoordinator
    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy
    from tests.helpers import SessionRig

STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=2)


async def _next_poll(hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask) -> None:
    """Let the poll cooldown pass, then advertise something new (a poll follows if needed)."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await hass.async_block_till_done()
    mask.battery_percent -= 1  # the manager passes on only advertisements that changed
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_failed_connections_logged_once_until_back(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The mask advertises but cannot be connected: one log line, then one on recovery."""
    caplog.set_level(logging.INFO)
    mask.inject_fault(VirtualFault.DROP_LINK)
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data
    assert coordinator.device_info is None

    await _next_poll(hass, proxy, mask)
    mask.clear_faults()
    await _next_poll(hass, proxy, mask)

    assert coordinator.device_info is not None
    messages = [record.getMessage() for record in caplog.records]
    assert sum(message.startswith("PMASK-EE01 is unavailable: ") for message in messages) == 1
    assert messages.count("PMASK-EE01 is back online") == 1
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_malformed_advertisement_is_ignored(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """Garbage in our manufacturer data keeps the last good advertisement."""
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data
    good = coordinator.advertisement
    proxy.inject_advertisement(mask.address, manufacturer_data={MANUFACTURER_ID: b"PM\x02"})
    await hass.async_block_till_done()
    assert coordinator.advertisement == good
    # An advertisement of another protocol version (1 included) changes nothing: no downgrade.
    for other in (Advertisement(1, pairing_mode=True), Advertisement(3)):
        proxy.inject_advertisement(
            mask.address, manufacturer_data={MANUFACTURER_ID: other.encode()}
        )
        await hass.async_block_till_done()
        assert coordinator.advertisement == good
    assert hass.states.get("sensor.pmask_ee01_battery").state == "100"
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_start_the_mask_refuses_raises_translated_error(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The mask's own refusal (low battery) reaches the person; nothing is recorded."""
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    mask.inject_fault(VirtualFault.LOW_BATTERY)

    with pytest.raises(HomeAssistantError) as error:
        await coordinator.async_start_session(steps=[STEP])

    assert error.value.translation_key == "start_rejected"
    assert error.value.translation_placeholders == {"name": "PMASK-EE01", "result": "low_battery"}
    assert coordinator.history.sessions == []
    assert not coordinator.session_active
    mask.clear_faults()
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_host_cancels_an_arm_the_mask_keeps(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The host's arm expiry stops an arm even if the mask's clock lags behind."""
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    events: list[SessionEvent] = []
    coordinator.async_subscribe_session_events(events.append)
    await coordinator.async_start_session(steps=[STEP])
    await tick(hass, freezer, mask, ARM_TIMEOUT_S - 1.0, step_s=1.0)
    assert mask.phase is Phase.ARMED

    freezer.tick(timedelta(seconds=1.5))  # the mask's clock stays 1.5 s behind
    async_fire_time_changed_exact(hass, dt_util.utcnow())
    await hass.async_block_till_done()
    mask.advance(0.25)
    await hass.async_block_till_done()

    assert len([c for c in mask.received if isinstance(c, Stop)]) == 1
    assert events[-1] == SessionEvent(SessionEventType.ABORTED, "custom", "ui", "arm_expired")
    assert len([c for c in mask.received if isinstance(c, StartSession)]) == 1
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_unload_stops_a_running_session(ready: SessionRig) -> None:
    """Unloading (or stopping Home Assistant) stops the session before closing the link."""
    coordinator = ready.coordinator
    await coordinator.async_start_session(steps=[STEP])
    await ready.tick(1.0)

    await ready.unload()

    assert len([c for c in ready.mask.received if isinstance(c, Stop)]) == 1
    assert not ready.mask.session_active
    assert not ready.mask.connected


async def test_session_running_at_a_crash_counts_from_the_restart(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Home Assistant died mid-session: the stored session is closed as interrupted at start-up.

    Its end is unknown, so the cooldown counts from the restart; the daily count keeps it.
    """
    started = dt_util.utcnow() - timedelta(minutes=5)
    hass_storage[f"{DOMAIN}.{config_entry.entry_id}.history"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{config_entry.entry_id}.history",
        "data": {
            "sessions": [
                {
                    "routine": "quick_morning",
                    "source": "automation",
                    "started": started.isoformat(),
                    "ended": None,
                    "outcome": "running",
                    "reason": None,
                    "ran": True,
                }
            ],
            "acknowledged_at": started.isoformat(),
            "acknowledged_limits": Limits().to_options(),
        },
    }
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data

    record = coordinator.history.last
    assert record is not None
    assert record.outcome == "interrupted"
    assert record.ended is not None
    assert record.ended >= started + timedelta(minutes=5)
    assert coordinator.sessions_today == 1
    assert coordinator.acknowledged
    with pytest.raises(ServiceValidationError) as refusal:
        await coordinator.async_start_session(steps=[STEP])
    assert refusal.value.translation_key == "cooldown_active"
    assert not [c for c in mask.received if isinstance(c, StartSession)]
    assert await hass.config_entries.async_unload(config_entry.entry_id)
