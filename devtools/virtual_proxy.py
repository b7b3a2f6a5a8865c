"""A virtual connectable Bluetooth proxy that puts virtual masks on Home Assistant's radio.

It plugs into Home Assistant's Bluetooth manager exactly as an ESPHome Bluetooth proxy does: a
habluetooth remote scanner whose connector's client backend is the virtual mask's bleak backend.
Advertisements injected here reach discovery, config flows and coordinators; connections that
Home Assistant routes through this proxy reach the virtual mask byte for byte. Nothing of the
integration or the device library is patched.

    proxy = VirtualProxy(hass)          # registered with the manager
    proxy.advertise(mask)               # the mask's current advertisement, as heard by the proxy
    proxy.remove()                      # unregistered; its devices go stale

Tests use it through tests/conftest.py: it is the fast path. The demo and the proxy tests use the
emulated ESPHome proxy instead (devtools/esphome_proxy.py), through the esphome integration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bluetooth_data_tools import monotonic_time_coarse
from habluetooth import BaseHaRemoteScanner, HaBluetoothConnector
from homeassistant.components import bluetooth

from devtools.virtual_mask import VirtualMask, VirtualMaskBackend

if TYPE_CHECKING:
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

DEFAULT_SOURCE: Final = "AA:BB:CC:00:00:01"
DEFAULT_RSSI: Final = -60
DEFAULT_CONNECTION_SLOTS: Final = 3


class VirtualProxyScanner(BaseHaRemoteScanner):
    """The proxy's scanner as Home Assistant's manager sees it."""


class VirtualProxy:
    """A virtual Bluetooth proxy registered with Home Assistant's Bluetooth manager."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        source: str = DEFAULT_SOURCE,
        name: str = "Virtual proxy",
        connection_slots: int = DEFAULT_CONNECTION_SLOTS,
        connectable: bool = True,
    ) -> None:
        """Create the proxy and register it with the manager (Bluetooth must be set up)."""
        self.hass = hass
        self.source = source
        self.connectable = connectable
        # True while the proxy has free slots; a test sets it False to model a full proxy.
        self.can_connect = True
        connector = HaBluetoothConnector(
            client=VirtualMaskBackend, source=source, can_connect=lambda: self.can_connect
        )
        self.scanner = VirtualProxyScanner(source, name, connector, connectable)
        self._unsetup: list[CALLBACK_TYPE] = [
            bluetooth.async_register_scanner(hass, self.scanner, connection_slots=connection_slots),
            self.scanner.async_setup(),
        ]

    def advertise(
        self, mask: VirtualMask, *, rssi: int = DEFAULT_RSSI, time: float | None = None
    ) -> None:
        """Deliver the mask's current advertisement to Home Assistant, as heard by this proxy."""
        name, service_uuids, manufacturer_data = mask.advertisement_data()
        self.inject_advertisement(
            mask.address,
            local_name=name,
            service_uuids=service_uuids,
            manufacturer_data=manufacturer_data,
            rssi=rssi,
            time=time,
        )

    def inject_advertisement(
        self,
        address: str,
        *,
        local_name: str | None = None,
        service_uuids: list[str] | None = None,
        manufacturer_data: dict[int, bytes] | None = None,
        service_data: dict[str, bytes] | None = None,
        rssi: int = DEFAULT_RSSI,
        time: float | None = None,
    ) -> None:
        """Deliver any advertisement (for devices that are not virtual masks, or malformed data)."""
        self.scanner._async_on_advertisement(  # the entry point an ESPHome proxy uses
            address,
            rssi,
            local_name,
            service_uuids or [],
            service_data or {},
            manufacturer_data or {},
            None,
            {},
            monotonic_time_coarse() if time is None else time,
        )

    def remove(self) -> None:
        """Unregister the proxy; devices only it heard become unavailable later."""
        while self._unsetup:
            self._unsetup.pop()()
