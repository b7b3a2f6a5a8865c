"""The status and readiness entities, the zone limit, the session peak and the totals.

Driven through the virtual mask; the card and automations read these states (see
ENTITY_CONTRACT.md), so each state a person can meet is reached here the way it happens.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bluetooth_data_tools import monotonic_time_coarse
from habluetooth.const import (
    CONNECTABLE_FALLBACK_MAXIMUM_STALE_ADVERTISEMENT_SECONDS,
    UNAVAILABLE_TRACK_SECONDS,
)
from homeassistant.const import STATE_UNKNOWN
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pressure_mask.const import DOMAIN, IDLE_DISCONNECT_S
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import Limits
from devtools.virtual_mask import VirtualFault
from tests.helpers import setup_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, State
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy
    from tests.helpers import SessionRig

PREFIX = "sensor.pmask_ee01_"
BREATHING = Step(Zone.NONE, 0.0, inflate_s=4.0, hold_s=1.0, release_s=5.0, repetitions=2)
CHEEKS = Step(Zone.CHEEKS, 25.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=3)
NECK = Step(Zone.NECK, 18.0, inflate_s=1.5, hold_s=3.0, release_s=3.5, repetitions=1)


def _get(hass: HomeAssistant, key: str) -> State:
    state = hass.states.get(PREFIX + key)
    assert state is not None, key
    return state


def _state(hass: HomeAssistant, key: str) -> str:
    return _get(hass, key).state


async def test_contract_entities_are_found_by_translation_key(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    """The card finds each entity by platform, translation key and device (not entity ids)."""
    registry = er.async_get(hass)
    keys = {
        (entry.domain, entry.translation_key)
        for entry in er.async_entries_for_config_entry(registry, mask_entry.entry_id)
    }
    for key in (
        "status",
        "start_readiness",
        "zone_limit",
        "session_peak_pressure",
        "sessions_today",
        "sessions_total",
        "therapy_time_total",
    ):
        assert ("sensor", key) in keys
    connected = registry.async_get("binary_sensor.pmask_ee01_connected")
    assert connected is not None
    assert connected.entity_category is er.EntityCategory.DIAGNOSTIC
    assert connected.platform == DOMAIN
    assert await hass.config_entries.async_unload(mask_entry.entry_id)


async def test_status_and_readiness_through_an_armed_session(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Needs acknowledgement, ready, armed, breathing, running, cooling down, ready again."""
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator = config_entry.runtime_data
    assert _state(hass, "status") == "needs_acknowledgement"
    assert _state(hass, "start_readiness") == "needs_acknowledgement"

    await coordinator.async_set_acknowledged(True)
    await hass.async_block_till_done()
    assert _state(hass, "status") == "ready"
    assert _state(hass, "start_readiness") == "ready"
    assert _get(hass, "start_readiness").attributes.get("until") is None

    await coordinator.async_start_session(steps=[BREATHING, CHEEKS, NECK])
    await tick(hass, freezer, mask, 0.5)
    status = _get(hass, "status")
    assert status.state == "armed"
    armed_until = dt_util.parse_datetime(status.attributes["armed_until"])
    assert armed_until is not None
    assert armed_until > dt_util.utcnow()
    assert _state(hass, "start_readiness") == "session_active"

    mask.press_button()
    await tick(hass, freezer, mask, 2.0)
    status = _get(hass, "status")
    assert status.state == "breathing"
    assert status.attributes["breath"] == 1
    assert status.attributes["breaths"] == 2
    assert status.attributes["breathing_phase"] == "in"
    assert "armed_until" not in status.attributes
    await tick(hass, freezer, mask, 3.5)
    assert _get(hass, "status").attributes["breathing_phase"] == "out"

    await tick(hass, freezer, mask, 14.5 + 1.0)
    status = _get(hass, "status")
    assert status.state == "running"
    assert status.attributes["step"] == 2
    assert status.attributes["steps"] == 3
    assert status.attributes["repetition"] == 1
    assert status.attributes["repetitions"] == 3
    assert _state(hass, "zone_limit") == "30.0"

    await tick(hass, freezer, mask, 30.0)
    assert _get(hass, "status").attributes["step"] == 3
    assert _state(hass, "zone_limit") == "20.0"
    assert _get(hass, "zone_limit").attributes == {
        **_get(hass, "zone_limit").attributes,
        "face_limit": 30.0,
        "under_eye_limit": 15.0,
        "neck_limit": 20.0,
    }

    await tick(hass, freezer, mask, 10.0)
    assert _state(hass, "status") == "cooling_down"
    readiness = _get(hass, "start_readiness")
    assert readiness.state == "cooling_down"
    until = dt_util.parse_datetime(readiness.attributes["until"])
    assert until == coordinator.cooldown_ends
    assert 20 <= float(_state(hass, "session_peak_pressure")) <= 28
    assert _state(hass, "zone_limit") == "30.0"  # no zone: the face limit
    sessions_today = _get(hass, "sessions_today")
    assert sessions_today.state == "1"
    assert sessions_today.attributes["daily_cap"] == 2

    # The link closes as planned: the status stays meaningful, not unknown.
    await tick(hass, freezer, mask, IDLE_DISCONNECT_S + 1, step_s=1.0)
    assert not coordinator.connected
    assert _state(hass, "status") == "cooling_down"

    # Nothing happens at the cooldown's end but time: the states follow by themselves.
    assert until is not None
    freezer.move_to(until + timedelta(seconds=1))
    async_fire_time_changed(hass, until + timedelta(seconds=1))
    await hass.async_block_till_done()
    assert _state(hass, "status") == "ready"
    assert _state(hass, "start_readiness") == "ready"
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_daily_limit_reached_until_midnight(rig: SessionRig) -> None:
    """After the day's cap: daily limit reached; the next local day it is ready again."""
    rig.freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=8))
    coordinator = await rig.setup(Limits(require_button_for_remote_start=False))
    for _ in range(2):
        await coordinator.async_start_session(steps=[NECK])
        await rig.tick(10.0)
        await rig.tick(Limits().cooldown_min * 60 + 1, step_s=30.0)
    assert _state(rig.hass, "sessions_today") == "2"
    assert _state(rig.hass, "status") == "daily_limit_reached"
    assert _state(rig.hass, "start_readiness") == "daily_limit_reached"

    midnight = dt_util.start_of_local_day() + timedelta(days=1)
    rig.freezer.move_to(midnight + timedelta(seconds=1))
    async_fire_time_changed(rig.hass, midnight + timedelta(seconds=1))
    await rig.hass.async_block_till_done()
    assert _state(rig.hass, "sessions_today") == "0"
    assert _state(rig.hass, "status") == "ready"
    await rig.unload()


