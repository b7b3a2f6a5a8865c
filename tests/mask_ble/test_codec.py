"""Codec: round trips of every message, and arbitrary bytes into every parser."""

from __future__ import annotations

import contextlib
import math
import struct

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.pressure_mask.mask_ble import codec
from custom_components.pressure_mask.mask_ble.codec import (
    COMMAND_TYPES,
    Advertisement,
    AuthFinish,
    AuthHello,
    Command,
    CrcError,
    DeviceInfo,
    DeviceLimits,
    Frame,
    FrameError,
    Pair,
    PairConfirm,
    PayloadError,
    ProtocolError,
    ReadStatus,
    Response,
    RevokeSlot,
    SetLimits,
    StartSession,
    Status,
    UnknownOpcodeError,
    decode_command,
    decode_frame,
    decode_sfloat,
    encode_frame,
    encode_sfloat,
    parse_advertisement,
    parse_status,
)
from custom_components.pressure_mask.mask_ble.const import (
    KEY_SLOTS,
    MANUFACTURER_ID,
    MAX_STEPS,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StatusFlags,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step

# The root conftest's autouse fixtures are function scoped; they do not affect codec examples.
SETTINGS = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300, deadline=None
)

tenths = st.integers(min_value=0, max_value=2045).map(lambda n: n / 10)
millis = st.integers(min_value=0, max_value=0xFFFF).map(lambda n: n / 1000)
pressured_zone = st.sampled_from([zone for zone in Zone if zone is not Zone.NONE])


@st.composite
def steps(draw: st.DrawFn) -> Step:
    zone = draw(st.sampled_from(Zone))
    pressure = 0.0 if zone is Zone.NONE else draw(tenths)
    inflate, hold, release = draw(millis), draw(millis), draw(millis)
    if inflate + hold + release == 0:
        hold = 0.001
    return Step(zone, pressure, inflate, hold, release, draw(st.integers(1, 255)))


limits = st.builds(
    DeviceLimits,
    tenths,
    tenths,
    tenths,
    st.integers(1, 0xFFFF),  # max_session_s 0 is structurally invalid
    st.integers(0, 0xFFFF),
    st.booleans(),
)
short_text = st.text(max_size=40)
commands = st.one_of(
    [
        st.builds(cls)
        for cls in COMMAND_TYPES.values()
        if cls
        not in (Pair, PairConfirm, AuthHello, AuthFinish, RevokeSlot, StartSession, SetLimits)
    ]
    + [
        st.builds(Pair, st.binary(min_size=32, max_size=32), st.binary(min_size=16, max_size=16)),
        st.builds(PairConfirm, st.binary(min_size=16, max_size=16)),
        st.builds(AuthFinish, st.binary(min_size=16, max_size=16)),
        st.builds(
            AuthHello,
            st.integers(0, KEY_SLOTS - 1),
            st.binary(min_size=16, max_size=16),
            st.binary(min_size=32, max_size=32),
        ),
        st.builds(RevokeSlot, st.integers(0, KEY_SLOTS - 1)),
        st.builds(
            StartSession,
            st.lists(steps(), min_size=1, max_size=MAX_STEPS).map(tuple),
            st.integers(1, 0xFFFF),  # max_duration_s 0 is structurally invalid
            st.booleans(),
        ),
        st.builds(SetLimits, limits),
    ]
)
statuses = st.builds(
    Status,
    pressure_mmhg=st.integers(-2045, 2045).map(lambda n: n / 10),
    phase=st.sampled_from(Phase),
    zone=st.sampled_from(Zone),
    step=st.integers(0, 255),
    repetition=st.integers(0, 255),
    elapsed_s=st.integers(0, 0xFFFF),
    remaining_s=st.integers(0, 0xFFFF),
    cycles_completed=st.integers(0, 0xFFFF),
    fault=st.sampled_from(FaultCode),
    flags=st.sampled_from(StatusFlags)
    | st.just(StatusFlags.SESSION_ACTIVE | StatusFlags.VALVE_OPEN),
    stop_reason=st.sampled_from(StopReason),
)


def test_crc_check_value() -> None:
    assert codec.crc16_ccitt_false(b"123456789") == 0x29B1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0x07FE, math.inf), (0x0802, -math.inf), (0x00FA, 250.0), (0xF0FA, 25.0), (0xFFFF, -0.1)],
)
def test_sfloat_known_values(raw: int, expected: float) -> None:
    assert decode_sfloat(raw) == expected


@pytest.mark.parametrize("raw", [0x07FF, 0x0800, 0x0801])
def test_sfloat_not_a_number(raw: int) -> None:
    assert math.isnan(decode_sfloat(raw))


def test_sfloat_encodes_specials_and_large_values() -> None:
    assert encode_sfloat(math.nan) == 0x07FF
    assert encode_sfloat(math.inf) == 0x07FE
    assert encode_sfloat(-math.inf) == 0x0802
    assert decode_sfloat(encode_sfloat(123456.0)) == 123500.0
    with pytest.raises(ValueError, match="SFLOAT"):
        encode_sfloat(1e12)
    with pytest.raises(ProtocolError):
        decode_sfloat(0x10000)


