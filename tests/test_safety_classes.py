"""The safety defect classes of issue 10, end to end through the virtual proxy and mask.

Each test drives public surfaces (the coordinator's API, services, entities, the options flow,
reloads, simulated time, the virtual mask's faults) and fails when its rule is removed. A refused
request checks that the mask received nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pytest

from custom_components.pressure_mask.coordinator import (
    HOST_FAULT_STOP_UNCONFIRMED,
    PressureMaskCoordinator,
    SessionEvent,
)
from custom_components.pressure_mask.mask_ble.codec import Heartbeat
from custom_components.pressure_mask.mask_ble.const import (
    HEARTBEAT_TIMEOUT_S,
    VENT_DEADLINE_S,
    VENT_SAFE_MMHG,
    FaultCode,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import STOP_CONFIRM_TIMEOUT_S, Limits
from devtools.virtual_mask import VirtualFault
from tests.helpers import setup_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.pressure_mask.mask_ble.codec import Command
    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

FACE_STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=2)
LONG_FACE_STEP = replace(FACE_STEP, repetitions=60)  # 8 min


@dataclass
class Rig:
    """Home Assistant, the virtual proxy and mask, one entry, both clocks, the session events."""

    hass: HomeAssistant
    proxy: VirtualProxy
    mask: VirtualMask
    entry: MockConfigEntry
    freezer: FrozenDateTimeFactory
    events: list[SessionEvent] = field(default_factory=list)

    @property
    def coordinator(self) -> PressureMaskCoordinator:
        """The entry's coordinator (a new one after a reload)."""
        coordinator: PressureMaskCoordinator = self.entry.runtime_data
        return coordinator

    async def setup(self, limits: Limits, *, acknowledged: bool = True) -> None:
        """Set the entry up with these limits, acknowledge, follow the session events."""
        self.hass.config_entries.async_update_entry(self.entry, options=limits.to_options())
        await setup_entry(self.hass, self.entry, self.proxy, self.mask)
        if acknowledged:
            await self.coordinator.async_set_acknowledged(True)
        self.coordinator.async_subscribe_session_events(self.events.append)

    async def tick(self, seconds: float, *, step_s: float = 0.25) -> None:
        """Move the mask's and Home Assistant's clocks together."""
        await tick(self.hass, self.freezer, self.mask, seconds, step_s=step_s)

    def sent(self, kind: type[Command]) -> list[Command]:
        """Commands of one kind the mask received."""
        return [command for command in self.mask.received if isinstance(command, kind)]

    async def unload(self) -> None:
        """Unload the entry (no timers, tasks or links may linger)."""
        await self.hass.async_block_till_done()
        assert await self.hass.config_entries.async_unload(self.entry.entry_id)


@pytest.fixture
def rig(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> Rig:
    """Everything a test drives; the entry is not set up yet."""
    return Rig(hass, proxy, mask, config_entry, freezer)


@pytest.fixture
async def ready(rig: Rig) -> Rig:
    """Set up and acknowledged; sessions start without the button."""
    await rig.setup(Limits(require_button_for_remote_start=False))
    return rig


# --- 1. No heartbeat for a session the host gave up on ------------------------------------------


async def test_after_giving_up_on_a_stop_no_heartbeat_keeps_the_session_alive(ready: Rig) -> None:
    """The mask ignores stop and vent: the host stops heartbeating, closes the link, the mask vents."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(3.0)
    ready.mask.inject_fault(VirtualFault.IGNORE_STOP)
    await ready.coordinator.async_stop_session()
    await ready.tick(STOP_CONFIRM_TIMEOUT_S + 0.5)
    assert ready.coordinator.fault == HOST_FAULT_STOP_UNCONFIRMED
    heartbeats = len(ready.sent(Heartbeat))

    await ready.tick(HEARTBEAT_TIMEOUT_S + VENT_DEADLINE_S)

    assert len(ready.sent(Heartbeat)) == heartbeats
    assert not ready.coordinator.client.heartbeats_running
    assert not ready.mask.session_active
    assert ready.mask.pressure_mmhg < VENT_SAFE_MMHG
    ready.mask.clear_faults()
    await ready.unload()


async def test_a_status_showing_a_session_does_not_restart_heartbeats(ready: Rig) -> None:
    """Heartbeats stopped by the owner stay stopped, however many statuses show a session."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)
    ready.coordinator.client.stop_heartbeats()
    await ready.tick(2.0)  # eight statuses that show the session
    assert not ready.coordinator.client.heartbeats_running
    await ready.tick(HEARTBEAT_TIMEOUT_S)
    assert ready.mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    await ready.unload()


# --- 2. Heartbeats on schedule, responses matched by seq ----------------------------------------


async def test_one_lost_heartbeat_response_does_not_end_the_session(ready: Rig) -> None:
    """A damaged response must not delay the next heartbeat past the mask's 3 s timeout."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)
    for _ in range(3):
        ready.mask.inject_fault(VirtualFault.CORRUPT_FRAMES, count=1)
        await ready.tick(1.0)
        ready.mask.clear_faults()
        await ready.tick(4.0)
    assert ready.mask.fault is FaultCode.NONE
    assert ready.mask.session_active
    await ready.unload()


async def test_heartbeats_go_out_every_second(ready: Rig) -> None:
    """One heartbeat per second of session, on schedule."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(0.5)
    before = len(ready.sent(Heartbeat))
    await ready.tick(10.0)
    assert len(ready.sent(Heartbeat)) - before in (10, 11)
    await ready.unload()