async def test_fault_names_zone_and_pressure(ready: SessionRig) -> None:
    """An over-pressure during a neck hold: the status says fault, on the neck, at its pressure."""
    coordinator = ready.coordinator
    await coordinator.async_start_session(steps=[NECK])
    await ready.tick(2.5)
    ready.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=20)
    await ready.tick(0.5)
    status = _get(ready.hass, "status")
    assert status.state == "fault"
    assert status.attributes["fault_zone"] == "neck"
    assert status.attributes["fault_pressure_mmhg"] > Limits().neck_max_mmhg
    assert _state(ready.hass, "start_readiness") in {"fault", "needs_acknowledgement"}
    await ready.unload()


async def test_out_of_range_and_low_battery(ready: SessionRig) -> None:
    """The mask out of reach: out of range (host-side entities stay available); a low battery."""
    await ready.tick(IDLE_DISCONNECT_S + 1, step_s=1.0)
    ready.mask.inject_fault(VirtualFault.LOW_BATTERY, percent=10)
    ready.proxy.advertise(ready.mask)
    await ready.hass.async_block_till_done(wait_background_tasks=True)
    assert _state(ready.hass, "start_readiness") == "low_battery"
    assert _state(ready.hass, "status") == "ready"

    stale_s = CONNECTABLE_FALLBACK_MAXIMUM_STALE_ADVERTISEMENT_SECONDS + 1
    ready.proxy.advertise(ready.mask, time=monotonic_time_coarse() - stale_s)
    for _ in range(2):
        async_fire_time_changed(
            ready.hass, dt_util.utcnow() + timedelta(seconds=UNAVAILABLE_TRACK_SECONDS + 1)
        )
        await ready.hass.async_block_till_done()
    assert _state(ready.hass, "status") == "out_of_range"
    assert _state(ready.hass, "start_readiness") == "out_of_range"
    assert _state(ready.hass, "sessions_today") == "0"
    assert _state(ready.hass, "pressure") == "unavailable"
    await ready.unload()


async def test_link_loss_forgets_the_live_values(ready: SessionRig) -> None:
    """Unlike an idle disconnect, a lost link leaves no pressure that may no longer be true."""
    coordinator = ready.coordinator
    await coordinator.async_start_session(steps=[CHEEKS])
    await ready.tick(3.0)
    assert float(_state(ready.hass, "pressure")) > 10
    ready.mask.drop_link()
    await ready.tick(1.0)
    assert _state(ready.hass, "pressure") == STATE_UNKNOWN
    assert _state(ready.hass, "phase") == STATE_UNKNOWN
    await ready.unload()


async def test_totals_count_what_ran_and_survive_a_restart(ready: SessionRig) -> None:
    """A session that ran counts with its running time; an arm nobody confirmed does not."""
    coordinator = ready.coordinator
    assert _state(ready.hass, "sessions_in_total") == "0"
    await coordinator.async_start_session(steps=[CHEEKS])
    await ready.tick(31.0)
    assert _state(ready.hass, "sessions_in_total") == "1"
    # 30 s of therapy, shown in minutes.
    therapy = _get(ready.hass, "therapy_time_in_total")
    assert therapy.attributes["unit_of_measurement"] == "min"
    assert float(therapy.state) == 0.5

    assert await ready.hass.config_entries.async_reload(ready.config_entry.entry_id)
    await ready.hass.async_block_till_done(wait_background_tasks=True)
    assert _state(ready.hass, "sessions_in_total") == "1"
    assert float(_state(ready.hass, "therapy_time_in_total")) == 0.5
    await ready.unload()
