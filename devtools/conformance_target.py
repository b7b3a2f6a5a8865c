"""The conformance suite's default target: the virtual mask, in simulated time.

It lives in devtools, beside the virtual mask, so the package HACS installs contains no virtual
mask: `python -m custom_components.pressure_mask.mask_ble.conformance` imports this module only
when no --address is given (from a checkout of the repository).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING

from bleak import BleakClient

from custom_components.pressure_mask.mask_ble.conformance.target import (
    Action,
    AdvertSnapshot,
    Target,
)
from custom_components.pressure_mask.mask_ble.const import HOST_KEY_LENGTH
from devtools.virtual_mask import VirtualFault, VirtualMask

if TYPE_CHECKING:
    from collections.abc import Callable

ADDRESS = "AA:BB:CC:DD:EE:01"
SLICE_S = 0.05

# How the virtual mask plays each part the maker would.
_ACTIONS: dict[Action, Callable[[VirtualMask], None]] = {
    Action.SHORT_PRESS: lambda mask: mask.press_button(0.2),
    Action.BOUNCE: lambda mask: mask.press_button(0.03),
    Action.HOLD: lambda mask: mask.press_button(2.5),
    Action.LONG_PRESS: lambda mask: mask.press_button(3.0),
    Action.PAIRING_HOLD: lambda mask: mask.press_button(3.0),
    Action.OPEN_LEAK: lambda mask: mask.inject_fault(VirtualFault.SLOW_LEAK, rate_mmhg_s=20.0),
    Action.FREEZE_SENSOR: lambda mask: mask.inject_fault(VirtualFault.STUCK_SENSOR),
    Action.DISCONNECT_SENSOR: lambda mask: mask.inject_fault(VirtualFault.SENSOR_FAILED),
    Action.LOW_BATTERY: lambda mask: mask.inject_fault(VirtualFault.LOW_BATTERY, percent=10),
    Action.CRITICAL_BATTERY: lambda mask: mask.inject_fault(VirtualFault.LOW_BATTERY, percent=3),
    Action.UNKNOWN_BATTERY: lambda mask: mask.inject_fault(VirtualFault.BATTERY_UNKNOWN),
    Action.OVER_PRESSURE: lambda mask: mask.inject_fault(
        VirtualFault.OVER_PRESSURE_SPIKE, mmhg=20.0
    ),
}


class VirtualTarget(Target):
    """A VirtualMask reached through its bleak backend; its clock moves only when asked."""

    performs_actions = True
    second_central = True

    def __init__(self, mask: VirtualMask | None = None) -> None:
        """Use the given mask, or a fresh one; the suite is paired in slot 0 with a random key."""
        self.mask = mask if mask is not None else VirtualMask(ADDRESS)
        self.credentials = self.mask.add_host(0, secrets.token_bytes(HOST_KEY_LENGTH))
        self.description = f"virtual mask {self.mask.name} (devtools/virtual_mask.py)"

    @property
    def address(self) -> str:
        """Bluetooth address of the mask."""
        return self.mask.address

    def now(self) -> float:
        """The mask's simulated clock."""
        return self.mask.now

    async def sleep(self, seconds: float) -> None:
        """Advance the mask's clock in small slices, delivering notifications in between."""
        left = seconds
        while True:
            for _ in range(3):
                await asyncio.sleep(0)
            if left <= 1e-9:
                return
            step = min(SLICE_S, left)
            self.mask.advance(step)
            left -= step

    async def connect(self, disconnected: Callable[[BleakClient], None]) -> BleakClient:
        """Connect through VirtualMaskBackend, as Home Assistant's tests do."""
        client = BleakClient(
            self.mask.ble_device(),
            disconnected_callback=disconnected,
            backend=self.mask.bleak_backend,
        )
        await client.connect()
        return client

    async def advertisement(self) -> AdvertSnapshot:
        """What the mask advertises now."""
        name, uuids, manufacturer_data = self.mask.advertisement_data()
        return AdvertSnapshot(name, tuple(uuids), manufacturer_data)

    async def act(self, action: Action) -> None:
        """Play the maker's part on the virtual mask."""
        _ACTIONS[action](self.mask)

    async def undo(self, action: Action) -> None:
        """Remove what act() injected."""
        self.mask.clear_faults()

    async def reset(self) -> None:
        """No injected condition carries over from one case to the next."""
        self.mask.clear_faults()


def default_target() -> VirtualTarget:
    """The target `scripts/conformance` uses without --address."""
    return VirtualTarget()