@SETTINGS
@given(st.integers(-2045, 2045), st.integers(-8, 7))
def test_sfloat_round_trip(mantissa: int, exponent: int) -> None:
    value = mantissa * 10.0**exponent
    assert math.isclose(
        decode_sfloat(encode_sfloat(value, exponent)), value, rel_tol=1e-9, abs_tol=1e-12
    )


@SETTINGS
@given(st.integers(0, 0xFFFF))
def test_sfloat_any_raw_value_decodes(raw: int) -> None:
    decode_sfloat(raw)


@SETTINGS
@given(st.integers(0, 255), st.integers(0, 255), st.binary(max_size=255))
def test_frame_round_trip(opcode: int, seq: int, payload: bytes) -> None:
    assert decode_frame(encode_frame(opcode, seq, payload)) == Frame(opcode, seq, payload)


@SETTINGS
@given(commands, st.integers(0, 255))
def test_command_round_trip(command: Command, seq: int) -> None:
    frame = decode_frame(command.encode(seq))
    assert frame.seq == seq
    assert decode_command(frame) == command


@SETTINGS
@given(
    st.sampled_from(Opcode),
    st.integers(0, 255),
    st.sampled_from(ResultCode),
    st.binary(max_size=200),
)
def test_response_round_trip(opcode: Opcode, seq: int, result: ResultCode, payload: bytes) -> None:
    response = Response(opcode, seq, result, payload)
    assert Response.decode(response.encode()) == response


@SETTINGS
@given(statuses, st.binary(max_size=8))
def test_status_round_trip_ignores_trailing_bytes(status: Status, extra: bytes) -> None:
    assert parse_status(status.encode() + extra) == status


@SETTINGS
@given(limits)
def test_limits_round_trip(value: DeviceLimits) -> None:
    assert DeviceLimits.decode(value.encode()) == value


@SETTINGS
@given(short_text, short_text, short_text, st.integers(1, 255))
def test_info_round_trip(model: str, firmware: str, serial: str, version: int) -> None:
    info = DeviceInfo(model, firmware, serial, version)
    assert DeviceInfo.decode(info.encode()) == info


@SETTINGS
@given(
    st.builds(
        Advertisement,
        protocol_version=st.just(2),
        pairing_mode=st.booleans(),
        session_active=st.booleans(),
        fault=st.sampled_from(FaultCode),
        low_battery=st.booleans(),
        battery_percent=st.none() | st.integers(0, 100),
    )
)
def test_advertisement_round_trip(advert: Advertisement) -> None:
    assert parse_advertisement({MANUFACTURER_ID: advert.encode(), 0x004C: b"\x02"}) == advert


PARSERS = [
    decode_frame,
    Response.decode,
    parse_status,
    DeviceLimits.decode,
    DeviceInfo.decode,
    codec.PairOffer.decode,
    codec.AuthOffer.decode,
    codec.parse_proof,
    codec.parse_slots,
    codec.parse_battery_level,
    codec.parse_dis_string,
    lambda data: parse_advertisement({MANUFACTURER_ID: data}),
    lambda data: parse_advertisement({MANUFACTURER_ID: b"PM" + data}),
    lambda data: parse_advertisement({MANUFACTURER_ID: b"PM\x02" + data}),
    *(cls.decode_payload for cls in COMMAND_TYPES.values()),
    lambda data: decode_command(Frame(data[0] if data else 0, 0, data[1:])),
]


@SETTINGS
@given(st.binary(max_size=300))
@pytest.mark.parametrize("parser", PARSERS)
def test_arbitrary_bytes_raise_only_protocol_errors(parser: object, data: bytes) -> None:
    assert callable(parser)
    with contextlib.suppress(ProtocolError):
        parser(data)


@SETTINGS
@given(st.integers(0, 255), st.binary(max_size=255), st.data())
def test_any_bit_flip_is_caught(seq: int, payload: bytes, data: st.DataObject) -> None:
    frame = bytearray(encode_frame(0x11, seq, payload))
    index = data.draw(st.integers(0, len(frame) - 1))
    frame[index] ^= 1 << data.draw(st.integers(0, 7))
    with pytest.raises(FrameError):
        decode_frame(bytes(frame))


def test_frame_errors() -> None:
    good = encode_frame(0x11, 1)
    with pytest.raises(FrameError):
        decode_frame(good[:4])
    with pytest.raises(FrameError):
        decode_frame(good + b"\x00")
    with pytest.raises(CrcError):
        decode_frame(good[:-1] + bytes((good[-1] ^ 1,)))
    with pytest.raises(ValueError, match="single bytes"):
        encode_frame(0x100, 0)
    with pytest.raises(ValueError, match="payload"):
        encode_frame(0x11, 0, bytes(256))


def test_unknown_opcode_carries_the_opcode() -> None:
    with pytest.raises(UnknownOpcodeError) as err:
        decode_command(Frame(0x7E, 3, b""))
    assert err.value.opcode == 0x7E


