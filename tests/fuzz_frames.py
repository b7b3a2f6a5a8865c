"""Mutation fuzzing of everything that parses bytes from the radio.

A corpus of valid inputs (every command frame, responses, statuses, adverts) is mutated the way
a noisy link or a hostile device would: bit flips, interesting bytes, truncation, extension,
length lies, spliced frames. Most mutations are then given a correct CRC so they get past the
frame check and reach the payload decoders, the mask's command handler and the client's
receive paths. Every target may raise a ProtocolError subclass and nothing else.

PM_FUZZ_EXAMPLES scales every fuzz run in the suite: the number of mutated inputs here
(default 100,000); see docs/faults.md for the other runs it scales.
"""

from __future__ import annotations

import contextlib
import os
import random
import struct
from typing import TYPE_CHECKING, Final

from bleak.backends.device import BLEDevice

from custom_components.pressure_mask.mask_ble import codec
from custom_components.pressure_mask.mask_ble.client import MaskClient
from custom_components.pressure_mask.mask_ble.codec import (
    COMMAND_TYPES,
    FACTORY_LIMITS,
    Advertisement,
    AuthFinish,
    AuthHello,
    AuthOffer,
    DeviceInfo,
    DeviceLimits,
    Frame,
    KeySlot,
    Pair,
    PairConfirm,
    PairOffer,
    ProtocolError,
    Response,
    RevokeSlot,
    SetLimits,
    SlotState,
    StartSession,
    Status,
    crc16_ccitt_false,
    decode_command,
    decode_frame,
    encode_frame,
    encode_slots,
    parse_advertisement,
    parse_status,
)
from custom_components.pressure_mask.mask_ble.const import (
    DEVICE_CEILING_MMHG,
    DEVICE_MAX_SESSION_S,
    MANUFACTURER_DATA_MAGIC,
    MANUFACTURER_ID,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StatusFlags,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import BUILTIN_ROUTINES, Step
from devtools.virtual_mask import VirtualMask, unregister_virtual_mask
from tests.mask_ble.conftest import DirectHost

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_FUZZ_EXAMPLES: Final = 100_000
FUZZ_KEY: Final = bytes(range(32))
INTERESTING_BYTES: Final = (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x07, 0x08, 0x0F, 0xF0)


def fuzz_examples() -> int:
    """How many mutated inputs a full fuzz run feeds (PM_FUZZ_EXAMPLES, default 100,000)."""
    return int(os.environ.get("PM_FUZZ_EXAMPLES") or DEFAULT_FUZZ_EXAMPLES)


# --- Corpus -----------------------------------------------------------------------------------


def _status_samples() -> list[Status]:
    return [
        Status(0.0, Phase.IDLE, Zone.NONE, 0, 0, 0, 0, 0, FaultCode.NONE, StatusFlags.NONE),
        Status(
            24.8,
            Phase.HOLDING,
            Zone.CHEEKS,
            3,
            2,
            61,
            420,
            12,
            FaultCode.NONE,
            StatusFlags.SESSION_ACTIVE | StatusFlags.AUTHENTICATED | StatusFlags.PUMP_ON,
        ),
        Status(
            44.1,
            Phase.FAULT,
            Zone.UNDER_EYE,
            1,
            1,
            9,
            0,
            1,
            FaultCode.OVER_PRESSURE,
            StatusFlags.VALVE_OPEN,
            StopReason.FAULT,
        ),
    ]


def command_frames() -> list[bytes]:
    """One valid frame per command, with realistic payloads."""
    routine = BUILTIN_ROUTINES["full_face_drainage"]
    commands = [
        cls()
        for cls in COMMAND_TYPES.values()
        if cls
        not in (Pair, PairConfirm, AuthHello, AuthFinish, RevokeSlot, StartSession, SetLimits)
    ]
    commands += [
        Pair(bytes(range(32)), bytes(16)),
        PairConfirm(bytes(16)),
        AuthHello(0, bytes(16), bytes(range(32))),
        AuthFinish(bytes(16)),
        RevokeSlot(3),
        StartSession(routine.steps, 600, await_button=False),
        StartSession(
            (Step(Zone.UNDER_EYE, 12.0, 1.5, 3.0, 3.5, 2),), max_duration_s=60, await_button=True
        ),
        SetLimits(FACTORY_LIMITS),
        SetLimits(DeviceLimits(40.0, 20.0, 25.0, DEVICE_MAX_SESSION_S, 1200)),
    ]
    return [command.encode(seq) for seq, command in enumerate(commands, start=1)]


def response_frames() -> list[bytes]:
    """Valid responses, including every kind of response data the client parses."""
    data = {
        Opcode.PAIR: PairOffer(bytes(range(32)), bytes(16), 1).encode(),
        Opcode.PAIR_CONFIRM: bytes(16),
        Opcode.AUTH_HELLO: AuthOffer(bytes(16), bytes(16)).encode(),
        Opcode.READ_SLOTS: encode_slots(
            tuple(KeySlot(n, SlotState(n % 3), bytes(8)) for n in range(4))
        ),
        Opcode.READ_LIMITS: FACTORY_LIMITS.encode(),
        Opcode.READ_INFO: DeviceInfo("PM-1", "1.0.0", "SN1").encode(),
        Opcode.READ_STATUS: _status_samples()[1].encode(),
    }
    frames = [
        Response(opcode, seq, ResultCode.SUCCESS, data.get(opcode, b"")).encode()
        for seq, opcode in enumerate(Opcode, start=1)
        if opcode is not Opcode.RESPONSE
    ]
    frames += [Response(Opcode.START_SESSION, 9, result).encode() for result in ResultCode]
    return frames


def seed_corpus() -> list[bytes]:
    """Every valid input shape: frames, status notifications, manufacturer data, payloads."""
    adverts = [
        Advertisement(2, pairing_mode=True, battery_percent=80).encode(),
        Advertisement(2, session_active=True, fault=FaultCode.LEAK, low_battery=True).encode(),
        MANUFACTURER_DATA_MAGIC + bytes((2, 0xFF)),
    ]
    return [
        *command_frames(),
        *response_frames(),
        *(status.encode() for status in _status_samples()),
        *adverts,
        FACTORY_LIMITS.encode(),
        DeviceInfo("PM-1 virtual", "1.0.0", "VM0001").encode(),
        b"\x64",
    ]


# --- Mutation ---------------------------------------------------------------------------------


def fix_crc(data: bytes) -> bytes:
    """Give a frame-shaped input a correct CRC so it reaches the payload decoders."""
    if len(data) < 3:
        return data
    body = data[:-2]
    return body + struct.pack("<H", crc16_ccitt_false(body))


def fix_length(data: bytes) -> bytes:
    """Make the length byte agree with the input's size (when it can)."""
    if len(data) < 5 or len(data) - 5 > 0xFF:
        return data
    return data[:2] + bytes((len(data) - 5,)) + data[3:]


def _flip_bit(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    if out:
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return out


def _interesting_byte(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    if out:
        out[rng.randrange(len(out))] = rng.choice(INTERESTING_BYTES)
    return out


def _random_byte(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    if out:
        out[rng.randrange(len(out))] = rng.randrange(256)
    return out


def _truncate(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    return out[: rng.randrange(len(out) + 1)]


def _extend(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    return out + rng.randbytes(rng.randint(1, 12))


def _length_lie(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    if len(out) > 2:
        out[2] = rng.choice((0, 1, len(out), len(out) - 6, 0xFF, rng.randrange(256))) & 0xFF
    return out


def _delete_slice(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    start = rng.randrange(len(out) + 1)
    del out[start : start + rng.randint(1, 4)]
    return out


def _insert_bytes(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    at = rng.randrange(len(out) + 1)
    out[at:at] = rng.randbytes(rng.randint(1, 4))
    return out


def _splice(rng: random.Random, out: bytearray, corpus: list[bytes]) -> bytearray:
    other = rng.choice(corpus)
    return out[: rng.randrange(len(out) + 1)] + other[rng.randrange(len(other) + 1) :]


def _extreme_u16(rng: random.Random, out: bytearray, _corpus: list[bytes]) -> bytearray:
    # SFLOAT specials and integer edges, wherever a 16-bit field might sit.
    if len(out) > 3:
        at = rng.randrange(len(out) - 1)
        out[at : at + 2] = struct.pack("<H", rng.choice((0, 0x7FF, 0x800, 0x801, 0xFFFF)))
    return out


MUTATORS: Final = (
    _flip_bit,
    _interesting_byte,
    _random_byte,
    _truncate,
    _extend,
    _length_lie,
    _delete_slice,
    _insert_bytes,
    _splice,
    _extreme_u16,
)


def mutate(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    """Apply one to four random mutations, then (usually) repair the frame envelope."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out = rng.choice(MUTATORS)(rng, out, corpus)
    result = bytes(out)
    repair = rng.random()
    if repair < 0.55:
        return fix_crc(fix_length(result))
    if repair < 0.8:
        return fix_crc(result)
    return result


# --- Targets ----------------------------------------------------------------------------------


def _response_data_parsers() -> dict[int, Callable[[bytes], object]]:
    return {
        Opcode.PAIR: PairOffer.decode,
        Opcode.PAIR_CONFIRM: codec.parse_proof,
        Opcode.AUTH_HELLO: AuthOffer.decode,
        Opcode.READ_SLOTS: codec.parse_slots,
        Opcode.READ_LIMITS: DeviceLimits.decode,
        Opcode.READ_INFO: DeviceInfo.decode,
        Opcode.READ_STATUS: parse_status,
    }


RESPONSE_DATA_PARSERS: Final = _response_data_parsers()


def parse_everything(data: bytes) -> None:
    """Run every codec parser on data; they may raise ProtocolError subclasses only."""
    targets: tuple[Callable[[bytes], object], ...] = (
        _frame_paths,
        parse_status,
        codec.parse_battery_level,
        codec.parse_dis_string,
        DeviceLimits.decode,
        DeviceInfo.decode,
        lambda raw: parse_advertisement({MANUFACTURER_ID: raw}),
        lambda raw: codec.decode_sfloat(int.from_bytes(raw[:2], "little")),
    )
    for target in targets:
        with contextlib.suppress(ProtocolError):
            target(data)


def _frame_paths(data: bytes) -> None:
    frame = decode_frame(data)
    # A frame that passes the envelope checks is canonical: it re-encodes to the same bytes
    # (a trailer, which only a FrameOpener can judge, is split off untouched).
    assert encode_frame(frame.opcode, frame.seq, frame.payload) + frame.trailer == data
    for parse in (_command_path, _response_path):
        with contextlib.suppress(ProtocolError):
            parse(frame)


def _command_path(frame: Frame) -> None:
    command = decode_command(frame)
    assert frame.opcode == command.OPCODE


def _response_path(frame: Frame) -> None:
    response = Response.from_frame(frame)
    assert response.encode() == encode_frame(frame.opcode, frame.seq, frame.payload)
    parser = RESPONSE_DATA_PARSERS.get(response.opcode)
    if parser is not None:
        parser(response.payload)


class ReceivePaths:
    """The two ends that consume radio bytes: the mask's control point and the client."""

    def __init__(self) -> None:
        """An authenticated virtual mask (no link) and an unconnected client.

        Half the inputs reach the mask sealed with the session key (a host that holds the key
        and sends garbage), so the command handler sees them; the rest arrive plain, as an
        attacker's would, and only STOP and VENT may act.
        """
        self.mask = VirtualMask("FE:ED:00:00:00:01")
        self.mask.add_host(0, FUZZ_KEY)
        self.host = DirectHost(self.mask, key=FUZZ_KEY)
        self.host.authenticate()
        self.sealed = False
        self.statuses: list[Status] = []
        self.client = MaskClient(
            BLEDevice("FE:ED:00:00:00:02", "fuzz", {}), on_status=self.statuses.append
        )

    def feed(self, data: bytes) -> None:
        """Write data to the mask and deliver it to the client; neither may raise."""
        secure = self.host.secure
        assert secure is not None
        self.sealed = not self.sealed
        self.mask.write_control_point(secure.sealer.seal(data) if self.sealed else data)
        self.check_mask_within_limits()
        self.client._handle_indication(None, bytearray(data))
        self.client._handle_status(None, bytearray(data))
        # Keep the recorded history bounded over long runs.
        del self.mask.received[:-8], self.mask.written_frames[:-8], self.mask.sent_frames[:-8]
        del self.statuses[:-8]

    def run_clock(self, seconds: float) -> None:
        """Let the mask run whatever session the fuzzed commands started."""
        self.mask.advance(seconds)
        self.check_mask_within_limits()

    def check_mask_within_limits(self) -> None:
        """Device-side safety oracle: an accepted session never exceeds the stored limits."""
        session = self.mask._session
        if session is None:
            return
        limits = self.mask.limits
        assert session.max_duration_s <= min(limits.max_session_s, DEVICE_MAX_SESSION_S)
        for step in session.steps:
            assert step.pressure_mmhg <= min(
                limits.max_mmhg(step.zone), DEVICE_CEILING_MMHG[step.zone]
            )

    def close(self) -> None:
        """Unregister the mask."""
        unregister_virtual_mask(self.mask)


def run_mutation_campaign(count: int, seed: int) -> dict[str, int]:
    """Feed count mutated inputs to every parser and receive path; return coverage counters."""
    rng = random.Random(seed)
    corpus = seed_corpus()
    paths = ReceivePaths()
    counters = dict.fromkeys(
        ("inputs", "valid_frames", "decoded_commands", "decoded_responses", "decoded_statuses"), 0
    )
    try:
        for index in range(count):
            data = mutate(rng, rng.choice(corpus), corpus)
            parse_everything(data)
            paths.feed(data)
            counters["inputs"] += 1
            counters["valid_frames"] += _succeeds(decode_frame, data)
            counters["decoded_commands"] += _succeeds(
                lambda raw: decode_command(decode_frame(raw)), data
            )
            counters["decoded_responses"] += _succeeds(Response.decode, data)
            counters["decoded_statuses"] += _succeeds(parse_status, data)
            if index % 500 == 0:
                paths.run_clock(rng.choice((0.1, 1.0, 5.0)))
    finally:
        paths.close()
    return counters


def _succeeds(parser: Callable[[bytes], object], data: bytes) -> int:
    try:
        parser(data)
    except ProtocolError:
        return 0
    return 1
