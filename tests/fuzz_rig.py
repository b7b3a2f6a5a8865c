"""A rig for stateful fuzzing and benchmarks: Home Assistant, a virtual proxy, a virtual mask.

The rig sets up the integration exactly as the end-to-end tests do (Home Assistant's real
Bluetooth manager, the virtual proxy, a config entry), and drives simulated time: each step moves
freezegun's clock (which Home Assistant's loop and `utcnow` read) and the mask's own clock, then
lets the loop run what became due. Nothing of the integration or the device library is patched.

Time: freezegun freezes `time.monotonic` too, so the event loop only sees time move when the rig
ticks it. Real durations are measured with `real_perf_counter()`.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import timedelta
import time
from typing import TYPE_CHECKING, Any, Final

import bleak_retry_connector
import freezegun.api
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_ADDRESS
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.coordinator import credentials_data
from custom_components.pressure_mask.mask_ble import client as mask_client_module
from custom_components.pressure_mask.mask_ble.codec import Command, decode_command, decode_frame
from custom_components.pressure_mask.mask_ble.secure import HostCredentials
from custom_components.pressure_mask.safety import Limits
from devtools.virtual_mask import VirtualMask, unregister_virtual_mask
from devtools.virtual_proxy import VirtualProxy

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from custom_components.pressure_mask.coordinator import PressureMaskCoordinator

RIG_ADDRESS: Final = "AA:BB:CC:DD:EE:77"
RIG_KEY: Final = bytes(range(100, 132))
TICK_S: Final = 0.02


def real_perf_counter() -> float:
    """The real high-resolution clock (freezegun freezes time.perf_counter)."""
    return float(freezegun.api.real_perf_counter())  # type: ignore[attr-defined]


def use_routed_bleak_client() -> None:
    """Point the client at the class Home Assistant's Bluetooth installs (see tests/conftest.py).

    Home Assistant swaps bleak_retry_connector's client class for its routing wrapper when
    Bluetooth starts; the client module, imported at collection, keeps the original name.
    """
    mask_client_module.BleakClientWithServiceCache = (  # type: ignore[misc]
        bleak_retry_connector.BleakClientWithServiceCache
    )


@dataclass(slots=True)
class Received:
    """A command as the mask received it: simulated times of both clocks and the real time."""

    command: Command
    mask_time_s: float
    ha_time: float
    real_time_s: float


@dataclass
class MaskRig:
    """One mask, its proxy and its config entry in a running Home Assistant."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    options: dict[str, Any] = field(default_factory=dict)
    # Mask clock rate relative to Home Assistant's (below 1: the mask's clock runs slow).
    mask_clock_rate: float = 1.0
    status_interval_s: float = 0.25
    mask: VirtualMask = field(init=False)
    proxy: VirtualProxy = field(init=False)
    entry: MockConfigEntry = field(init=False)
    received: list[Received] = field(default_factory=list)
    # False: settle only spins the loop (a hass task may be waiting for simulated time).
    block_till_done: bool = True

    def __post_init__(self) -> None:
        """Create the mask (recording each command with its receipt time) and the proxy."""
        use_routed_bleak_client()
        self.mask = VirtualMask(RIG_ADDRESS, status_interval_s=self.status_interval_s)
        self.provision_mask()
        original_write = self.mask.write_control_point

        def recording_write(data: bytes) -> None:
            real = real_perf_counter()
            with contextlib.suppress(Exception):
                self.received.append(
                    Received(
                        decode_command(decode_frame(data)),
                        self.mask.now,
                        self.hass.loop.time(),
                        real,
                    )
                )
            original_write(data)

        self.mask.write_control_point = recording_write  # type: ignore[method-assign]
        self.proxy = VirtualProxy(self.hass)
        self.entry = self.new_entry()

    def new_entry(self) -> MockConfigEntry:
        """A paired config entry for the mask, added to Home Assistant (not set up)."""
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="PMASK-EE77",
            unique_id=RIG_ADDRESS,
            data={CONF_ADDRESS: RIG_ADDRESS, **credentials_data(self.credentials)},
            options=self.options,
            version=2,
        )
        entry.add_to_hass(self.hass)
        return entry

    def provision_mask(self) -> None:
        """This host paired in slot 0, and the options' limits confirmed at the mask earlier.

        Looser limits need the mask's button, so the mask starts with them stored. Also used
        after a factory reset, to put the mask back as it was set up.
        """
        self.mask.add_host(0, RIG_KEY)
        self.mask.limits = Limits.from_options(self.options).to_device_limits()

    @property
    def credentials(self) -> HostCredentials:
        """Home Assistant's credentials for the rig's mask."""
        return HostCredentials(0, RIG_KEY, self.mask.identity_public)

    @property
    def coordinator(self) -> PressureMaskCoordinator:
        """The entry's coordinator."""
        coordinator: PressureMaskCoordinator = self.entry.runtime_data
        return coordinator

    def advertise(self) -> None:
        """The mask's current advertisement reaches Home Assistant through the proxy."""
        self.proxy.advertise(self.mask)

    async def setup(self) -> bool:
        """Set up the config entry; True when loaded."""
        self.advertise()
        await self.settle()
        await self.hass.config_entries.async_setup(self.entry.entry_id)
        await self.settle()
        return self.entry.state is ConfigEntryState.LOADED

    async def unload(self) -> None:
        """Unload the config entry (as a restart or a reload does)."""
        if self.entry.state is ConfigEntryState.LOADED:
            await self.hass.config_entries.async_unload(self.entry.entry_id)
            await self.settle()

    async def close(self) -> None:
        """Unload and remove the entry, the proxy and the mask."""
        await self.unload()
        await self.hass.config_entries.async_remove(self.entry.entry_id)
        self.proxy.remove()
        unregister_virtual_mask(self.mask)
        await self.settle()

    async def settle(self) -> None:
        """Let everything that is due run: notifications, callbacks, tasks."""
        for _ in range(5):
            await asyncio.sleep(0)
        if self.block_till_done:
            await self.hass.async_block_till_done()

    async def drive[T](self, awaitable: Awaitable[T], *, limit_s: float = 300.0) -> T:
        """Await while simulated time passes in 0.1 s ticks (requests time out as in reality)."""
        task = asyncio.ensure_future(awaitable)
        waited_s = 0.0
        while True:
            await self.settle()
            if task.done():
                return task.result()
            if waited_s >= limit_s:
                task.cancel()
                raise TimeoutError(f"still waiting after {limit_s} simulated seconds")
            await self.tick(0.1)
            waited_s += 0.1

    async def run(self, seconds: float, tick_s: float = TICK_S) -> None:
        """Advance both clocks by `seconds` in ticks, letting Home Assistant run after each."""
        remaining = seconds
        while remaining > 1e-9:
            step = min(tick_s, remaining)
            remaining -= step
            await self.tick(step)

    async def tick(self, seconds: float) -> None:
        """Advance both clocks once."""
        self.freezer.tick(timedelta(seconds=seconds))
        self.mask.advance(seconds * self.mask_clock_rate)
        await self.settle()

    async def jump(self, seconds: float) -> None:
        """Move only Home Assistant's clock (an idle gap the mask need not simulate)."""
        self.freezer.tick(timedelta(seconds=seconds))
        await self.settle()
        self.advertise()
        await self.settle()

    def commands(self, kind: type[Command]) -> list[Received]:
        """Received commands of one type."""
        return [item for item in self.received if isinstance(item.command, kind)]


def process_cpu_s() -> float:
    """CPU time of this process (not frozen by freezegun)."""
    return time.process_time()