def test_start_session_payload_validation() -> None:
    step = Step(Zone.FOREHEAD, 20.0, 1.0, 1.0, 1.0, 1)
    payload = StartSession((step,), 60, await_button=True).encode_payload()
    assert StartSession.decode_payload(payload).await_button
    with pytest.raises(PayloadError, match="flags"):
        StartSession.decode_payload(b"\x02" + payload[1:])
    with pytest.raises(PayloadError, match="count"):
        StartSession.decode_payload(payload[:3] + b"\x00")
    with pytest.raises(PayloadError, match="length"):
        StartSession.decode_payload(payload + b"\x00")
    with pytest.raises(PayloadError, match="short"):
        StartSession.decode_payload(b"\x00")
    bad_zone = payload[:4] + b"\x09" + payload[5:]
    with pytest.raises(PayloadError, match="Zone"):
        StartSession.decode_payload(bad_zone)
    nan_target = payload[:5] + struct.pack("<H", 0x07FF) + payload[7:]
    with pytest.raises(PayloadError, match="number"):
        StartSession.decode_payload(nan_target)
    no_time = StartSession.decode_payload
    zero = payload[:7] + bytes(6) + payload[13:]
    with pytest.raises(PayloadError, match="take time"):
        no_time(zero)
    with pytest.raises(ValueError, match=r"1\.\.24"):
        StartSession((), 60, await_button=False).encode_payload()


def test_other_encode_guards() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Pair(b"short", bytes(16)).encode_payload()
    with pytest.raises(ValueError, match="16 bytes"):
        AuthHello(0, b"short", bytes(32)).encode_payload()
    with pytest.raises(ValueError, match="slots"):
        AuthHello(KEY_SLOTS, bytes(16), bytes(32)).encode_payload()
    with pytest.raises(ValueError, match="slots"):
        RevokeSlot(KEY_SLOTS).encode_payload()
    with pytest.raises(PayloadError, match="16 bytes"):
        PairConfirm(b"short").encode_payload()
    with pytest.raises(PayloadError, match="flags"):
        DeviceLimits.decode(DeviceLimits(1.0, 1.0, 1.0, 1).encode()[:-1] + b"\x02")
    with pytest.raises(ValueError, match="255"):
        DeviceInfo("m" * 256, "", "").encode()
    with pytest.raises(PayloadError, match="negative"):
        DeviceLimits.decode(DeviceLimits(-1.0, 1.0, 1.0, 1).encode())
    with pytest.raises(PayloadError, match="not a response"):
        Response.decode(ReadStatus().encode(1))


def test_limits_per_zone() -> None:
    value = DeviceLimits(30.0, 15.0, 20.0, 600)
    assert [value.max_mmhg(zone) for zone in Zone] == [0.0, 30.0, 30.0, 15.0, 30.0, 30.0, 20.0]


def test_advertisement_filtering_and_versions() -> None:
    assert parse_advertisement({}) is None
    assert parse_advertisement({MANUFACTURER_ID: b"XX\x01\x00\x64\x00"}) is None
    newer = parse_advertisement({MANUFACTURER_ID: b"PM\x03anything"})
    assert newer == Advertisement(protocol_version=3)
    assert newer is not None
    assert not newer.supported
    # Version 1 (keys in clear) is not spoken any more: never a fallback.
    older = parse_advertisement({MANUFACTURER_ID: b"PM\x01\x00\x64\x00"})
    assert older == Advertisement(protocol_version=1)
    assert older is not None
    assert not older.supported
    with pytest.raises(PayloadError):
        parse_advertisement({MANUFACTURER_ID: b"PM\x00\x00\x00\x00"})
    with pytest.raises(PayloadError):
        parse_advertisement({MANUFACTURER_ID: b"PM\x02\x00\x65\x00"})
    advert = parse_advertisement({MANUFACTURER_ID: b"PM\x02\x0f\xff\x04extra"})
    assert advert == Advertisement(2, True, True, FaultCode.LINK_LOST, True, None)
    assert advert is not None
    assert advert.supported


def test_status_properties() -> None:
    status = Status(
        12.5,
        Phase.HOLDING,
        Zone.CHEEKS,
        2,
        3,
        40,
        200,
        12,
        FaultCode.NONE,
        StatusFlags.SESSION_ACTIVE
        | StatusFlags.AUTHENTICATED
        | StatusFlags.LOW_BATTERY
        | StatusFlags.PAIRING_MODE,
    )
    assert status.session_active
    assert status.authenticated
    assert status.low_battery
    assert status.pairing_mode
    assert status.stop_reason is StopReason.NONE


def test_device_information_strings() -> None:
    assert codec.parse_dis_string(b"PM-1\x00") == "PM-1"
    with pytest.raises(codec.PayloadError):
        codec.parse_dis_string(b"\xff\xfe")
    with pytest.raises(codec.PayloadError):
        codec.parse_dis_string(b"x" * 256)
