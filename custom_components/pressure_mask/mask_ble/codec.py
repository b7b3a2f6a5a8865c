"""Byte-level codec of the pressure mask protocol: frames, commands, responses, status, adverts.

Every parser here raises a ProtocolError subclass, and nothing else, on bad input: the bytes come
from a radio, a relay, or a hostile device. Multi-byte integers are little-endian throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
import math
import struct
from typing import TYPE_CHECKING, ClassVar, Final, Self

from .const import (
    COUNTER_LENGTH,
    HOST_ID_LENGTH,
    KEY_SLOTS,
    MANUFACTURER_DATA_MAGIC,
    MANUFACTURER_ID,
    MAX_FRAME_PAYLOAD,
    MAX_STEPS,
    NONCE_LENGTH,
    PROOF_LENGTH,
    PROTOCOL_VERSION,
    PUBLIC_KEY_LENGTH,
    TAG_LENGTH,
    AdvertisementFlags,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StatusFlags,
    StopReason,
    Zone,
)
from .routines import RoutineError, Step, validate_step

if TYPE_CHECKING:
    from collections.abc import Mapping


class ProtocolError(Exception):
    """Bytes that do not follow the protocol."""


class FrameError(ProtocolError):
    """A frame that cannot be trusted (too short, wrong length, bad CRC). Receivers drop it."""


class CrcError(FrameError):
    """A frame whose CRC does not match its contents."""


class UnknownOpcodeError(ProtocolError):
    """A well-formed frame with an opcode this side does not implement."""

    def __init__(self, opcode: int) -> None:
        """Remember the opcode so the mask can answer NOT_SUPPORTED."""
        super().__init__(f"unknown opcode 0x{opcode:02x}")
        self.opcode = opcode


class PayloadError(ProtocolError):
    """A well-formed frame whose payload is invalid for its opcode (INVALID_PARAMETER)."""


# --- IEEE-11073 16-bit SFLOAT ---------------------------------------------------------------

SFLOAT_NAN: Final = 0x07FF
SFLOAT_NRES: Final = 0x0800
SFLOAT_POSITIVE_INFINITY: Final = 0x07FE
SFLOAT_NEGATIVE_INFINITY: Final = 0x0802
SFLOAT_RESERVED: Final = 0x0801
_SFLOAT_SPECIALS: Final = frozenset(
    {SFLOAT_NAN, SFLOAT_NRES, SFLOAT_POSITIVE_INFINITY, SFLOAT_NEGATIVE_INFINITY, SFLOAT_RESERVED}
)
# Mantissas that would collide with the special values at exponent 0 are never produced.
_SFLOAT_MANTISSA_MAX: Final = 2045
_POW10: Final[tuple[int, ...]] = tuple(10**n for n in range(9))


def decode_sfloat(raw: int) -> float:
    """Decode a 16-bit SFLOAT: 4-bit signed exponent (high nibble), 12-bit signed mantissa."""
    if not 0 <= raw <= 0xFFFF:
        raise ProtocolError(f"SFLOAT out of range: {raw}")
    if raw in _SFLOAT_SPECIALS:
        if raw == SFLOAT_POSITIVE_INFINITY:
            return math.inf
        if raw == SFLOAT_NEGATIVE_INFINITY:
            return -math.inf
        return math.nan
    mantissa = raw & 0x0FFF
    if mantissa >= 0x0800:
        mantissa -= 0x1000
    exponent = raw >> 12
    if exponent >= 0x8:
        exponent -= 0x10
    if exponent < 0:
        return mantissa / _POW10[-exponent]
    return float(mantissa * _POW10[exponent])


def encode_sfloat(value: float, min_exponent: int = -1) -> int:
    """Encode a float as SFLOAT with the smallest exponent >= min_exponent that fits."""
    if math.isnan(value):
        return SFLOAT_NAN
    if math.isinf(value):
        return SFLOAT_POSITIVE_INFINITY if value > 0 else SFLOAT_NEGATIVE_INFINITY
    for exponent in range(min_exponent, 8):
        mantissa = (
            round(value / _POW10[exponent]) if exponent >= 0 else round(value * _POW10[-exponent])
        )
        if abs(mantissa) <= _SFLOAT_MANTISSA_MAX:
            return ((exponent & 0xF) << 12) | (mantissa & 0x0FFF)
    raise ValueError(f"{value} does not fit in an SFLOAT")


# --- CRC-16/CCITT-FALSE -----------------------------------------------------------------------


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE: Final = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


# --- Frames -----------------------------------------------------------------------------------

FRAME_OVERHEAD: Final = 5
# A sealed frame carries counter u32 | tag (8 bytes) after its CRC, outside `len`
# (mask_ble/secure.py makes and checks them).
TRAILER_LENGTH: Final = COUNTER_LENGTH + TAG_LENGTH


@dataclass(frozen=True, slots=True)
class Frame:
    """A control point frame: opcode | seq | len | payload | crc16 [| counter | tag]."""

    opcode: int
    seq: int
    payload: bytes
    # The plain frame (header, payload, CRC) that a trailer authenticates, and the trailer.
    plain: bytes = field(default=b"", repr=False, compare=False)
    trailer: bytes = field(default=b"", repr=False, compare=False)

    @property
    def sealed(self) -> bool:
        """The frame carries a counter and tag (it still has to be opened)."""
        return bool(self.trailer)


def encode_frame(opcode: int, seq: int, payload: bytes = b"") -> bytes:
    """Build a frame; the CRC covers opcode, seq, len and payload."""
    if not 0 <= opcode <= 0xFF or not 0 <= seq <= 0xFF:
        raise ValueError("opcode and seq are single bytes")
    if len(payload) > MAX_FRAME_PAYLOAD:
        raise ValueError(f"payload longer than {MAX_FRAME_PAYLOAD} bytes")
    body = bytes((opcode, seq, len(payload))) + payload
    return body + struct.pack("<H", crc16_ccitt_false(body))


def decode_frame(data: bytes) -> Frame:
    """Parse a plain or sealed frame, raising FrameError if truncated, padded, or corrupted.

    A sealed frame's trailer is only split off here: whether it is authentic is for
    secure.FrameOpener to say.
    """
    if len(data) < FRAME_OVERHEAD:
        raise FrameError(f"frame of {len(data)} bytes is shorter than {FRAME_OVERHEAD}")
    end = FRAME_OVERHEAD + data[2]
    if len(data) not in (end, end + TRAILER_LENGTH):
        raise FrameError(f"length field {data[2]} does not match a frame of {len(data)} bytes")
    plain = bytes(data[:end])
    (crc,) = struct.unpack_from("<H", plain, end - 2)
    if crc != crc16_ccitt_false(plain[:-2]):
        raise CrcError("CRC mismatch")
    return Frame(data[0], data[1], plain[3:-2], plain, bytes(data[end:]))


# --- Small helpers for payload parsing ---------------------------------------------------------


def _unpack(fmt: str, payload: bytes, what: str) -> tuple[int, ...]:
    if len(payload) != struct.calcsize(fmt):
        raise PayloadError(
            f"{what} payload must be {struct.calcsize(fmt)} bytes, not {len(payload)}"
        )
    return struct.unpack(fmt, payload)


def _enum[E: (Zone, Phase, FaultCode, StopReason, ResultCode)](kind: type[E], value: int) -> E:
    try:
        return kind(value)
    except ValueError:
        raise PayloadError(f"unknown {kind.__name__} {value}") from None


def _finite_sfloat(raw: int, what: str) -> float:
    value = decode_sfloat(raw)
    if not math.isfinite(value):
        raise PayloadError(f"{what} must be a number")
    return value


LIMITS_FLAG_REQUIRE_BUTTON: Final = 0x01

# --- Limits and device information --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceLimits:
    """Limits stored on the mask. It rejects any target or duration above them."""

    face_max_mmhg: float
    under_eye_max_mmhg: float
    neck_max_mmhg: float
    max_session_s: int
    cooldown_s: int = 0
    # The mask itself refuses a start that does not wait for its button.
    require_button: bool = True

    _FORMAT: ClassVar[str] = "<HHHHHB"

    def max_mmhg(self, zone: Zone) -> float:
        """The limit that applies to a zone (0 for a step without a zone)."""
        if zone is Zone.NONE:
            return 0.0
        if zone is Zone.UNDER_EYE:
            return self.under_eye_max_mmhg
        if zone is Zone.NECK:
            return self.neck_max_mmhg
        return self.face_max_mmhg

    def encode(self) -> bytes:
        """Wire form: three SFLOAT pressures, max_session_s and cooldown_s as u16, flags u8."""
        return struct.pack(
            self._FORMAT,
            encode_sfloat(self.face_max_mmhg),
            encode_sfloat(self.under_eye_max_mmhg),
            encode_sfloat(self.neck_max_mmhg),
            self.max_session_s,
            self.cooldown_s,
            LIMITS_FLAG_REQUIRE_BUTTON if self.require_button else 0,
        )

    @classmethod
    def decode(cls, payload: bytes) -> Self:
        """Parse the wire form; pressures must be finite and not negative."""
        face, eye, neck, max_session_s, cooldown_s, flags = _unpack(cls._FORMAT, payload, "limits")
        pressures = [_finite_sfloat(raw, "limit") for raw in (face, eye, neck)]
        if min(pressures) < 0:
            raise PayloadError("limits cannot be negative")
        if max_session_s == 0:
            raise PayloadError("max_session_s must be at least 1 s")
        if flags & ~LIMITS_FLAG_REQUIRE_BUTTON:
            raise PayloadError(f"unknown limits flags 0x{flags:02x}")
        return cls(
            pressures[0],
            pressures[1],
            pressures[2],
            max_session_s,
            cooldown_s,
            require_button=bool(flags & LIMITS_FLAG_REQUIRE_BUTTON),
        )

    def loosens(self, current: DeviceLimits) -> bool:
        """True if these limits allow anything `current` does not (the mask wants the button)."""
        return (
            self.face_max_mmhg > current.face_max_mmhg
            or self.under_eye_max_mmhg > current.under_eye_max_mmhg
            or self.neck_max_mmhg > current.neck_max_mmhg
            or self.max_session_s > current.max_session_s
            or self.cooldown_s < current.cooldown_s
            or (current.require_button and not self.require_button)
        )


# The limits a mask ships with: the conservative defaults, below the absolute ceilings.
FACTORY_LIMITS: Final = DeviceLimits(
    face_max_mmhg=30.0, under_eye_max_mmhg=15.0, neck_max_mmhg=20.0, max_session_s=10 * 60
)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What READ_INFO returns (the same strings as the Device Information service)."""

    model: str
    firmware: str
    serial: str
    protocol_version: int = PROTOCOL_VERSION

    def encode(self) -> bytes:
        """Wire form: protocol version u8, then three u8-length-prefixed UTF-8 strings."""
        out = bytearray((self.protocol_version,))
        for text in (self.model, self.firmware, self.serial):
            raw = text.encode()
            if len(raw) > 0xFF:
                raise ValueError("device info strings are at most 255 bytes")
            out += bytes((len(raw),)) + raw
        return bytes(out)

    @classmethod
    def decode(cls, payload: bytes) -> Self:
        """Parse the wire form."""
        if not payload:
            raise PayloadError("empty device info")
        strings: list[str] = []
        offset = 1
        for _ in range(3):
            if offset >= len(payload):
                raise PayloadError("truncated device info")
            length = payload[offset]
            raw = payload[offset + 1 : offset + 1 + length]
            if len(raw) != length:
                raise PayloadError("truncated device info")
            try:
                strings.append(raw.decode())
            except UnicodeDecodeError as err:
                raise PayloadError("device info is not UTF-8") from err
            offset += 1 + length
        if offset != len(payload):
            raise PayloadError("trailing bytes after device info")
        return cls(strings[0], strings[1], strings[2], protocol_version=payload[0])


