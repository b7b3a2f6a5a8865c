"""What the conformance suite runs against: a mask it can connect to, a clock, and a maker.

A Target hides the three things that differ between the virtual mask and a prototype on the
bench: how a BleakClient reaches it, how time passes (simulated or real), and who performs the
physical actions some cases need (pressing the button, pinching the hose). Everything a case
observes goes through the protocol, so the same case runs unchanged against both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from dataclasses import dataclass
from enum import StrEnum
import sys
from typing import TYPE_CHECKING, Final

from bleak import BleakClient, BleakScanner

if TYPE_CHECKING:
    from collections.abc import Callable

    from bleak.backends.device import BLEDevice
    from bleak.backends.scanner import AdvertisementData

    from custom_components.pressure_mask.mask_ble.secure import HostCredentials


class Action(StrEnum):
    """A physical action a case needs; the text is what a maker is asked to do."""

    SHORT_PRESS = "press the mask button briefly (about 0.2 s) and release it"
    BOUNCE = "tap the mask button for under 50 ms (a relay or pulse generator on the switch)"
    HOLD = "hold the mask button for about 2.5 s (between 1.1 and 2.9 s) and release it"
    LONG_PRESS = "hold the mask button for 3 s or more and release it"
    PAIRING_HOLD = "hold the mask button for 3 s to open pairing mode"
    OPEN_LEAK = "open a leak: pull the hose off the bladder so it cannot hold pressure"
    FREEZE_SENSOR = "make the pressure reading freeze (hold the sensor port closed)"
    DISCONNECT_SENSOR = "disconnect the pressure sensor"
    LOW_BATTERY = "set the bench supply so the mask reads below 15 % (and above 5 %)"
    CRITICAL_BATTERY = "lower the bench supply so the mask reads below 5 %"
    UNKNOWN_BATTERY = "disconnect the battery fuel gauge (the mask cannot measure its battery)"
    OVER_PRESSURE = "press on the forehead bladder to raise its pressure by about 20 mmHg"


@dataclass(frozen=True, slots=True)
class AdvertSnapshot:
    """What a scanner saw: local name, service UUIDs and manufacturer data."""

    name: str | None
    service_uuids: tuple[str, ...]
    manufacturer_data: dict[int, bytes]


class Target(ABC):
    """A mask under test."""

    #: Shown in the report.
    description: str
    #: The target performs every Action itself (no maker at the bench is needed).
    performs_actions: bool = False
    #: A second central can try to connect while the first holds the link.
    second_central: bool = False

    @abstractmethod
    def now(self) -> float:
        """Seconds on the target's clock."""

    @abstractmethod
    async def sleep(self, seconds: float) -> None:
        """Let time pass (simulated targets advance their clock), delivering notifications."""

    @abstractmethod
    async def connect(self, disconnected: Callable[[BleakClient], None]) -> BleakClient:
        """A connected BleakClient to the mask."""

    @abstractmethod
    async def advertisement(self) -> AdvertSnapshot | None:
        """The mask's current advertisement, or None if none was seen."""

    @property
    @abstractmethod
    def address(self) -> str:
        """Bluetooth address of the mask."""

    #: What the suite authenticates with (its slot, key, the pinned identity); None until
    #: the suite has paired.
    credentials: HostCredentials | None = None

    async def act(self, action: Action) -> None:
        """Have the maker perform an action (a simulated target does it itself)."""
        await _ask(f"Please {action}, then press Enter.")

    async def undo(self, action: Action) -> None:
        """Restore the normal condition after a case that needed an action."""
        if action not in _MOMENTARY:
            await _ask(f"Please undo this now ({action}), then press Enter.")

    @abstractmethod
    async def reset(self) -> None:
        """Forget simulated conditions between cases."""


# Actions that leave nothing to undo.
_MOMENTARY: Final = frozenset(
    {
        Action.SHORT_PRESS,
        Action.BOUNCE,
        Action.HOLD,
        Action.LONG_PRESS,
        Action.PAIRING_HOLD,
        Action.OVER_PRESSURE,
    }
)


async def _ask(prompt: str) -> str:
    """Ask the person at the bench, without blocking the event loop (heartbeats go on)."""
    return await asyncio.get_running_loop().run_in_executor(None, _input, prompt)


def _input(prompt: str) -> str:
    print(prompt, end=" ", flush=True, file=sys.stderr)  # noqa: T201 - a console tool
    return sys.stdin.readline().strip()


async def ask(prompt: str) -> str:
    """Ask the person at the bench a question (used for the inflation warning)."""
    return await _ask(prompt)


class BleakTarget(Target):
    """A real mask reached by Bluetooth address through the local adapter."""

    def __init__(
        self,
        address: str,
        *,
        credentials: HostCredentials | None = None,
        scan_timeout_s: float = 10.0,
    ) -> None:
        """Remember the address; credentials come from --credentials or a pairing first."""
        self._address = address
        self.credentials = credentials
        self._scan_timeout_s = scan_timeout_s
        self._device: BLEDevice | None = None
        self.description = f"mask at {address} over bleak"

    @property
    def address(self) -> str:
        """Bluetooth address of the mask."""
        return self._address

    def now(self) -> float:
        """The event loop's monotonic clock."""
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        """Real time passes."""
        await asyncio.sleep(seconds)

    async def connect(self, disconnected: Callable[[BleakClient], None]) -> BleakClient:
        """Find the mask (once) and connect."""
        if self._device is None:
            self._device = await BleakScanner.find_device_by_address(
                self._address, timeout=self._scan_timeout_s
            )
        client = BleakClient(self._device or self._address, disconnected_callback=disconnected)
        await client.connect()
        return client

    async def reset(self) -> None:
        """Nothing to forget: a real mask is brought to a known state over the protocol."""

    async def advertisement(self) -> AdvertSnapshot | None:
        """Scan until the mask's advertisement is seen."""
        found: asyncio.Future[AdvertSnapshot] = asyncio.get_running_loop().create_future()

        def seen(device: BLEDevice, adv: AdvertisementData) -> None:
            if device.address.upper() == self._address.upper() and not found.done():
                found.set_result(
                    AdvertSnapshot(
                        adv.local_name, tuple(adv.service_uuids), dict(adv.manufacturer_data)
                    )
                )

        async with BleakScanner(detection_callback=seen):
            try:
                async with asyncio.timeout(self._scan_timeout_s):
                    return await found
            except TimeoutError:
                return None
