"""Helpers for the integration's end-to-end tests: known mask identity and a two-clock tick."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed_exact

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.faults import safety_fault_issue_id
from custom_components.pressure_mask.safety import Limits

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.pressure_mask.coordinator import PressureMaskCoordinator
    from custom_components.pressure_mask.mask_ble.codec import Command
    from custom_components.pressure_mask.session import SessionEvent
    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

MASK_ADDRESS: Final = "AA:BB:CC:DD:EE:01"
MASK_KEY: Final = bytes(range(32))
MASK_SLOT: Final = 0
# The mask's fixed identity key, so its pinned public key is known to the tests.
MASK_IDENTITY: Final = X25519PrivateKey.from_private_bytes(bytes(range(0x40, 0x60)))
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


async def run_while_time_passes[T](
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    awaitable: Awaitable[T],
    *,
    step_s: float = 1.0,
    limit_s: float = 300.0,
) -> T:
    """Await something that waits on timers (connection retry back-off), moving the clock."""
    task = hass.async_create_task(awaitable)
    waited = 0.0
    while not task.done():
        assert waited < limit_s, "still waiting after the time limit"
        freezer.tick(timedelta(seconds=step_s))
        waited += step_s
        async_fire_time_changed_exact(hass, dt_util.utcnow())
        for _ in range(10):
            await asyncio.sleep(0)
    return task.result()


def configure_limits(
    hass: HomeAssistant, entry: MockConfigEntry, mask: VirtualMask, limits: Limits
) -> None:
    """Give the entry these limits, as already confirmed at the mask.

    Looser limits (turning the button confirmation off included) take effect on the mask only
    after a press of its button; the person did that earlier, so the mask stores them too.
    """
    hass.config_entries.async_update_entry(entry, options=limits.to_options())
    mask.limits = limits.to_device_limits()


async def setup_ready_entry(
    hass: HomeAssistant, entry: MockConfigEntry, proxy: VirtualProxy, mask: VirtualMask
) -> PressureMaskCoordinator:
    """Set up a mask whose sessions start without the button, with the acknowledgement given."""
    configure_limits(hass, entry, mask, Limits(require_button_for_remote_start=False))
    await setup_entry(hass, entry, proxy, mask)
    coordinator: PressureMaskCoordinator = entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    return coordinator


async def repair_safety_fault(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Walk the safety fault's repair flow as the person does, to its end.

    The flow is Home Assistant's own (the repairs flow manager behind Settings > Repairs); after
    a safety fault it is the only way to give the acknowledgement back. Fails on any step that
    shows an error (for instance the mask still reporting its fault).
    """
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    manager = hass.data[REPAIRS_DOMAIN]["flow_manager"]
    result = await manager.async_init(
        DOMAIN, data={"issue_id": safety_fault_issue_id(entry.entry_id)}
    )
    for _ in range(5):
        if result["type"] is not FlowResultType.FORM:
            break
        assert not result.get("errors"), result
        result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY, result


@dataclass
class SessionRig:
    """Home Assistant, the virtual proxy and mask, one mask's entry, both clocks, the events."""

    hass: HomeAssistant
    proxy: VirtualProxy
    mask: VirtualMask
    config_entry: MockConfigEntry
    freezer: FrozenDateTimeFactory
    events: list[SessionEvent] = field(default_factory=list)

    @property
    def coordinator(self) -> PressureMaskCoordinator:
        """The entry's coordinator (a new one after a reload)."""
        coordinator: PressureMaskCoordinator = self.config_entry.runtime_data
        return coordinator

    async def setup(
        self, limits: Limits | None = None, *, acknowledged: bool = True
    ) -> PressureMaskCoordinator:
        """Set the entry up (with these limits), give the acknowledgement, record the events."""
        if limits is not None:
            configure_limits(self.hass, self.config_entry, self.mask, limits)
        await setup_entry(self.hass, self.config_entry, self.proxy, self.mask)
        if acknowledged:
            await self.coordinator.async_set_acknowledged(True)
        self.coordinator.async_subscribe_session_events(self.events.append)
        return self.coordinator

    async def tick(self, seconds: float, *, step_s: float = 0.25) -> None:
        """Move the mask's and Home Assistant's clocks together."""
        await tick(self.hass, self.freezer, self.mask, seconds, step_s=step_s)

    def sent(self, kind: type[Command]) -> list[Command]:
        """Commands of one kind the mask received."""
        return [command for command in self.mask.received if isinstance(command, kind)]

    async def unload(self) -> None:
        """Unload the entry (no timers, tasks or links may linger)."""
        await self.hass.async_block_till_done()
        assert await self.hass.config_entries.async_unload(self.config_entry.entry_id)

    async def restart(self) -> None:
        """Unload and set the entry up again, as a Home Assistant restart does."""
        await self.unload()
        self.proxy.advertise(self.mask)
        assert await self.hass.config_entries.async_setup(self.config_entry.entry_id)
        await self.hass.async_block_till_done(wait_background_tasks=True)
        self.coordinator.async_subscribe_session_events(self.events.append)

    async def ha_clock_only(self, seconds: float) -> None:
        """Move Home Assistant's clock, not the mask's."""
        self.freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed_exact(self.hass, dt_util.utcnow())
        await self.hass.async_block_till_done()