# --- Commands (host to mask) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command:
    """Base of every request. Subclasses set OPCODE and, if they carry data, the codec."""

    OPCODE: ClassVar[Opcode]
    # Requests the mask accepts before authentication.
    NEEDS_AUTH: ClassVar[bool] = True

    def encode_payload(self) -> bytes:
        """Payload bytes of this request (empty by default)."""
        return b""

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse the payload of this request (empty by default)."""
        if payload:
            raise PayloadError(f"{cls.OPCODE.name} takes no payload")
        return cls()

    def encode(self, seq: int) -> bytes:
        """The full frame for this request."""
        return encode_frame(self.OPCODE, seq, self.encode_payload())


@dataclass(frozen=True, slots=True)
class Pair(Command):
    """Open a pairing exchange (pairing mode only): the host's X25519 public key and a nonce."""

    OPCODE: ClassVar[Opcode] = Opcode.PAIR
    NEEDS_AUTH: ClassVar[bool] = False

    host_public: bytes
    host_nonce: bytes

    def encode_payload(self) -> bytes:
        """host_public (32) | host_nonce (16)."""
        if len(self.host_public) != PUBLIC_KEY_LENGTH or len(self.host_nonce) != NONCE_LENGTH:
            raise ValueError("the public key is 32 bytes, the nonce 16")
        return self.host_public + self.host_nonce

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse public key and nonce."""
        if len(payload) != PUBLIC_KEY_LENGTH + NONCE_LENGTH:
            raise PayloadError("pair payload must be 48 bytes")
        return cls(payload[:PUBLIC_KEY_LENGTH], payload[PUBLIC_KEY_LENGTH:])


def _proof_payload(payload: bytes, what: str) -> bytes:
    if len(payload) != PROOF_LENGTH:
        raise PayloadError(f"{what} is {PROOF_LENGTH} bytes")
    return payload


@dataclass(frozen=True, slots=True)
class PairConfirm(Command):
    """Finish a pairing exchange with the host's proof; it completes after a button press."""

    OPCODE: ClassVar[Opcode] = Opcode.PAIR_CONFIRM
    NEEDS_AUTH: ClassVar[bool] = False

    host_proof: bytes

    def encode_payload(self) -> bytes:
        """host_proof (16)."""
        return _proof_payload(self.host_proof, "the pairing proof")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse the proof."""
        return cls(_proof_payload(payload, "the pairing proof"))


@dataclass(frozen=True, slots=True)
class AuthHello(Command):
    """Open a connection's handshake: slot, host nonce and an ephemeral X25519 public key."""

    OPCODE: ClassVar[Opcode] = Opcode.AUTH_HELLO
    NEEDS_AUTH: ClassVar[bool] = False

    slot: int
    host_nonce: bytes
    ephemeral_public: bytes

    def encode_payload(self) -> bytes:
        """slot u8 | host_nonce (16) | ephemeral_public (32)."""
        if not 0 <= self.slot < KEY_SLOTS:
            raise ValueError(f"slots are 0..{KEY_SLOTS - 1}")
        if len(self.host_nonce) != NONCE_LENGTH or len(self.ephemeral_public) != PUBLIC_KEY_LENGTH:
            raise ValueError("the nonce is 16 bytes, the public key 32")
        return bytes((self.slot,)) + self.host_nonce + self.ephemeral_public

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse slot, nonce and public key."""
        if len(payload) != 1 + NONCE_LENGTH + PUBLIC_KEY_LENGTH:
            raise PayloadError("auth hello payload must be 49 bytes")
        if payload[0] >= KEY_SLOTS:
            raise PayloadError(f"slot {payload[0]} does not exist")
        return cls(payload[0], payload[1 : 1 + NONCE_LENGTH], payload[1 + NONCE_LENGTH :])


@dataclass(frozen=True, slots=True)
class AuthFinish(Command):
    """Prove the host key: the host's proof over both nonces under the session's key."""

    OPCODE: ClassVar[Opcode] = Opcode.AUTH_FINISH
    NEEDS_AUTH: ClassVar[bool] = False

    host_proof: bytes

    def encode_payload(self) -> bytes:
        """host_proof (16)."""
        return _proof_payload(self.host_proof, "the host proof")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse the proof."""
        return cls(_proof_payload(payload, "the host proof"))


