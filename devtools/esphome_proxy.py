"""An emulated ESPHome Bluetooth proxy: the ESPHome native API on a loopback port.

Home Assistant's own `esphome` integration adds it as a device (host 127.0.0.1, the port it
listens on, no encryption) and reaches the virtual masks it hears through aioesphomeapi,
bleak-esphome's scanner and client and habluetooth, exactly the code a real installation runs.
Messages are aioesphomeapi's own protobuf definitions in its plaintext frame format
(0x00, varuint length, varuint type, payload). On the radio side each connection is a
VirtualMaskBackend, so every frame reaches the virtual mask byte for byte.

    proxy = EsphomeProxy()
    port = await proxy.start()            # listening on 127.0.0.1:port
    proxy.hear(mask)                      # the mask is in range; its advertisement is forwarded
    ...                                   # add an esphome config entry for 127.0.0.1:port
    await proxy.flush()                   # every message sent so far has been processed
    proxy.drop_api_connections()          # the TCP connection to Home Assistant breaks
    proxy.lose_api_connections_silently() # Home Assistant vanishes; the proxy has not noticed
    proxy.advance(150.0)                  # the proxy's clock: its keepalive gives up on them
    await proxy.stop()

It reports itself as an active Bluetooth proxy with remote caching and raw advertisements, and
behaves as ESPHome's bluetooth_proxy does where Home Assistant depends on it: connection slots
and the free list, the services list sent once per connection (the host caches it),
notifications enabled by the host's CCCD write, and a client's BLE links dropped when that
client goes away. A client that vanishes without a word (a crash, a power cut, a broken network:
no FIN or RST reaches the ESP) is believed alive, its links and their slots kept, until the
proxy's API keepalive gives up on it, 150 s after it was last heard (ESPHome pings after 60 s of
silence and disconnects at 2.5 times that). The proxy's clock is its own (`advance`), as the
virtual mask's is.

One simplification: ESPHome serves Bluetooth to a single subscribed API client (a second one is
refused, "Only one API subscription is allowed at a time"); this proxy serves each client its
own links, and answers a request for another client's link to that client, as ESPHome answers
its subscriber.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import logging
from typing import TYPE_CHECKING, Any, Final
import uuid

from aioesphomeapi import BluetoothProxyFeature, api_pb2
from aioesphomeapi._frame_helper.packets import make_plain_text_packets
from aioesphomeapi.core import MESSAGE_TYPE_TO_PROTO
from bleak.exc import BleakError
from bluetooth_data_tools import int_to_bluetooth_address, mac_to_int

from devtools.virtual_mask import VirtualMask, VirtualMaskBackend

if TYPE_CHECKING:
    from collections.abc import Callable

    from bleak.backends.characteristic import BleakGATTCharacteristic
    from bleak.backends.service import BleakGATTServiceCollection

_LOGGER = logging.getLogger(__name__)

# aioesphomeapi's generated protobuf classes carry no type information.
pb: Any = api_pb2
type Message = Any  # a google.protobuf message (the package ships no type stubs)

API_VERSION: Final = (1, 14)
DEFAULT_NAME: Final = "mask-proxy"
DEFAULT_MAC: Final = "AA:BB:CC:00:10:00"
DEFAULT_CONNECTION_SLOTS: Final = 3
DEFAULT_RSSI: Final = -60
FEATURE_FLAGS: Final = (
    BluetoothProxyFeature.PASSIVE_SCAN
    | BluetoothProxyFeature.ACTIVE_CONNECTIONS
    | BluetoothProxyFeature.REMOTE_CACHING
    | BluetoothProxyFeature.RAW_ADVERTISEMENTS
)
CCCD_UUID: Final = "00002902-0000-1000-8000-00805f9b34fb"
# GATT error codes the ESP reports (ESP-IDF's esp_gatt_status_t).
GATT_ERROR_INVALID_HANDLE: Final = 0x01
GATT_ERROR_NOT_CONNECTED: Final = 0x85
# BluetoothDeviceConnectionResponse.error when a link ends under the host (ESP_GATT_CONN_TIMEOUT).
LINK_LOST_ERROR: Final = 0x08
# No free connection slot (ESP_GATT_NO_RESOURCES).
NO_SLOT_ERROR: Final = 0x80
# ESPHome's API keepalive: a ping after 60 s of silence, the client dropped at 2.5 times that.
API_KEEPALIVE_S: Final = 60.0
API_KEEPALIVE_GIVE_UP_S: Final = API_KEEPALIVE_S * 5 / 2
_MESSAGE_ID: Final[dict[type[Any], int]] = {
    proto: msg_id for msg_id, proto in MESSAGE_TYPE_TO_PROTO.items()
}
_PROPERTY_BITS: Final = {
    "broadcast": 0x01,
    "read": 0x02,
    "write-without-response": 0x04,
    "write": 0x08,
    "notify": 0x10,
    "indicate": 0x20,
}
# Request types that open a link (CONNECT_V3_WITH_CACHE: the host already has the services).
_CONNECT_REQUESTS: Final = (
    pb.BLUETOOTH_DEVICE_REQUEST_TYPE_CONNECT_V3_WITH_CACHE,
    pb.BLUETOOTH_DEVICE_REQUEST_TYPE_CONNECT_V3_WITHOUT_CACHE,
)


def _split_uuid(value: str) -> list[int]:
    """The high and low 64 bits of a 128-bit UUID, as the API carries them."""
    number = uuid.UUID(value).int
    return [number >> 64, number & 0xFFFF_FFFF_FFFF_FFFF]


def _ad_structure(ad_type: int, payload: bytes) -> bytes:
    return bytes((len(payload) + 1, ad_type)) + payload


def raw_advertisement(
    local_name: str | None, service_uuids: list[str], manufacturer_data: dict[int, bytes]
) -> bytes:
    """Advertising data plus scan response as the ESP forwards them (AD structures)."""
    data = _ad_structure(0x01, b"\x06")  # flags: LE general discoverable, BR/EDR unsupported
    for service_uuid in service_uuids:
        data += _ad_structure(0x07, uuid.UUID(service_uuid).bytes[::-1])
    for company_id, payload in manufacturer_data.items():
        data += _ad_structure(0xFF, company_id.to_bytes(2, "little") + payload)
    if local_name:
        data += _ad_structure(0x09, local_name.encode())
    return data


@dataclass(slots=True)
class NotificationFaults:
    """What the proxy does to notifications and indications on their way to Home Assistant."""

    # Characteristic UUID -> how many of its next notifications are lost in the proxy.
    drop: dict[str, int] = field(default_factory=dict)
    # While True, notifications wait in `held` until EsphomeProxy.release_notifications().
    hold: bool = False
    held: list[tuple[int, int, bytes]] = field(default_factory=list)
    dropped: list[tuple[str, bytes]] = field(default_factory=list)


class _Link:
    """One BLE connection the proxy holds for an API client."""

    def __init__(self, proxy: EsphomeProxy, address: int, owner: _ApiConnection) -> None:
        self.proxy = proxy
        self.address = address
        self.owner: _ApiConnection | None = owner
        self.backend = VirtualMaskBackend(
            int_to_bluetooth_address(address), disconnected_callback=self._link_lost
        )

    @property
    def mtu(self) -> int:
        if self.proxy.mtu is None:
            return self.backend.mtu_size
        return min(self.proxy.mtu, self.backend.mtu_size)

    @property
    def services(self) -> BleakGATTServiceCollection:
        if (services := self.backend.services) is None:
            raise BleakError("not connected")
        return services

    def characteristic(self, handle: int) -> BleakGATTCharacteristic | None:
        return self.services.get_characteristic(handle)

    def notifier(self, handle: int) -> Callable[[bytearray], None]:
        def forward(data: bytearray) -> None:
            self.proxy.forward_notification(self, handle, bytes(data))

        return forward

    def _link_lost(self) -> None:
        """The mask dropped the link (out of range, DROP_LINK fault, its own timeout)."""
        self.proxy.link_ended(self, error=LINK_LOST_ERROR)


class _ApiConnection:
    """One API client (a Home Assistant) on the proxy."""

    def __init__(
        self, proxy: EsphomeProxy, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.proxy = proxy
        self.reader = reader
        self.writer = writer
        self.advertisements = False
        self.connections_free = False
        self.pongs: list[asyncio.Future[None]] = []
        self.closed = False
        # Since when (the proxy's clock) nothing from this client reaches the proxy, and nothing
        # reaches it, while the proxy still believes it is there; None while it is heard.
        self.unheard_since: float | None = None

    def send(self, *messages: Message) -> None:
        if self.closed or self.unheard_since is not None or self.writer.is_closing():
            return
        packets = [(_MESSAGE_ID[type(msg)], msg.SerializeToString()) for msg in messages]
        self.writer.write(b"".join(make_plain_text_packets(packets)))

    async def serve(self) -> None:
        try:
            while True:
                msg_type, payload = await self._read_frame()
                proto = MESSAGE_TYPE_TO_PROTO.get(msg_type)
                if proto is None:
                    _LOGGER.debug("ignoring unknown message type %s", msg_type)
                    continue
                if self.unheard_since is not None:
                    continue  # lost on the way: the proxy never sees it
                message = proto()
                message.ParseFromString(payload)
                await self.proxy.handle(self, message)
        except asyncio.IncompleteReadError, ConnectionError:
            pass
        finally:
            # The end of an unheard client's socket does not reach the proxy either: only its
            # keepalive ends it (EsphomeProxy.advance).
            if self.unheard_since is None:
                self.close()

    async def _read_varuint(self) -> int:
        result = shift = 0
        while True:
            byte = (await self.reader.readexactly(1))[0]
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    async def _read_frame(self) -> tuple[int, bytes]:
        if (preamble := (await self.reader.readexactly(1))[0]) != 0:
            raise ConnectionError(f"unexpected preamble {preamble:#x} (noise is not offered)")
        length = await self._read_varuint()
        msg_type = await self._read_varuint()
        return msg_type, await self.reader.readexactly(length) if length else b""

    def close(self, *, abort: bool = False) -> None:
        if self.closed:
            return
        self.closed = True
        for pong in self.pongs:
            if not pong.done():
                pong.set_exception(ConnectionError("API connection closed"))
        if abort and (transport := self.writer.transport) is not None:
            transport.abort()  # a TCP reset, as when the proxy reboots or the network breaks
        else:
            self.writer.close()
        self.proxy.connection_closed(self)


class EsphomeProxy:
    """An ESPHome Bluetooth proxy that Home Assistant's esphome integration connects to."""

    def __init__(
        self,
        *,
        name: str = DEFAULT_NAME,
        friendly_name: str = "Mask Bluetooth proxy",
        mac: str = DEFAULT_MAC,
        connection_slots: int = DEFAULT_CONNECTION_SLOTS,
        mtu: int | None = None,
    ) -> None:
        """Describe the proxy; `start()` opens its port.

        `mtu` caps the ATT MTU the proxy reports for its links (None: the mask's own), so a
        test can make frames longer than the MTU (the ESP then performs a long write).
        """
        self.name = name
        self.friendly_name = friendly_name
        self.mac = mac
        # The Bluetooth MAC is the Wi-Fi MAC plus one on an ESP32, and the scanner's source.
        self.bluetooth_mac = int_to_bluetooth_address(mac_to_int(mac) + 1)
        self.connection_slots = connection_slots
        self.mtu = mtu
        self.notification_faults = NotificationFaults()
        self.port = 0
        self.now = 0.0  # the proxy's clock, in seconds (see `advance`)
        self.links: dict[int, _Link] = {}
        # Every request Home Assistant sent, in order (message type names), for assertions.
        self.requests: list[str] = []
        # Every characteristic value written to a mask, and every notification or indication
        # delivered to Home Assistant (by characteristic UUID), byte for byte.
        self.writes: list[bytes] = []
        self.notified: dict[str, list[bytes]] = {}
        self._heard: dict[str, tuple[VirtualMask, int]] = {}
        self._clients: list[_ApiConnection] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._scanning = asyncio.Event()

    # --- Lifecycle -------------------------------------------------------------------------------

    async def start(self, port: int = 0) -> int:
        """Listen on 127.0.0.1 (a free port unless one is given); returns the port."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", port or self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Close the port, every API connection and every BLE link."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self.drop_api_connections()
        for link in list(self.links.values()):
            await self._disconnect_link(link)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks)

    def drop_api_connections(self) -> None:
        """The TCP connections to Home Assistant break (reset), as in a reboot or Wi-Fi loss."""
        for client in list(self._clients):
            client.close(abort=True)

    def lose_api_connections_silently(self) -> None:
        """Every API client vanishes without a word (Home Assistant crashed, lost power, or the
        network between them broke): from now on nothing it sends reaches the proxy and nothing
        reaches it, but the proxy believes it is there, keeping its links and their slots, until
        its keepalive gives up on it (`advance`)."""
        for client in self._clients:
            if client.unheard_since is None:
                client.unheard_since = self.now
        self._scanning.clear()  # nobody the proxy can hear is subscribed now

    def advance(self, seconds: float) -> None:
        """Move the proxy's clock: a client unheard for API_KEEPALIVE_GIVE_UP_S is dropped (its
        links go, and their slots are free again)."""
        self.now += seconds
        for client in list(self._clients):
            if (
                client.unheard_since is not None
                and self.now - client.unheard_since >= API_KEEPALIVE_GIVE_UP_S
            ):
                _LOGGER.debug(
                    "API client unheard for %.0f s: ping timeout", API_KEEPALIVE_GIVE_UP_S
                )
                client.close()

    async def reboot(self) -> None:
        """Restart the firmware: connections reset, BLE links gone, the port open again."""
        self.drop_api_connections()
        for link in list(self.links.values()):
            await self._disconnect_link(link)

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client = _ApiConnection(self, reader, writer)
        self._clients.append(client)
        task = asyncio.get_running_loop().create_task(client.serve())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def connection_closed(self, client: _ApiConnection) -> None:
        """An API client went away: ESPHome drops the BLE links it served."""
        if client in self._clients:
            self._clients.remove(client)
        if not any(other.advertisements and other.unheard_since is None for other in self._clients):
            self._scanning.clear()
        for link in list(self.links.values()):
            if link.owner is client:
                link.owner = None
                self._spawn(self._disconnect_link(link))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_for_scanner(self, timeout_s: float = 10.0) -> None:
        """Wait until Home Assistant has set up its scanner on the proxy (it subscribed)."""
        async with asyncio.timeout(timeout_s):
            await self._scanning.wait()

    async def flush(self) -> None:
        """Wait until every API client has processed everything sent to it (a ping round trip)."""
        loop = asyncio.get_running_loop()
        pongs = []
        for client in self._clients:
            if client.unheard_since is not None:
                continue  # it would never answer
            pong: asyncio.Future[None] = loop.create_future()
            client.pongs.append(pong)
            client.send(pb.PingRequest())
            pongs.append(pong)
        for pong in pongs:
            try:
                await pong
            except ConnectionError:
                continue

    # --- Radio -----------------------------------------------------------------------------------

    def hear(self, mask: VirtualMask, *, rssi: int = DEFAULT_RSSI) -> None:
        """The mask is in range of this proxy; forward its current advertisement."""
        self._heard[mask.address.upper()] = (mask, rssi)
        self.advertise(mask)

    def forget(self, mask: VirtualMask) -> None:
        """The mask is out of range of this proxy (no more advertisements)."""
        self._heard.pop(mask.address.upper(), None)

    def advertise(self, mask: VirtualMask | None = None) -> None:
        """Forward the current advertisement of one heard mask, or of all of them."""
        heard = (
            list(self._heard.values())
            if mask is None
            else [self._heard[mask.address.upper()]]
            if mask.address.upper() in self._heard
            else []
        )
        if not heard:
            return
        message = pb.BluetoothLERawAdvertisementsResponse(
            advertisements=[
                pb.BluetoothLERawAdvertisement(
                    address=mac_to_int(heard_mask.address),
                    rssi=rssi,
                    address_type=0,
                    data=raw_advertisement(*heard_mask.advertisement_data()),
                )
                for heard_mask, rssi in heard
            ]
        )
        for client in self._clients:
            if client.advertisements:
                client.send(message)

    def forward_notification(self, link: _Link, handle: int, data: bytes) -> None:
        """A notification or indication from the mask, on its way to the link's client."""
        faults = self.notification_faults
        char = link.characteristic(handle)
        if char is not None and faults.drop.get(char.uuid, 0) > 0:
            faults.drop[char.uuid] -= 1
            faults.dropped.append((char.uuid, data))
            return
        if faults.hold:
            faults.held.append((link.address, handle, data))
            return
        self._deliver(link, handle, data)

    def _deliver(self, link: _Link, handle: int, data: bytes) -> None:
        if link.owner is None:
            return
        if (char := link.characteristic(handle)) is not None:
            self.notified.setdefault(char.uuid, []).append(data)
        link.owner.send(
            pb.BluetoothGATTNotifyDataResponse(address=link.address, handle=handle, data=data)
        )

    def release_notifications(self) -> None:
        """Deliver the held notifications, late, in order."""
        faults = self.notification_faults
        faults.hold = False
        held, faults.held = faults.held, []
        for address, handle, data in held:
            if (link := self.links.get(address)) is not None:
                self._deliver(link, handle, data)

    # --- Connection slots ------------------------------------------------------------------------

    def _connections_free(self) -> Message:
        return pb.BluetoothConnectionsFreeResponse(
            free=max(0, self.connection_slots - len(self.links)),
            limit=self.connection_slots,
            allocated=list(self.links),
        )

    def _slots_changed(self) -> None:
        message = self._connections_free()
        for client in self._clients:
            if client.connections_free:
                client.send(message)

    def set_connection_slots(self, slots: int) -> None:
        """Change how many links the proxy can hold (0: every slot taken by other devices)."""
        self.connection_slots = slots
        self._slots_changed()

    def link_ended(self, link: _Link, *, error: int = 0) -> None:
        """A link is gone: free its slot and tell its client."""
        if self.links.get(link.address) is not link:
            return
        del self.links[link.address]
        if link.owner is not None:
            link.owner.send(
                pb.BluetoothDeviceConnectionResponse(
                    address=link.address, connected=False, mtu=0, error=error
                )
            )
        self._slots_changed()

    async def _disconnect_link(self, link: _Link) -> None:
        await link.backend.disconnect()
        self.link_ended(link)

    # --- Requests --------------------------------------------------------------------------------

    async def handle(self, client: _ApiConnection, message: Message) -> None:  # noqa: PLR0912
        """Answer one request."""
        self.requests.append(type(message).__name__)
        match message:
            case pb.HelloRequest():
                client.send(
                    pb.HelloResponse(
                        api_version_major=API_VERSION[0],
                        api_version_minor=API_VERSION[1],
                        server_info=f"{self.name} (emulated ESPHome Bluetooth proxy)",
                        name=self.name,
                    )
                )
            case pb.DeviceInfoRequest():
                client.send(self._device_info())
            case pb.ListEntitiesRequest():
                client.send(pb.ListEntitiesDoneResponse())
            case pb.PingRequest():
                client.send(pb.PingResponse())
            case pb.PingResponse():
                if client.pongs:
                    pong = client.pongs.pop(0)
                    if not pong.done():
                        pong.set_result(None)
            case pb.DisconnectRequest():
                # The client closes once it has the answer; closing first, with its last
                # messages unread, would reset the connection under it.
                client.send(pb.DisconnectResponse())
            case pb.SubscribeBluetoothLEAdvertisementsRequest():
                client.advertisements = True
                self._scanning.set()
                self.advertise()
            case pb.UnsubscribeBluetoothLEAdvertisementsRequest():
                client.advertisements = False
            case pb.SubscribeBluetoothConnectionsFreeRequest():
                client.connections_free = True
                client.send(self._connections_free())
            case pb.BluetoothDeviceRequest():
                await self._device_request(client, message)
            case pb.BluetoothGATTGetServicesRequest():
                self._send_services(client, message.address)
            case (
                pb.BluetoothGATTReadRequest()
                | pb.BluetoothGATTWriteRequest()
                | pb.BluetoothGATTNotifyRequest()
                | pb.BluetoothGATTReadDescriptorRequest()
                | pb.BluetoothGATTWriteDescriptorRequest()
            ):
                await self._gatt_request(client, message)

    def _device_info(self) -> Message:
        return pb.DeviceInfoResponse(
            uses_password=False,
            name=self.name,
            friendly_name=self.friendly_name,
            mac_address=self.mac,
            bluetooth_mac_address=self.bluetooth_mac,
            esphome_version="2026.10.0",
            compilation_time="Dec  1 2026, 12:00:00",
            model="esp32dev",
            manufacturer="Espressif",
            bluetooth_proxy_feature_flags=int(FEATURE_FLAGS),
        )

    async def _device_request(self, client: _ApiConnection, request: Any) -> None:
        address = request.address
        if request.request_type in _CONNECT_REQUESTS:
            await self._connect(client, address)
        elif request.request_type == pb.BLUETOOTH_DEVICE_REQUEST_TYPE_DISCONNECT:
            if (link := self.links.get(address)) is not None:
                await self._disconnect_link(link)
            else:
                client.send(pb.BluetoothDeviceConnectionResponse(address=address, connected=False))
        else:  # pairing and cache clearing are not offered (not in the feature flags)
            client.send(
                pb.BluetoothDeviceConnectionResponse(
                    address=address, connected=False, error=GATT_ERROR_NOT_CONNECTED
                )
            )

    async def _connect(self, client: _ApiConnection, address: int) -> None:
        if (link := self.links.get(address)) is not None:
            # "Connection already established": answered to the client the link serves, as
            # ESPHome answers its subscriber (for a stale link, nobody hears it).
            if link.owner is not None:
                link.owner.send(
                    pb.BluetoothDeviceConnectionResponse(
                        address=address, connected=True, mtu=link.mtu
                    )
                )
            return
        if len(self.links) >= self.connection_slots:
            client.send(
                pb.BluetoothDeviceConnectionResponse(
                    address=address, connected=False, error=NO_SLOT_ERROR
                )
            )
            return
        link = _Link(self, address, client)
        try:
            await link.backend.connect(pair=False)
        except BleakError as err:
            _LOGGER.debug("connect to %s failed: %s", int_to_bluetooth_address(address), err)
            client.send(
                pb.BluetoothDeviceConnectionResponse(
                    address=address, connected=False, error=LINK_LOST_ERROR
                )
            )
            return
        self.links[address] = link
        client.send(
            pb.BluetoothDeviceConnectionResponse(address=address, connected=True, mtu=link.mtu)
        )
        self._slots_changed()

    def _send_services(self, client: _ApiConnection, address: int) -> None:
        if (link := self.links.get(address)) is None:
            client.send(
                pb.BluetoothGATTErrorResponse(address=address, error=GATT_ERROR_NOT_CONNECTED)
            )
            return
        services = []
        for service in link.services:
            characteristics = []
            for char in service.characteristics:
                descriptors = []
                if {"notify", "indicate"} & set(char.properties):
                    descriptors.append(
                        pb.BluetoothGATTDescriptor(
                            uuid=_split_uuid(CCCD_UUID), handle=self._cccd_handle(char)
                        )
                    )
                characteristics.append(
                    pb.BluetoothGATTCharacteristic(
                        uuid=_split_uuid(char.uuid),
                        handle=char.handle,
                        properties=sum(_PROPERTY_BITS.get(p, 0) for p in char.properties),
                        descriptors=descriptors,
                    )
                )
            services.append(
                pb.BluetoothGATTService(
                    uuid=_split_uuid(service.uuid),
                    handle=service.handle,
                    characteristics=characteristics,
                )
            )
        # One service per message, as the ESP sends them, then the end marker.
        for service_message in services:
            client.send(
                pb.BluetoothGATTGetServicesResponse(address=address, services=[service_message])
            )
        client.send(pb.BluetoothGATTGetServicesDoneResponse(address=address))

    @staticmethod
    def _cccd_handle(char: BleakGATTCharacteristic) -> int:
        """The CCCD sits right after the characteristic's value handle."""
        return char.handle + 1

    def _cccd_owner(self, link: _Link, handle: int) -> BleakGATTCharacteristic | None:
        char = link.characteristic(handle - 1)
        if char is not None and {"notify", "indicate"} & set(char.properties):
            return char
        return None

    async def _gatt_request(self, client: _ApiConnection, request: Any) -> None:
        address, handle = request.address, request.handle
        if (link := self.links.get(address)) is None or link.owner is not client:
            client.send(
                pb.BluetoothGATTErrorResponse(
                    address=address, handle=handle, error=GATT_ERROR_NOT_CONNECTED
                )
            )
            return
        backend = link.backend
        try:
            match request:
                case pb.BluetoothGATTReadRequest():
                    char = self._characteristic(link, handle)
                    data = await backend.read_gatt_char(char)
                    client.send(
                        pb.BluetoothGATTReadResponse(
                            address=address, handle=handle, data=bytes(data)
                        )
                    )
                case pb.BluetoothGATTWriteRequest():
                    char = self._characteristic(link, handle)
                    # A write longer than MTU - 3 goes out as a long write (prepare/execute)
                    # on the radio; the mask receives the whole value in one piece.
                    self.writes.append(bytes(request.data))
                    await backend.write_gatt_char(char, bytes(request.data), request.response)
                    if request.response:
                        client.send(pb.BluetoothGATTWriteResponse(address=address, handle=handle))
                case pb.BluetoothGATTNotifyRequest():
                    char = self._characteristic(link, handle)
                    if request.enable:
                        await backend.start_notify(char, link.notifier(handle))
                        client.send(pb.BluetoothGATTNotifyResponse(address=address, handle=handle))
                    else:
                        await backend.stop_notify(char)
                case pb.BluetoothGATTWriteDescriptorRequest():
                    # Only CCCDs are writable; the subscription itself was made by the
                    # notify request (remote caching: the host writes the CCCD).
                    if self._cccd_owner(link, handle) is None:
                        raise BleakError(f"descriptor {handle} is not writable")
                    client.send(pb.BluetoothGATTWriteResponse(address=address, handle=handle))
                case pb.BluetoothGATTReadDescriptorRequest():
                    raise BleakError(f"descriptor {handle} is not readable")
        except BleakError as err:
            _LOGGER.debug("GATT request on handle %s failed: %s", handle, err)
            client.send(
                pb.BluetoothGATTErrorResponse(
                    address=address, handle=handle, error=GATT_ERROR_INVALID_HANDLE
                )
            )

    @staticmethod
    def _characteristic(link: _Link, handle: int) -> BleakGATTCharacteristic:
        if (char := link.characteristic(handle)) is None:
            raise BleakError(f"no characteristic at handle {handle}")
        return char
