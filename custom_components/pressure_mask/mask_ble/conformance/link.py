"""The host side of a conformance case: raw frames in, every byte recorded, time on the target.

The suite does not use MaskClient: a case must be able to send what a conforming host never
would (a bad CRC, a stray payload byte, no heartbeat at all) and see exactly what came back.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from custom_components.pressure_mask.mask_ble.codec import (
    STATUS_LENGTH,
    AuthOffer,
    Command,
    Heartbeat,
    PairOffer,
    ProtocolError,
    ReadStatus,
    Response,
    Status,
    decode_frame,
    parse_proof,
    parse_status,
)
from custom_components.pressure_mask.mask_ble.const import (
    CONTROL_POINT_UUID,
    HEARTBEAT_INTERVAL_S,
    STATUS_UUID,
    ResultCode,
)
from custom_components.pressure_mask.mask_ble.secure import (
    AuthAttempt,
    HostCredentials,
    PairingExchange,
    PairingRequest,
    SecureLink,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from bleak import BleakClient

    from .target import Target

# Hosts use 5 s; the suite waits as long before it calls a request unanswered.
RESPONSE_TIMEOUT_S: Final = 5.0
# How finely the suite watches the target while time passes.
SLICE_S: Final = 0.05


@dataclass(frozen=True, slots=True)
class Line:
    """One thing that crossed the link, with the target's time."""

    time_s: float
    kind: str  # "→" request, "←" response, "status" notification, "note"
    data: bytes

    def __str__(self) -> str:
        """`→ 11 05 00 3a 47` style, as in docs/protocol.md."""
        return f"{self.kind} {self.data.hex(' ')}"