_STEP_FORMAT: Final = "<BHHHHB"
_STEP_SIZE: Final = struct.calcsize(_STEP_FORMAT)
_START_HEADER: Final = "<BHB"
_START_HEADER_SIZE: Final = struct.calcsize(_START_HEADER)
START_FLAG_AWAIT_BUTTON: Final = 0x01


def _seconds_to_ms(value: float) -> int:
    return round(value * 1000)


def as_encoded_pressure(pressure_mmhg: float) -> float:
    """A finite pressure exactly as the mask decodes it (SFLOAT, 0.1 mmHg below 204.8)."""
    return decode_sfloat(encode_sfloat(pressure_mmhg))


def as_encoded_step(step: Step) -> Step:
    """A structurally valid step exactly as the mask decodes it from START_SESSION.

    A host checks this, not the step it was given, so that what it checks is what it sends.
    """
    return Step(
        zone=step.zone,
        pressure_mmhg=as_encoded_pressure(step.pressure_mmhg),
        inflate_s=_seconds_to_ms(step.inflate_s) / 1000,
        hold_s=_seconds_to_ms(step.hold_s) / 1000,
        release_s=_seconds_to_ms(step.release_s) / 1000,
        repetitions=step.repetitions,
    )


@dataclass(frozen=True, slots=True)
class StartSession(Command):
    """Run (or arm) a routine, ending it by max_duration_s at the latest."""

    OPCODE: ClassVar[Opcode] = Opcode.START_SESSION

    steps: tuple[Step, ...]
    max_duration_s: int
    await_button: bool

    def encode_payload(self) -> bytes:
        """flags u8 | max_duration_s u16 | step count u8 | steps (10 bytes each)."""
        if not 1 <= len(self.steps) <= MAX_STEPS:
            raise ValueError(f"a session has 1..{MAX_STEPS} steps")
        out = bytearray(
            struct.pack(
                _START_HEADER,
                START_FLAG_AWAIT_BUTTON if self.await_button else 0,
                self.max_duration_s,
                len(self.steps),
            )
        )
        for step in self.steps:
            validate_step(step)
            out += struct.pack(
                _STEP_FORMAT,
                step.zone,
                encode_sfloat(step.pressure_mmhg),
                _seconds_to_ms(step.inflate_s),
                _seconds_to_ms(step.hold_s),
                _seconds_to_ms(step.release_s),
                step.repetitions,
            )
        return bytes(out)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse and structurally validate the routine."""
        if len(payload) < _START_HEADER_SIZE:
            raise PayloadError("start payload too short")
        flags, max_duration_s, count = struct.unpack_from(_START_HEADER, payload)
        if flags & ~START_FLAG_AWAIT_BUTTON:
            raise PayloadError(f"unknown start flags 0x{flags:02x}")
        if not 1 <= count <= MAX_STEPS:
            raise PayloadError(f"step count {count} outside 1..{MAX_STEPS}")
        if max_duration_s == 0:
            raise PayloadError("max_duration_s must be at least 1 s")
        if len(payload) != _START_HEADER_SIZE + count * _STEP_SIZE:
            raise PayloadError("start payload length does not match its step count")
        steps = []
        for index in range(count):
            zone, pressure, inflate, hold, release, reps = struct.unpack_from(
                _STEP_FORMAT, payload, _START_HEADER_SIZE + index * _STEP_SIZE
            )
            step = Step(
                zone=_enum(Zone, zone),
                pressure_mmhg=_finite_sfloat(pressure, "target pressure"),
                inflate_s=inflate / 1000,
                hold_s=hold / 1000,
                release_s=release / 1000,
                repetitions=reps,
            )
            try:
                validate_step(step)
            except RoutineError as err:
                raise PayloadError(str(err)) from err
            steps.append(step)
        return cls(tuple(steps), max_duration_s, bool(flags & START_FLAG_AWAIT_BUTTON))


@dataclass(frozen=True, slots=True)
class Stop(Command):
    """End the session and release; valid in every state without authentication."""

    OPCODE: ClassVar[Opcode] = Opcode.STOP
    NEEDS_AUTH: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class Pause(Command):
    """Release and freeze the routine; resume within PAUSE_TIMEOUT_S or it ends."""

    OPCODE: ClassVar[Opcode] = Opcode.PAUSE


@dataclass(frozen=True, slots=True)
class Resume(Command):
    """Continue a paused routine from the start of the interrupted repetition."""

    OPCODE: ClassVar[Opcode] = Opcode.RESUME


@dataclass(frozen=True, slots=True)
class Vent(Command):
    """Emergency release of every bladder; valid in every state without authentication."""

    OPCODE: ClassVar[Opcode] = Opcode.VENT
    NEEDS_AUTH: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class Heartbeat(Command):
    """Sign of life from the host while a session is armed or running."""

    OPCODE: ClassVar[Opcode] = Opcode.HEARTBEAT


@dataclass(frozen=True, slots=True)
class ClearFault(Command):
    """Clear a latched fault whose cause has gone."""

    OPCODE: ClassVar[Opcode] = Opcode.CLEAR_FAULT


@dataclass(frozen=True, slots=True)
class SetLimits(Command):
    """Store new limits (each at or below the device ceilings)."""

    OPCODE: ClassVar[Opcode] = Opcode.SET_LIMITS

    limits: DeviceLimits

    def encode_payload(self) -> bytes:
        """The limits' wire form."""
        return self.limits.encode()

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse the limits."""
        return cls(DeviceLimits.decode(payload))


@dataclass(frozen=True, slots=True)
class ReadLimits(Command):
    """Read the stored limits."""

    OPCODE: ClassVar[Opcode] = Opcode.READ_LIMITS
    NEEDS_AUTH: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class ReadInfo(Command):
    """Read model, firmware, serial and protocol version."""

    OPCODE: ClassVar[Opcode] = Opcode.READ_INFO
    NEEDS_AUTH: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class ReadStatus(Command):
    """Read the status (same layout as the status characteristic)."""

    OPCODE: ClassVar[Opcode] = Opcode.READ_STATUS
    NEEDS_AUTH: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class ReadSlots(Command):
    """List the key slots (which are paired, under which host id, which one is this host)."""

    OPCODE: ClassVar[Opcode] = Opcode.READ_SLOTS


@dataclass(frozen=True, slots=True)
class RevokeSlot(Command):
    """Forget the key of one slot (this host's own included)."""

    OPCODE: ClassVar[Opcode] = Opcode.REVOKE_SLOT

    slot: int

    def encode_payload(self) -> bytes:
        """slot u8."""
        if not 0 <= self.slot < KEY_SLOTS:
            raise ValueError(f"slots are 0..{KEY_SLOTS - 1}")
        return bytes((self.slot,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        """Parse the slot."""
        if len(payload) != 1 or payload[0] >= KEY_SLOTS:
            raise PayloadError("revoke slot takes one existing slot number")
        return cls(payload[0])


COMMAND_TYPES: Final[Mapping[int, type[Command]]] = {
    cls.OPCODE: cls
    for cls in (
        Pair,
        PairConfirm,
        AuthHello,
        AuthFinish,
        StartSession,
        Stop,
        Pause,
        Resume,
        Vent,
        Heartbeat,
        ClearFault,
        SetLimits,
        ReadLimits,
        ReadInfo,
        ReadStatus,
        ReadSlots,
        RevokeSlot,
    )
}


def decode_command(frame: Frame) -> Command:
    """Turn a request frame into a command value."""
    command_type = COMMAND_TYPES.get(frame.opcode)
    if command_type is None:
        raise UnknownOpcodeError(frame.opcode)
    return command_type.decode_payload(frame.payload)


# --- Responses (mask to host) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Response:
    """The answer to one request: its opcode and seq, a result, and opcode-specific data."""

    opcode: int
    seq: int
    result: ResultCode
    payload: bytes = b""

    def encode(self) -> bytes:
        """Frame with opcode RESPONSE: request opcode u8 | result u8 | data."""
        return encode_frame(
            Opcode.RESPONSE, self.seq, bytes((self.opcode, self.result)) + self.payload
        )

    @classmethod
    def decode(cls, data: bytes) -> Self:
        """Parse a response frame."""
        return cls.from_frame(decode_frame(data))

    @classmethod
    def from_frame(cls, frame: Frame) -> Self:
        """Interpret a frame as a response."""
        if frame.opcode != Opcode.RESPONSE:
            raise PayloadError(f"opcode 0x{frame.opcode:02x} is not a response")
        if len(frame.payload) < 2:
            raise PayloadError("response without opcode and result")
        return cls(
            opcode=frame.payload[0],
            seq=frame.seq,
            result=_enum(ResultCode, frame.payload[1]),
            payload=frame.payload[2:],
        )


@dataclass(frozen=True, slots=True)
class PairOffer:
    """PAIR response data: the mask's identity public key, its nonce, and the slot it offers."""

    device_public: bytes
    device_nonce: bytes
    slot: int

    def encode(self) -> bytes:
        """device_public (32) | device_nonce (16) | slot u8."""
        return self.device_public + self.device_nonce + bytes((self.slot,))

    @classmethod
    def decode(cls, payload: bytes) -> Self:
        """Parse the offer."""
        if len(payload) != PUBLIC_KEY_LENGTH + NONCE_LENGTH + 1 or payload[-1] >= KEY_SLOTS:
            raise PayloadError("a pairing offer is 49 bytes with an existing slot")
        return cls(
            payload[:PUBLIC_KEY_LENGTH],
            payload[PUBLIC_KEY_LENGTH : PUBLIC_KEY_LENGTH + NONCE_LENGTH],
            payload[-1],
        )


@dataclass(frozen=True, slots=True)
class AuthOffer:
    """AUTH_HELLO response data: the device nonce and the device proof."""

    device_nonce: bytes
    device_proof: bytes

    def encode(self) -> bytes:
        """device_nonce (16) | device_proof (16)."""
        return self.device_nonce + self.device_proof

    @classmethod
    def decode(cls, payload: bytes) -> Self:
        """Parse nonce and proof."""
        if len(payload) != NONCE_LENGTH + PROOF_LENGTH:
            raise PayloadError("an auth offer is 32 bytes")
        return cls(payload[:NONCE_LENGTH], payload[NONCE_LENGTH:])


def parse_proof(payload: bytes) -> bytes:
    """PAIR_CONFIRM response data: the mask's 16-byte pairing proof."""
    return _proof_payload(payload, "the device proof")


class SlotState(IntEnum):
    """State of one key slot in READ_SLOTS."""

    EMPTY = 0
    PAIRED = 1
    THIS_HOST = 2


@dataclass(frozen=True, slots=True)
class KeySlot:
    """One entry of READ_SLOTS: slot number, state, and the host id it was paired under."""

    slot: int
    state: SlotState
    host_id: bytes


_SLOT_ENTRY_SIZE: Final = 1 + HOST_ID_LENGTH


def encode_slots(slots: tuple[KeySlot, ...]) -> bytes:
    """READ_SLOTS data: KEY_SLOTS entries of state u8 | host_id (8 bytes)."""
    return b"".join(bytes((slot.state,)) + slot.host_id for slot in slots)


def parse_slots(payload: bytes) -> tuple[KeySlot, ...]:
    """Parse READ_SLOTS data."""
    if len(payload) != KEY_SLOTS * _SLOT_ENTRY_SIZE:
        raise PayloadError(f"the slot list has {KEY_SLOTS} entries of {_SLOT_ENTRY_SIZE} bytes")
    slots = []
    for index in range(KEY_SLOTS):
        entry = payload[index * _SLOT_ENTRY_SIZE : (index + 1) * _SLOT_ENTRY_SIZE]
        try:
            state = SlotState(entry[0])
        except ValueError:
            raise PayloadError(f"unknown slot state {entry[0]}") from None
        slots.append(KeySlot(index, state, entry[1:]))
    return tuple(slots)


# --- Status -----------------------------------------------------------------------------------

_STATUS_FORMAT: Final = "<BHBBBBHHHBB"
STATUS_LENGTH: Final = struct.calcsize(_STATUS_FORMAT)


@dataclass(frozen=True, slots=True)
class Status:
    """The mask's state, notified several times a second during a session."""

    pressure_mmhg: float
    phase: Phase
    zone: Zone
    step: int
    repetition: int
    elapsed_s: int
    remaining_s: int
    cycles_completed: int
    fault: FaultCode
    flags: StatusFlags
    stop_reason: StopReason = StopReason.NONE

    @property
    def session_active(self) -> bool:
        """An armed, running or paused session exists."""
        return StatusFlags.SESSION_ACTIVE in self.flags

    @property
    def authenticated(self) -> bool:
        """The connection that reads this status is authenticated."""
        return StatusFlags.AUTHENTICATED in self.flags

    @property
    def low_battery(self) -> bool:
        """The battery is low."""
        return StatusFlags.LOW_BATTERY in self.flags

    @property
    def pairing_mode(self) -> bool:
        """Pairing mode is open (a long press at the mask): a PAIR may open an exchange."""
        return StatusFlags.PAIRING_MODE in self.flags

    def encode(self) -> bytes:
        """Wire form (15 bytes; 27 once sealed on an authenticated link)."""
        return struct.pack(
            _STATUS_FORMAT,
            self.flags,
            encode_sfloat(self.pressure_mmhg),
            self.phase,
            self.zone,
            self.step,
            self.repetition,
            self.elapsed_s,
            self.remaining_s,
            self.cycles_completed,
            self.fault,
            self.stop_reason,
        )


def parse_status(data: bytes) -> Status:
    """Parse the plain status (the client opens a sealed one first); extra bytes are ignored."""
    if len(data) < STATUS_LENGTH:
        raise PayloadError(f"status of {len(data)} bytes is shorter than {STATUS_LENGTH}")
    (flags, pressure, phase, zone, step, repetition, elapsed, remaining, cycles, fault, reason) = (
        struct.unpack_from(_STATUS_FORMAT, data)
    )
    return Status(
        pressure_mmhg=decode_sfloat(pressure),
        phase=_enum(Phase, phase),
        zone=_enum(Zone, zone),
        step=step,
        repetition=repetition,
        elapsed_s=elapsed,
        remaining_s=remaining,
        cycles_completed=cycles,
        fault=_enum(FaultCode, fault),
        flags=StatusFlags(flags & sum(StatusFlags)),
        stop_reason=_enum(StopReason, reason),
    )


# --- Advertisement ----------------------------------------------------------------------------

BATTERY_UNKNOWN: Final = 0xFF
_ADVERT_LENGTH: Final = len(MANUFACTURER_DATA_MAGIC) + 4


@dataclass(frozen=True, slots=True)
class Advertisement:
    """What the mask advertises. Only protocol_version is meaningful for a newer major version."""

    protocol_version: int
    pairing_mode: bool = False
    session_active: bool = False
    fault: FaultCode = FaultCode.NONE
    low_battery: bool = False
    battery_percent: int | None = None

    @property
    def supported(self) -> bool:
        """This library can control the mask (same major protocol version)."""
        return self.protocol_version == PROTOCOL_VERSION

    def encode(self) -> bytes:
        """Manufacturer data (without the company identifier, which the advert carries)."""
        flags = AdvertisementFlags.NONE
        if self.pairing_mode:
            flags |= AdvertisementFlags.PAIRING_MODE
        if self.session_active:
            flags |= AdvertisementFlags.SESSION_ACTIVE
        if self.fault:
            flags |= AdvertisementFlags.FAULT
        if self.low_battery:
            flags |= AdvertisementFlags.LOW_BATTERY
        battery = BATTERY_UNKNOWN if self.battery_percent is None else self.battery_percent
        return MANUFACTURER_DATA_MAGIC + bytes((self.protocol_version, flags, battery, self.fault))


def parse_advertisement(manufacturer_data: Mapping[int, bytes]) -> Advertisement | None:
    """Parse our manufacturer data; None if the advert is not from a pressure mask."""
    data = manufacturer_data.get(MANUFACTURER_ID)
    if data is None or not data.startswith(MANUFACTURER_DATA_MAGIC):
        return None
    magic = len(MANUFACTURER_DATA_MAGIC)
    if len(data) <= magic:
        raise PayloadError("manufacturer data without protocol version")
    version = data[magic]
    if version == 0:
        raise PayloadError("protocol version 0 does not exist")
    if version != PROTOCOL_VERSION:
        # A newer major version may lay out the rest differently: read nothing else.
        return Advertisement(protocol_version=version)
    if len(data) < _ADVERT_LENGTH:
        raise PayloadError("manufacturer data too short for protocol version 2")
    flags = AdvertisementFlags(data[magic + 1] & sum(AdvertisementFlags))
    battery = data[magic + 2]
    if battery != BATTERY_UNKNOWN and battery > 100:
        raise PayloadError(f"battery {battery}% is not a percentage")
    fault = _enum(FaultCode, data[magic + 3])
    return Advertisement(
        protocol_version=version,
        pairing_mode=AdvertisementFlags.PAIRING_MODE in flags,
        session_active=AdvertisementFlags.SESSION_ACTIVE in flags,
        fault=fault,
        low_battery=AdvertisementFlags.LOW_BATTERY in flags,
        battery_percent=None if battery == BATTERY_UNKNOWN else battery,
    )


def parse_battery_level(data: bytes) -> int:
    """Battery Level characteristic (0x2A19): one byte, 0..100."""
    if len(data) != 1 or data[0] > 100:
        raise PayloadError("battery level is one byte 0..100")
    return data[0]


def parse_dis_string(data: bytes) -> str:
    """A Device Information string (model 0x2A24, serial 0x2A25, firmware 0x2A26): UTF-8."""
    if len(data) > 0xFF:
        raise PayloadError("device information strings are at most 255 bytes")
    try:
        return data.decode().rstrip("\x00")
    except UnicodeDecodeError as err:
        raise PayloadError(f"device information string is not UTF-8: {err}") from err
