"""Asyncio client for the pressure mask.

One MaskClient owns one connection. Every request goes through `_request`, which numbers it,
writes it to the control point and waits for the indication with the same sequence number. The
client carries no policy: it sends what it is asked to, after checking only that the request
can be encoded.

Heartbeats keep alive only a session this client started on this link (`start_session` starts
them); the owner stops them with `stop_heartbeats` when it gives up on the session, and they
stop by themselves when a status shows no session or the link closes. A status that shows a
session never starts them: a session nobody supervises must die by the mask's own 3 s rule.
They go out on a fixed 1 s schedule, each matched to its response by sequence number, never
waiting for the previous one: one lost indication must not starve the mask of heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from bleak.exc import BleakError
import bleak_retry_connector
from bleak_retry_connector import BleakClientWithServiceCache, establish_connection

from .codec import (
    STATUS_LENGTH,
    AuthFinish,
    AuthHello,
    AuthOffer,
    ClearFault,
    Command,
    DeviceInfo,
    DeviceLimits,
    Heartbeat,
    KeySlot,
    PairConfirm,
    PairOffer,
    Pause,
    ProtocolError,
    ReadInfo,
    ReadLimits,
    ReadSlots,
    ReadStatus,
    Response,
    Resume,
    RevokeSlot,
    SetLimits,
    StartSession,
    Status,
    Stop,
    Vent,
    decode_frame,
    parse_battery_level,
    parse_dis_string,
    parse_proof,
    parse_slots,
    parse_status,
)
from .const import (
    BATTERY_LEVEL_UUID,
    CONTROL_POINT_UUID,
    FIRMWARE_REVISION_UUID,
    HEARTBEAT_INTERVAL_S,
    MASK_SERVICE_UUID,
    MAX_BAD_FRAMES,
    MODEL_NUMBER_UUID,
    SERIAL_NUMBER_UUID,
    STATUS_UUID,
    ResultCode,
)
from .errors import (
    AuthenticationError,
    ButtonNotPressedError,
    CommandRejected,
    KeyRejectedError,
    MaskConnectionError,
    MaskError,
    MaskTimeoutError,
)
from .routines import validate_routine
from .secure import (
    AuthAttempt,
    HostCredentials,
    PairingExchange,
    PairingRequest,
    SecureLink,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from bleak.backends.device import BLEDevice

    from .routines import Routine

_LOGGER = logging.getLogger(__name__)

# What bleak and bleak-retry-connector raise for a link that fails.
_LINK_ERRORS = (BleakError, EOFError, BrokenPipeError, TimeoutError)


class MaskClient:
    """Connection to one mask: pairing, authentication, sealed requests, status, heartbeats."""

    def __init__(
        self,
        ble_device: BLEDevice,
        *,
        credentials: HostCredentials | None = None,
        ble_device_callback: Callable[[], BLEDevice] | None = None,
        on_status: Callable[[Status], None] | None = None,
        on_disconnect: Callable[[], None] | None = None,
        response_timeout_s: float = 5.0,
        heartbeat_interval_s: float = HEARTBEAT_INTERVAL_S,
        client_kwargs: dict[str, Any] | None = None,
    ) -> None:
        """Prepare a client; nothing is sent until connect()."""
        self._ble_device = ble_device
        self._credentials = credentials
        self._ble_device_callback = ble_device_callback
        self._on_status = on_status
        self._on_disconnect = on_disconnect
        self._response_timeout_s = response_timeout_s
        self._heartbeat_interval_s = heartbeat_interval_s
        self._client_kwargs = client_kwargs or {}
        self._client: BleakClientWithServiceCache | None = None
        self._seq = 0
        self._pending: dict[int, tuple[Command, asyncio.Future[Response]]] = {}
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._heartbeats_in_flight: set[asyncio.Task[None]] = set()
        self._secure: SecureLink | None = None
        self._bad_frames = 0
        self._pairing: PairingExchange | None = None
        self._drop_task: asyncio.Task[None] | None = None
        self._expected_disconnect = False
        self.status: Status | None = None

    @property
    def address(self) -> str:
        """Bluetooth address of the mask."""
        return self._ble_device.address

    @property
    def credentials(self) -> HostCredentials | None:
        """This host's slot, key and the pinned mask identity, once paired."""
        return self._credentials

    @property
    def is_connected(self) -> bool:
        """The link is up."""
        return self._client is not None and self._client.is_connected

    @property
    def authenticated(self) -> bool:
        """This connection has authenticated."""
        return self._secure is not None and self.is_connected

    @property
    def heartbeats_running(self) -> bool:
        """Heartbeats are being sent (a session this client started is active)."""
        return self._heartbeat_task is not None and not self._heartbeat_task.done()

    # --- Connection ------------------------------------------------------------------------------

    async def connect(self) -> None:
        """Connect and subscribe to status notifications and control point indications."""
        if self.is_connected:
            return
        self._expected_disconnect = False
        try:
            # Looked up at call time, not import time: Home Assistant swaps in its routing
            # wrapper (local adapters and proxies alike) when Bluetooth starts, which may be
            # after this module was imported.
            client = await establish_connection(
                bleak_retry_connector.BleakClientWithServiceCache,
                self._ble_device,
                self._ble_device.name or self._ble_device.address,
                disconnected_callback=self._handle_bleak_disconnect,
                ble_device_callback=self._ble_device_callback,
                **self._client_kwargs,
            )
        except _LINK_ERRORS as err:
            raise MaskConnectionError(f"cannot connect to {self.address}: {err}") from err
        self._client = client
        try:
            if client.services.get_service(MASK_SERVICE_UUID) is None:
                raise MaskConnectionError(f"{self.address} has no pressure mask service")
            await client.start_notify(CONTROL_POINT_UUID, self._handle_indication)
            await client.start_notify(STATUS_UUID, self._handle_status)
        except _LINK_ERRORS as err:
            await self.disconnect()
            raise MaskConnectionError(f"cannot subscribe on {self.address}: {err}") from err
        except MaskConnectionError:
            await self.disconnect()
            raise

    async def disconnect(self) -> None:
        """Close the link. The mask ends any running session when the link drops."""
        self._expected_disconnect = True
        client, self._client = self._client, None
        self._connection_closed()
        if client is not None:
            with contextlib.suppress(*_LINK_ERRORS):
                await client.disconnect()

    def _handle_bleak_disconnect(self, _client: BleakClientWithServiceCache) -> None:
        self._client = None
        self._connection_closed()
        if not self._expected_disconnect and self._on_disconnect is not None:
            self._on_disconnect()

    def _connection_closed(self) -> None:
        self._secure = None
        self._bad_frames = 0
        self._pairing = None
        self.stop_heartbeats()
        for _command, future in self._pending.values():
            if not future.done():
                future.set_exception(MaskConnectionError("link closed"))
        self._pending.clear()

    # --- Incoming data ---------------------------------------------------------------------------

    def _opened(self, data: bytes, plain_length: int) -> bytes | None:
        """The plain bytes of an incoming frame or status, or None if it must be dropped."""
        secure = self._secure
        if secure is None:
            # Before authentication nothing is sealed; a trailer here is not ours.
            return data if len(data) == plain_length else None
        plain = secure.open(data, plain_length)
        if plain is not None:
            # Only rejections in a row close the link: a relay may damage one frame now and then.
            self._bad_frames = 0
        return plain

    def _reject_frame(self, what: str) -> None:
        # Never log the bytes: only that something was dropped. On an authenticated link a
        # few such frames in a row mean someone is injecting: close it (the mask vents on link
        # loss).
        _LOGGER.debug("%s: dropping %s", self.address, what)
        if self._secure is None:
            return
        self._bad_frames += 1
        if self._bad_frames == MAX_BAD_FRAMES:
            _LOGGER.warning(
                "%s: %d frames in a row failed authentication; closing the link",
                self.address,
                MAX_BAD_FRAMES,
            )
            # Kept referenced until done, so the closing task cannot be garbage-collected.
            self._drop_task = asyncio.get_running_loop().create_task(self._drop_link())

    async def _drop_link(self) -> None:
        await self.disconnect()
        if self._on_disconnect is not None:
            self._on_disconnect()

    def _handle_indication(self, _char: object, data: bytearray) -> None:
        raw = bytes(data)
        try:
            frame = decode_frame(raw)
        except ProtocolError as err:
            # A corrupted response is dropped; the request times out and the caller decides.
            self._reject_frame(f"undecodable control point data ({err})")
            return
        plain = self._opened(raw, len(frame.plain))
        if plain is None:
            self._reject_frame("a control point frame that failed authentication")
            return
        try:
            response = Response.from_frame(frame)
        except ProtocolError as err:
            _LOGGER.debug("%s: dropping a malformed response: %s", self.address, err)
            return
        pending = self._pending.get(response.seq)
        if pending is None or response.opcode != pending[0].OPCODE:
            _LOGGER.debug(
                "%s: unexpected response to opcode 0x%02x seq %d (%s)",
                self.address,
                response.opcode,
                response.seq,
                response.result.name,
            )
            return
        if not pending[1].done():
            pending[1].set_result(response)

    def _handle_status(self, _char: object, data: bytearray) -> None:
        plain = self._opened(bytes(data), STATUS_LENGTH)
        if plain is None:
            self._reject_frame("a status notification that failed authentication")
            return
        try:
            status = parse_status(plain)
        except ProtocolError as err:
            _LOGGER.debug("%s: dropping a malformed status: %s", self.address, err)
            return
        self.status = status
        if not status.session_active:
            self.stop_heartbeats()
        if self._on_status is not None:
            self._on_status(status)

    # --- Requests --------------------------------------------------------------------------------

    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) & 0xFF
        while self._seq in self._pending:
            self._seq = (self._seq + 1) & 0xFF
        return self._seq

    async def _request(self, command: Command) -> Response:
        """Send one request and wait for its response (any result)."""
        client = self._client
        if client is None or not client.is_connected:
            raise MaskConnectionError(f"{self.address} is not connected")
        seq = self._next_seq()
        future: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self._pending[seq] = (command, future)
        try:
            frame = command.encode(seq)
            if self._secure is not None:
                frame = self._secure.sealer.seal(frame)
            await client.write_gatt_char(CONTROL_POINT_UUID, frame, response=True)
            async with asyncio.timeout(self._response_timeout_s):
                return await future
        except TimeoutError as err:
            raise MaskTimeoutError(
                f"{command.OPCODE.name}: no response from {self.address}"
            ) from err
        except BleakError as err:
            raise MaskConnectionError(f"{command.OPCODE.name} failed: {err}") from err
        finally:
            if self._pending.get(seq, (None, None))[1] is future:
                del self._pending[seq]

    async def _command(self, command: Command) -> bytes:
        """Send a request that must succeed; return its response data."""
        response = await self._request(command)
        if response.result is not ResultCode.SUCCESS:
            raise CommandRejected(command.OPCODE, response.result)
        return response.payload

    async def begin_pairing(self) -> PairingExchange:
        """Open a pairing exchange (the mask must be in pairing mode); the key never travels.

        Show the returned fingerprint to the person, who compares it with the mask's label and
        presses the mask's button once; then call confirm_pairing().
        """
        request = PairingRequest.new()
        offer = _parse(PairOffer.decode, await self._command(request.command()))
        try:
            self._pairing = request.exchange(offer)
        except ValueError as err:
            raise MaskError("the mask offered an invalid public key") from err
        return self._pairing

    async def confirm_pairing(self) -> HostCredentials:
        """Finish the open exchange; ButtonNotPressedError until the button was pressed."""
        exchange = self._pairing
        if exchange is None:
            raise MaskError("no pairing exchange is open")
        response = await self._request(exchange.confirm())
        if response.result is ResultCode.AWAITING_BUTTON:
            raise ButtonNotPressedError("press the button on the mask to confirm pairing")
        self._pairing = None
        if response.result is not ResultCode.SUCCESS:
            raise CommandRejected(PairConfirm.OPCODE, response.result)
        credentials = exchange.credentials(_parse(parse_proof, response.payload))
        if credentials is None:
            raise AuthenticationError("the mask could not prove the pairing")
        self._credentials = credentials
        return credentials

    async def authenticate(self) -> None:
        """Handshake with this host's slot key; afterwards every frame is sealed.

        KeyRejectedError if the mask no longer knows this host (revoked, reset);
        AuthenticationError if the mask cannot prove it holds the pinned identity and the key.
        """
        credentials = self._credentials
        if credentials is None:
            raise AuthenticationError("no key: pair with the mask first")
        attempt = AuthAttempt.new(credentials)
        response = await self._request(attempt.hello())
        if response.result is ResultCode.NOT_AUTHENTICATED:
            raise KeyRejectedError("the mask does not know this host's key")
        if response.result is not ResultCode.SUCCESS:
            raise CommandRejected(AuthHello.OPCODE, response.result)
        finished = attempt.finish(_parse(AuthOffer.decode, response.payload))
        if finished is None:
            raise AuthenticationError("the mask could not prove its identity and key")
        finish, secure = finished
        response = await self._request(finish)
        if response.result is ResultCode.NOT_AUTHENTICATED:
            raise KeyRejectedError("the mask rejected this host's proof")
        if response.result is not ResultCode.SUCCESS:
            raise CommandRejected(AuthFinish.OPCODE, response.result)
        self._secure = secure

    async def read_slots(self) -> tuple[KeySlot, ...]:
        """List the mask's key slots."""
        return _parse(parse_slots, await self._command(ReadSlots()))

    async def revoke_slot(self, slot: int) -> None:
        """Forget one slot's key on the mask (revoking this host's own slot ends the link)."""
        await self._command(RevokeSlot(slot))

    async def start_session(
        self, routine: Routine, *, max_duration_s: int, await_button: bool
    ) -> None:
        """Start (or, with await_button, arm) a routine; heartbeats start with it."""
        validate_routine(routine)
        await self._command(StartSession(routine.steps, max_duration_s, await_button))
        self.start_heartbeats()

    async def stop(self) -> None:
        """End the session and release (needs no authentication)."""
        await self._command(Stop())

    async def vent(self) -> None:
        """Emergency release of every bladder (needs no authentication)."""
        await self._command(Vent())

    async def pause(self) -> None:
        """Pause the running session (the mask releases while paused)."""
        await self._command(Pause())

    async def resume(self) -> None:
        """Resume a paused session."""
        await self._command(Resume())

    async def heartbeat(self) -> None:
        """Tell the mask the host is alive."""
        await self._command(Heartbeat())

    async def clear_fault(self) -> None:
        """Clear a latched fault whose cause has gone."""
        await self._command(ClearFault())

    async def set_limits(self, limits: DeviceLimits) -> None:
        """Store new device limits."""
        await self._command(SetLimits(limits))

    async def read_limits(self) -> DeviceLimits:
        """Read the stored device limits."""
        return _parse(DeviceLimits.decode, await self._command(ReadLimits()))

    async def read_info(self) -> DeviceInfo:
        """Read model, firmware, serial and protocol version."""
        return _parse(DeviceInfo.decode, await self._command(ReadInfo()))

    async def read_status(self) -> Status:
        """Read the current status."""
        status = _parse(parse_status, await self._command(ReadStatus()))
        self.status = status
        return status

    async def read_battery(self) -> int:
        """Read the Battery Level characteristic."""
        return _parse(parse_battery_level, await self._read_characteristic(BATTERY_LEVEL_UUID))

    async def read_device_information(self) -> DeviceInfo:
        """Read model, firmware and serial from the standard Device Information service."""
        model, firmware, serial = [
            _parse(parse_dis_string, await self._read_characteristic(uuid))
            for uuid in (MODEL_NUMBER_UUID, FIRMWARE_REVISION_UUID, SERIAL_NUMBER_UUID)
        ]
        return DeviceInfo(model=model, firmware=firmware, serial=serial)

    async def _read_characteristic(self, uuid: str) -> bytes:
        """Read a plain GATT characteristic (no framing, no authentication)."""
        client = self._client
        if client is None or not client.is_connected:
            raise MaskConnectionError(f"{self.address} is not connected")
        try:
            return bytes(await client.read_gatt_char(uuid))
        except BleakError as err:
            raise MaskConnectionError(f"reading {uuid} failed: {err}") from err

    # --- Heartbeats ------------------------------------------------------------------------------

    def start_heartbeats(self) -> None:
        """Keep the session this client started alive (idempotent)."""
        if not self.heartbeats_running and self.is_connected:
            self._heartbeat_task = asyncio.get_running_loop().create_task(
                self._heartbeat_loop(), name=f"pressure_mask heartbeat {self.address}"
            )

    def stop_heartbeats(self) -> None:
        """Stop keeping the session alive: the mask vents within its heartbeat timeout."""
        task, self._heartbeat_task = self._heartbeat_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
        for request in self._heartbeats_in_flight:
            request.cancel()
        self._heartbeats_in_flight.clear()

    async def _heartbeat_loop(self) -> None:
        """One heartbeat per interval on a fixed schedule, never waiting for a response."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        while self.is_connected:
            due = max(due + self._heartbeat_interval_s, loop.time())
            await asyncio.sleep(due - loop.time())
            request = loop.create_task(self._send_heartbeat())
            self._heartbeats_in_flight.add(request)
            request.add_done_callback(self._heartbeats_in_flight.discard)

    async def _send_heartbeat(self) -> None:
        try:
            await self.heartbeat()
        except MaskError as err:
            # The next one goes out on schedule anyway; the mask vents if they stay missing.
            _LOGGER.debug("%s: heartbeat failed: %s", self.address, err)


def _parse[T](parser: Callable[[bytes], T], payload: bytes) -> T:
    """Run a response-data parser, turning protocol errors into MaskError."""
    try:
        return parser(payload)
    except ProtocolError as err:
        raise MaskError(f"malformed response: {err}") from err