class Link:
    """One connection to the mask, with a transcript of everything sent and received."""

    def __init__(self, target: Target, transcript: list[Line]) -> None:
        """Bind to a target; connect with open()."""
        self.target = target
        self.lines = transcript
        self.statuses: list[tuple[float, Status]] = []
        self.responses: list[tuple[float, Response]] = []
        self._client: BleakClient | None = None
        self._seq = 0
        self._last_request_s = 0.0
        self.dropped = False
        # Set by authenticate(): from then on frames are sealed and opened (section 7.3); the
        # transcript keeps the bytes as they crossed the air.
        self.secure: SecureLink | None = None

    @property
    def connected(self) -> bool:
        """The link is up."""
        return self._client is not None and self._client.is_connected and not self.dropped

    @property
    def client(self) -> BleakClient:
        """The underlying BleakClient."""
        if self._client is None:
            raise RuntimeError("the link is not open")
        return self._client

    async def open(self) -> None:
        """Connect and subscribe to the control point and the status."""
        self._client = await self.target.connect(self._disconnected)
        await self._client.start_notify(CONTROL_POINT_UUID, self._on_indication)
        await self._client.start_notify(STATUS_UUID, self._on_status)
        self.note(b"connected")

    async def close(self) -> None:
        """Disconnect (for the mask, the link drops)."""
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            await client.disconnect()
            self.note(b"disconnected")

    def _disconnected(self, _client: BleakClient) -> None:
        self.dropped = True
        self.note(b"link dropped by the mask")

    def note(self, text: bytes) -> None:
        """A transcript line that is not a frame."""
        self.lines.append(Line(self.target.now(), "note", text))

    def _on_indication(self, _char: object, data: bytearray) -> None:
        now = self.target.now()
        self.lines.append(Line(now, "←", bytes(data)))
        # Recorded either way; a case that expects a response sees none if it does not decode
        # or, on an authenticated link, does not open.
        with contextlib.suppress(ProtocolError):
            plain = self._opened(bytes(data), len(decode_frame(bytes(data)).plain))
            if plain is not None:
                self.responses.append((now, Response.decode(plain)))

    def _on_status(self, _char: object, data: bytearray) -> None:
        now = self.target.now()
        self.lines.append(Line(now, "status", bytes(data)))
        plain = self._opened(bytes(data), STATUS_LENGTH)
        with contextlib.suppress(ProtocolError):
            if plain is not None:
                self.statuses.append((now, parse_status(plain)))

    def _opened(self, data: bytes, plain_length: int) -> bytes | None:
        """What a host takes from incoming bytes: all of them before authentication, then
        only frames and statuses that open (a plain one is dropped, as a host drops it)."""
        return data if self.secure is None else self.secure.open(data, plain_length)

    @property
    def status(self) -> Status | None:
        """The latest notified status."""
        return self.statuses[-1][1] if self.statuses else None

    def next_seq(self) -> int:
        """A fresh sequence number."""
        self._seq = (self._seq + 1) & 0xFF
        return self._seq

    async def write(self, frame: bytes, *, sealed: bool = True) -> None:
        """Write a frame (as given, even malformed; sealed once authenticated unless not)."""
        wire = self.secure.sealer.seal(frame) if self.secure is not None and sealed else frame
        self.lines.append(Line(self.target.now(), "→", wire))
        self._last_request_s = self.target.now()
        await self.client.write_gatt_char(CONTROL_POINT_UUID, wire, response=True)

    async def request(
        self,
        request: Command | bytes,
        *,
        timeout_s: float = RESPONSE_TIMEOUT_S,
        sealed: bool = True,
    ) -> Response | None:
        """Send a command (or raw frame bytes) and wait for the response with its seq."""
        frame = request.encode(self.next_seq()) if isinstance(request, Command) else request
        seq = frame[1] if len(frame) > 1 else None
        before = len(self.responses)
        await self.write(frame, sealed=sealed)
        started = self.target.now()
        while True:
            await self.target.sleep(0)
            for _at, response in self.responses[before:]:
                if response.seq == seq:
                    return response
            if self.target.now() - started >= timeout_s or not self.connected:
                return None
            await self.target.sleep(min(SLICE_S, timeout_s))

    async def run(self, seconds: float, *, heartbeat: bool = True) -> None:
        """Let time pass; with heartbeat, send HEARTBEAT every second as a host does."""
        end = self.target.now() + seconds
        while (left := end - self.target.now()) > 1e-9:
            if (
                heartbeat
                and self.connected
                and self.target.now() - self._last_request_s >= HEARTBEAT_INTERVAL_S
            ):
                await self.write(Heartbeat().encode(self.next_seq()))
            await self.target.sleep(min(SLICE_S, left))

    async def until(
        self, predicate: Callable[[Status], bool], timeout_s: float, *, heartbeat: bool = True
    ) -> Status | None:
        """Wait until the latest status, or one notified from now on, satisfies predicate."""
        checked = max(0, len(self.statuses) - 1)
        end = self.target.now() + timeout_s
        while True:
            for _at, status in self.statuses[checked:]:
                if predicate(status):
                    return status
            checked = len(self.statuses)
            if self.target.now() >= end - 1e-9:
                return None
            await self.run(min(SLICE_S, end - self.target.now()), heartbeat=heartbeat)

    async def read_status(self) -> Status | None:
        """READ_STATUS, decoded."""
        response = await self.request(ReadStatus())
        if response is None or response.result is not ResultCode.SUCCESS:
            return None
        try:
            return parse_status(response.payload)
        except ProtocolError:
            return None

    async def begin_pairing(self) -> PairingExchange | None:
        """PAIR (section 7.1) with a fresh key pair; the exchange, or None if refused."""
        request = PairingRequest.new()
        response = await self.request(request.command())
        if response is None or response.result is not ResultCode.SUCCESS:
            return None
        try:
            return request.exchange(PairOffer.decode(response.payload))
        except ProtocolError, ValueError:
            return None

    async def confirm_pairing(self, exchange: PairingExchange) -> HostCredentials | None:
        """PAIR_CONFIRM; the credentials if the mask proved the pairing."""
        response = await self.request(exchange.confirm())
        if response is None or response.result is not ResultCode.SUCCESS:
            return None
        try:
            return exchange.credentials(parse_proof(response.payload))
        except ProtocolError:
            return None

    async def authenticate(self, credentials: HostCredentials) -> bool:
        """The handshake of section 7.2; True if both sides proved it (frames sealed after)."""
        attempt = AuthAttempt.new(credentials)
        hello = await self.request(attempt.hello())
        if hello is None or hello.result is not ResultCode.SUCCESS:
            return False
        try:
            finished = attempt.finish(AuthOffer.decode(hello.payload))
        except ProtocolError, ValueError:
            return False
        if finished is None:
            return False
        finish, secure = finished
        answer = await self.request(finish)
        if answer is None or answer.result is not ResultCode.SUCCESS:
            return False
        self.secure = secure
        return True
