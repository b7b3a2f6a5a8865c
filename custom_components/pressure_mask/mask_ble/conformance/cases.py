"""One case per requirement of docs/protocol.md (REQ-...), in the order of the document.

Each case observes the mask only through the protocol (responses, status, advertisement), so it
runs unchanged against the virtual mask and a prototype. Cases that never inflate use steps
without a zone (breathing steps) or armed sessions, which move no air.
"""

from __future__ import annotations

import itertools
import math
import struct
from typing import TYPE_CHECKING, Final

from bleak.exc import BleakError

from custom_components.pressure_mask.mask_ble.codec import (
    ClearFault,
    DeviceLimits,
    Heartbeat,
    Pause,
    ReadInfo,
    ReadLimits,
    ReadStatus,
    Resume,
    SetLimits,
    StartSession,
    Status,
    Stop,
    Vent,
    encode_frame,
    parse_advertisement,
    parse_status,
)
from custom_components.pressure_mask.mask_ble.const import (
    BATTERY_LEVEL_UUID,
    CONTROL_POINT_UUID,
    FIRMWARE_REVISION_UUID,
    LOCAL_NAME_PREFIX,
    MASK_SERVICE_UUID,
    MODEL_NUMBER_UUID,
    PROTOCOL_VERSION,
    SERIAL_NUMBER_UUID,
    STATUS_UUID,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StatusFlags,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step

from .runner import SUITE_LIMITS, Case, CaseFailed, CaseSkipped, Context
from .target import Action

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

CASES: list[Case] = []

# Timing tolerance for a real mask: its control loop and the radio add latency.
LATE_S: Final = 0.25
RUNNING: Final = frozenset({Phase.INFLATING, Phase.HOLDING, Phase.RELEASING})


def case(
    requirement: str,
    title: str,
    *,
    inflates: bool = False,
    actions: tuple[Action, ...] = (),
    authenticated: bool = True,
    needs_second_central: bool = False,
) -> Callable[[Callable[[Context], Awaitable[None]]], Callable[[Context], Awaitable[None]]]:
    """Register a case procedure for a requirement."""

    def register(
        procedure: Callable[[Context], Awaitable[None]],
    ) -> Callable[[Context], Awaitable[None]]:
        CASES.append(
            Case(
                requirement,
                title,
                procedure,
                inflates=inflates,
                actions=actions,
                authenticated=authenticated,
                needs_second_central=needs_second_central,
            )
        )
        return procedure

    return register


# --- Building blocks ---------------------------------------------------------------------------


def breathing(seconds: float = 1.0, repetitions: int = 1) -> Step:
    """A step without a zone: no bladder moves."""
    return Step(Zone.NONE, 0.0, seconds, 0.0, 0.0, repetitions)


FOREHEAD: Final = Step(Zone.FOREHEAD, 25.0, 1.5, 4.0, 4.5, 2)


def start_payload(flags: int, max_duration_s: int, steps: list[bytes]) -> bytes:
    """A START_SESSION payload built field by field (for values the codec refuses to encode)."""
    return struct.pack("<BHB", flags, max_duration_s, len(steps)) + b"".join(steps)


def raw_step(
    zone: int = Zone.FOREHEAD,
    target_raw: int = 0xF0FA,
    *,
    inflate_ms: int = 1000,
    hold_ms: int = 1000,
    release_ms: int = 1000,
    repetitions: int = 1,
) -> bytes:
    """One 10-byte step; the target is given as its raw SFLOAT."""
    return struct.pack("<BHHHHB", zone, target_raw, inflate_ms, hold_ms, release_ms, repetitions)


def frame(ctx: Context, opcode: int, payload: bytes = b"") -> bytes:
    """A well-formed frame with a fresh seq."""
    return encode_frame(opcode, ctx.link.next_seq(), payload)


async def arm(ctx: Context, *steps: Step, max_duration_s: int = 600) -> None:
    """Arm a session (await_button): accepted, nothing moves."""
    await ctx.send(
        StartSession(steps or (breathing(10.0),), max_duration_s, await_button=True),
        ResultCode.SUCCESS,
    )
    await ctx.wait_for(lambda s: s.phase is Phase.ARMED, 1.0, "phase ARMED")


async def run_breathing(ctx: Context, *steps: Step, max_duration_s: int = 600) -> None:
    """Start a session of steps without a zone at once (nothing inflates)."""
    await ctx.send(StartSession(steps, max_duration_s, await_button=False), ResultCode.SUCCESS)


async def holding(ctx: Context, step: Step = FOREHEAD) -> Status:
    """Start an inflating session and wait until it holds its target."""
    await ctx.send(StartSession((step,), 600, await_button=False), ResultCode.SUCCESS)
    return await ctx.wait_for(lambda s: s.phase is Phase.HOLDING, 10.0, "phase HOLDING")


async def stop(ctx: Context) -> None:
    """STOP, and wait until venting is over."""
    await ctx.send(Stop(), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.phase is not Phase.VENTING, 6.0, "the end of VENTING")


async def latch_link_lost(ctx: Context) -> None:
    """Arm, drop the link, reconnect: fault LINK_LOST is latched and nothing inflated."""
    await ctx.link.until(lambda s: s.phase is not Phase.VENTING, 6.0)
    await arm(ctx)
    await ctx.link.close()
    await ctx.connect()
    status = await ctx.status()
    ctx.cite_status(status)
    ctx.check(status.fault is FaultCode.LINK_LOST, f"expected fault LINK_LOST, got {status.fault}")


def ended(reason: StopReason) -> Callable[[Status], bool]:
    """A status after a session ended with this stop reason."""
    return lambda s: not s.session_active and s.stop_reason is reason


async def advert(ctx: Context) -> tuple[str | None, tuple[str, ...], bytes]:
    """The advertisement (the link is closed first: a mask advertises while unconnected)."""
    await ctx.link.close()
    await ctx.target.sleep(1.0)
    snapshot = await ctx.target.advertisement()
    ctx.check(snapshot is not None, "no advertisement seen")
    assert snapshot is not None  # noqa: S101 - narrowed by check
    data = next(
        (v for v in snapshot.manufacturer_data.values() if v.startswith(b"PM")),
        b"",
    )
    ctx.cite(f"adv: {data.hex(' ')}", f"name {snapshot.name}")
    return snapshot.name, snapshot.service_uuids, data


# --- 2. Advertising ----------------------------------------------------------------------------


@case("REQ-ADV-01", "advertises the mask service while no host is connected")
async def _adv_service(ctx: Context) -> None:
    _name, uuids, _data = await advert(ctx)
    ctx.check(MASK_SERVICE_UUID in [u.lower() for u in uuids], f"service UUIDs {uuids}")


@case("REQ-ADV-02", "local name is PMASK- and the last two address bytes")
async def _adv_name(ctx: Context) -> None:
    name, _uuids, _data = await advert(ctx)
    digits = ctx.target.address.replace(":", "").upper()
    if len(digits) != 12:
        raise CaseSkipped("this OS hides the Bluetooth address (it gives a UUID instead)")
    expected = f"{LOCAL_NAME_PREFIX}-{digits[-4:]}"
    ctx.check(name == expected, f"name {name!r}, expected {expected!r}")


@case("REQ-ADV-03", "manufacturer data: magic, version, flags with reserved bits 0")
async def _adv_layout(ctx: Context) -> None:
    _name, _uuids, data = await advert(ctx)
    ctx.check(len(data) >= 6, f"manufacturer data {data.hex()} shorter than 6 bytes")
    ctx.check(data[2] == PROTOCOL_VERSION, f"major version {data[2]}")
    ctx.check(data[3] & 0xF0 == 0, f"reserved flag bits set: 0x{data[3]:02x}")
    ctx.check(data[4] <= 100 or data[4] == 0xFF, f"battery byte {data[4]}")


@case("REQ-ADV-04", "session-active flag only while a session exists")
async def _adv_session(ctx: Context) -> None:
    _name, _uuids, data = await advert(ctx)
    ctx.check(not data[3] & 0x02, "session flag set with no session")
    await ctx.connect()
    await arm(ctx)
    snapshot = await ctx.target.advertisement()
    if snapshot is None:
        ctx.cite("not advertising while connected: the idle value was checked")
        return
    parsed = parse_advertisement(snapshot.manufacturer_data)
    ctx.check(parsed is not None and parsed.session_active, "session flag clear while armed")


@case("REQ-ADV-05", "battery byte and low-battery flag agree with the battery level")
async def _adv_battery(ctx: Context) -> None:
    level = (await ctx.link.client.read_gatt_char(BATTERY_LEVEL_UUID))[0]
    ctx.cite(f"battery level {level} %")
    _name, _uuids, data = await advert(ctx)
    ctx.check(data[4] in (level, 0xFF), f"advertised battery {data[4]}, characteristic {level}")
    low = data[4] == 0xFF or data[4] < 15
    ctx.check(bool(data[3] & 0x08) == low, f"low-battery flag {bool(data[3] & 0x08)} at {data[4]}")


@case(
    "REQ-ADV-06",
    "unknown battery: FF, low-battery flag, START refused",
    actions=(Action.UNKNOWN_BATTERY,),
)
async def _adv_battery_unknown(ctx: Context) -> None:
    await ctx.act(Action.UNKNOWN_BATTERY)
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.LOW_BATTERY)
    _name, _uuids, data = await advert(ctx)
    ctx.check(data[4] == 0xFF, f"battery byte {data[4]:02x}, expected ff")
    ctx.check(bool(data[3] & 0x08), "low-battery flag clear")


@case("REQ-ADV-07", "fault flag and fault byte show the latched fault")
async def _adv_fault(ctx: Context) -> None:
    _name, _uuids, data = await advert(ctx)
    ctx.check(not data[3] & 0x04 and data[5] == 0, "fault shown with no fault latched")
    await ctx.connect()
    await latch_link_lost(ctx)
    _name, _uuids, data = await advert(ctx)
    ctx.check(bool(data[3] & 0x04), "fault flag clear with LINK_LOST latched")
    ctx.check(data[5] == FaultCode.LINK_LOST, f"fault byte {data[5]:02x}, expected 04")


# --- 3. GATT -----------------------------------------------------------------------------------


@case("REQ-GATT-01", "services, characteristics and properties")
async def _gatt_layout(ctx: Context) -> None:
    services = ctx.link.client.services
    expected = {
        CONTROL_POINT_UUID: {"write", "indicate"},
        STATUS_UUID: {"read", "notify"},
        MODEL_NUMBER_UUID: {"read"},
        SERIAL_NUMBER_UUID: {"read"},
        FIRMWARE_REVISION_UUID: {"read"},
        BATTERY_LEVEL_UUID: {"read"},
    }
    for uuid, properties in expected.items():
        characteristic = services.get_characteristic(uuid)
        ctx.check(characteristic is not None, f"characteristic {uuid} missing")
        assert characteristic is not None  # noqa: S101 - narrowed by check
        have = set(characteristic.properties)
        ctx.check(properties <= have, f"{uuid} has {sorted(have)}, needs {sorted(properties)}")
        ctx.cite(f"{uuid}: {','.join(sorted(have))}")


@case("REQ-GATT-02", "a 24-step START (the longest frame) in one write")
async def _gatt_long_write(ctx: Context) -> None:
    await arm(ctx, *(breathing(1.0) for _ in range(24)))


@case("REQ-GATT-03", "READ_STATUS, READ_INFO and Device Information agree")
async def _gatt_reads(ctx: Context) -> None:
    response = await ctx.send(ReadInfo(), ResultCode.SUCCESS)
    assert response is not None  # noqa: S101 - send checked it
    from custom_components.pressure_mask.mask_ble.codec import DeviceInfo  # noqa: PLC0415

    info = DeviceInfo.decode(response.payload)
    ctx.check(info.protocol_version == PROTOCOL_VERSION, f"version {info.protocol_version}")
    for uuid, value in (
        (MODEL_NUMBER_UUID, info.model),
        (FIRMWARE_REVISION_UUID, info.firmware),
        (SERIAL_NUMBER_UUID, info.serial),
    ):
        text = bytes(await ctx.link.client.read_gatt_char(uuid)).decode().rstrip("\x00")
        ctx.check(text == value, f"{uuid} reads {text!r}, READ_INFO says {value!r}")
    read = parse_status(bytes(await ctx.link.client.read_gatt_char(STATUS_UUID)))
    over_cp = await ctx.status()
    ctx.check(read.phase is over_cp.phase, "status characteristic and READ_STATUS disagree")


# --- 4. Framing --------------------------------------------------------------------------------


# Framing is checked on plain frames, before authentication, so the bytes on air are exactly the
# malformed ones (sealing would add a trailer); sealed frames have their own cases.
@case("REQ-FRAME-01", "a frame shorter than 5 bytes is dropped", authenticated=False)
async def _frame_short(ctx: Context) -> None:
    await ctx.send(bytes((Opcode.READ_STATUS, ctx.link.next_seq(), 0, 0x05)), None)


@case("REQ-FRAME-02", "a length field that does not match is dropped", authenticated=False)
async def _frame_length(ctx: Context) -> None:
    good = frame(ctx, Opcode.READ_STATUS)
    await ctx.send(good[:2] + b"\x01" + good[3:], None)
    await ctx.send(good + b"\x00", None)


@case("REQ-FRAME-03", "a wrong CRC is dropped, even on STOP")
async def _frame_crc(ctx: Context) -> None:
    await arm(ctx)
    bad = bytearray(frame(ctx, Opcode.STOP))
    bad[-1] ^= 0x01
    await ctx.send(bytes(bad), None)
    status = await ctx.status()
    ctx.check(status.phase is Phase.ARMED, "a STOP with a bad CRC was acted on")


@case("REQ-FRAME-04", "unknown opcodes, 0x80 included, get NOT_SUPPORTED")
async def _frame_unknown(ctx: Context) -> None:
    for opcode in (0x7E, 0x80, 0x00, 0xFF):
        response = await ctx.send(frame(ctx, opcode), ResultCode.NOT_SUPPORTED)
        assert response is not None  # noqa: S101 - send checked it
        ctx.check(response.opcode == opcode, f"response names opcode {response.opcode:02x}")


@case("REQ-FRAME-05", "exactly one response per request, seq and opcode echoed, in order")
async def _frame_one_response(ctx: Context) -> None:
    before = len(ctx.link.responses)
    seqs = []
    for _ in range(3):
        request = frame(ctx, Opcode.READ_LIMITS)
        seqs.append(request[1])
        await ctx.link.write(request)
    await ctx.run(1.0)
    got = [
        (r.seq, r.opcode) for _t, r in ctx.link.responses[before:] if r.opcode != Heartbeat.OPCODE
    ]
    ctx.cite(*(f"seq {s:02x} opcode {o:02x}" for s, o in got))
    ctx.check(got == [(s, Opcode.READ_LIMITS) for s in seqs], f"responses {got}")


@case("REQ-FRAME-06", "no deduplication: a repeated seq is answered again")
async def _frame_no_dedup(ctx: Context) -> None:
    request = frame(ctx, Opcode.HEARTBEAT)
    await ctx.send(request, ResultCode.SUCCESS)
    await ctx.send(request, ResultCode.SUCCESS)


@case("REQ-FRAME-07", "a payload on a payload-less request is INVALID_PARAMETER")
async def _frame_stray_payload(ctx: Context) -> None:
    for opcode in (
        Opcode.PAUSE,
        Opcode.RESUME,
        Opcode.HEARTBEAT,
        Opcode.CLEAR_FAULT,
        Opcode.READ_LIMITS,
        Opcode.READ_INFO,
        Opcode.READ_STATUS,
    ):
        await ctx.send(frame(ctx, opcode, b"\x00"), ResultCode.INVALID_PARAMETER)


# --- Check order -------------------------------------------------------------------------------


@case(
    "REQ-ORDER-01",
    "structural checks come before authentication",
    authenticated=False,
)
async def _order_structure_first(ctx: Context) -> None:
    await ctx.send(frame(ctx, Opcode.START_SESSION, b"\x00"), ResultCode.INVALID_PARAMETER)
    nan_limits = struct.pack("<HHHHHB", 0x07FF, 0xF096, 0xF0C8, 600, 0, 0)
    await ctx.send(frame(ctx, Opcode.SET_LIMITS, nan_limits), ResultCode.INVALID_PARAMETER)
    await ctx.send(frame(ctx, Opcode.HEARTBEAT, b"\x00"), ResultCode.INVALID_PARAMETER)
    await ctx.send(Heartbeat(), ResultCode.NOT_AUTHENTICATED)


@case("REQ-ORDER-02", "START: BUSY, FAULT_ACTIVE, COOLDOWN, LIMIT_EXCEEDED, in that order")
async def _order_start(ctx: Context) -> None:
    over = StartSession((Step(Zone.FOREHEAD, 40.0, 1.0, 1.0, 1.0, 1),), 600, await_button=True)
    await arm(ctx)
    await ctx.send(over, ResultCode.BUSY)
    await stop(ctx)
    await run_breathing(ctx, breathing(5.0))
    await ctx.run(1.0)
    await ctx.link.close()  # the session ran, so it starts the cooldown; LINK_LOST latches
    await ctx.connect()
    await ctx.store_limits(DeviceLimits(30.0, 15.0, 20.0, 600, 60, require_button=False))
    await ctx.wait_for(lambda s: s.phase is Phase.FAULT, 6.0, "phase FAULT")
    await ctx.send(over, ResultCode.FAULT_ACTIVE)
    await ctx.send(ClearFault(), ResultCode.SUCCESS)
    await ctx.send(over, ResultCode.COOLDOWN)
    await ctx.store_limits(SUITE_LIMITS)
    await ctx.send(over, ResultCode.LIMIT_EXCEEDED)


@case(
    "REQ-ORDER-03",
    "START: LOW_BATTERY after FAULT_ACTIVE, before LIMIT_EXCEEDED",
    actions=(Action.LOW_BATTERY,),
)
async def _order_low_battery(ctx: Context) -> None:
    await ctx.act(Action.LOW_BATTERY)
    over = StartSession((Step(Zone.FOREHEAD, 40.0, 1.0, 1.0, 1.0, 1),), 600, await_button=True)
    await ctx.send(over, ResultCode.LOW_BATTERY)
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.LOW_BATTERY)


@case("REQ-ORDER-04", "SET_LIMITS: INVALID_PARAMETER, then BUSY, then LIMIT_EXCEEDED")
async def _order_set_limits(ctx: Context) -> None:
    await arm(ctx)
    nan_limits = struct.pack("<HHHHHB", 0x07FF, 0xF096, 0xF0C8, 600, 0, 0)
    await ctx.send(frame(ctx, Opcode.SET_LIMITS, nan_limits), ResultCode.INVALID_PARAMETER)
    await ctx.send(
        SetLimits(DeviceLimits(50.0, 15.0, 20.0, 600, require_button=False)), ResultCode.BUSY
    )
    await stop(ctx)
    await ctx.send(
        SetLimits(DeviceLimits(50.0, 15.0, 20.0, 600, require_button=False)),
        ResultCode.LIMIT_EXCEEDED,
    )


# --- 5.3 START_SESSION -------------------------------------------------------------------------


async def _invalid_start(ctx: Context, payload: bytes) -> None:
    await ctx.send(frame(ctx, Opcode.START_SESSION, payload), ResultCode.INVALID_PARAMETER)
    status = await ctx.status()
    ctx.check(not status.session_active, "a session exists after INVALID_PARAMETER")


@case("REQ-START-01", "unknown flag bits are INVALID_PARAMETER")
async def _start_flags(ctx: Context) -> None:
    for flags in (0x02, 0x80, 0xFF):
        await _invalid_start(ctx, start_payload(flags, 600, [raw_step()]))


@case("REQ-START-02", "0 or more than 24 steps, or a length that does not match, is invalid")
async def _start_count(ctx: Context) -> None:
    await _invalid_start(ctx, start_payload(0x01, 600, []))
    await _invalid_start(ctx, start_payload(0x01, 600, [raw_step(Zone.NONE, 0)] * 25))
    await _invalid_start(ctx, start_payload(0x01, 600, [raw_step()])[:-1])
    await _invalid_start(ctx, start_payload(0x01, 600, [raw_step()]) + b"\x00")


@case("REQ-START-03", "max_duration_s 0 is INVALID_PARAMETER, even while busy")
async def _start_zero_duration(ctx: Context) -> None:
    await _invalid_start(ctx, start_payload(0x01, 0, [raw_step()]))
    await arm(ctx)
    payload = start_payload(0x01, 0, [raw_step()])
    await ctx.send(frame(ctx, Opcode.START_SESSION, payload), ResultCode.INVALID_PARAMETER)


@case("REQ-START-04", "an unknown zone is INVALID_PARAMETER")
async def _start_zone(ctx: Context) -> None:
    for zone in (0x07, 0x80, 0xFF):
        await _invalid_start(ctx, start_payload(0x01, 600, [raw_step(zone)]))


@case("REQ-START-05", "zone 00 with a non-zero target is INVALID_PARAMETER")
async def _start_zone_none(ctx: Context) -> None:
    await _invalid_start(ctx, start_payload(0x01, 600, [raw_step(Zone.NONE, 0xF00A)]))


@case("REQ-START-06", "NaN, NRes, reserved, infinite, negative or >204.5 targets are invalid")
async def _start_targets(ctx: Context) -> None:
    for raw in (0x07FF, 0x0800, 0x0801, 0x07FE, 0x0802, 0xFFF6, 0xF7FE, 0x00CD, 0x1015):
        await _invalid_start(ctx, start_payload(0x01, 600, [raw_step(target_raw=raw)]))


@case("REQ-START-07", "SFLOAT: only the five raw specials are special (E7FE is 20.46)")
async def _start_sfloat(ctx: Context) -> None:
    payload = start_payload(0x01, 600, [raw_step(target_raw=0xE7FE)])
    await ctx.send(frame(ctx, Opcode.START_SESSION, payload), ResultCode.SUCCESS)
    await stop(ctx)
    # 20.46 at the under-eye zone (limit 15) is over the limit, so it was read as a number.
    payload = start_payload(0x01, 600, [raw_step(Zone.UNDER_EYE, target_raw=0xE7FE)])
    await ctx.send(frame(ctx, Opcode.START_SESSION, payload), ResultCode.LIMIT_EXCEEDED)


@case("REQ-START-08", "a step without duration or without repetitions is invalid")
async def _start_step_shape(ctx: Context) -> None:
    await _invalid_start(
        ctx, start_payload(0x01, 600, [raw_step(inflate_ms=0, hold_ms=0, release_ms=0)])
    )
    await _invalid_start(ctx, start_payload(0x01, 600, [raw_step(repetitions=0)]))


@case("REQ-START-09", "a target above the zone limit is refused, never clamped")
async def _start_reject_not_clamp(ctx: Context) -> None:
    for zone, limit in ((Zone.FOREHEAD, 30.0), (Zone.UNDER_EYE, 15.0), (Zone.NECK, 20.0)):
        over = Step(zone, limit + 0.1, 1.0, 1.0, 1.0, 1)
        await ctx.send(StartSession((over,), 600, await_button=False), ResultCode.LIMIT_EXCEEDED)
        status = await ctx.status()
        ctx.check(not status.session_active and status.phase is Phase.IDLE, "something started")
        # At the limit is accepted (a sensitive zone's release at least its 3 s minimum).
        await arm(ctx, Step(zone, limit, 1.0, 1.0, 3.0, 1))
        await ctx.send(Stop(), ResultCode.SUCCESS)
        await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)


@case("REQ-START-10", "max_duration_s above the stored max_session_s is refused")
async def _start_max_duration(ctx: Context) -> None:
    await ctx.send(StartSession((breathing(),), 601, await_button=True), ResultCode.LIMIT_EXCEEDED)
    await arm(ctx, breathing(), max_duration_s=600)
    await stop(ctx)
    await ctx.store_limits(DeviceLimits(30.0, 15.0, 20.0, 1200, require_button=False))
    await ctx.send(StartSession((breathing(),), 1201, await_button=True), ResultCode.LIMIT_EXCEEDED)


@case("REQ-START-11", "the duration sum counts repetitions, in milliseconds")
async def _start_duration_sum(ctx: Context) -> None:
    ten_s = Step(Zone.NONE, 0.0, 0.5, 0.25, 0.25, 10)  # 1 000 ms x 10
    await ctx.send(StartSession((ten_s,), 9, await_button=True), ResultCode.LIMIT_EXCEEDED)
    just_over = start_payload(
        0x01, 10, [raw_step(Zone.NONE, 0, inflate_ms=1000, hold_ms=0, release_ms=1, repetitions=10)]
    )  # 10 010 ms
    await ctx.send(frame(ctx, Opcode.START_SESSION, just_over), ResultCode.LIMIT_EXCEEDED)
    await arm(ctx, ten_s, max_duration_s=10)


@case("REQ-START-12", "a step pressurised longer than 60 s is refused at START")
async def _start_dwell(ctx: Context) -> None:
    too_long = start_payload(0x01, 600, [raw_step(inflate_ms=1000, hold_ms=59001)])
    await ctx.send(frame(ctx, Opcode.START_SESSION, too_long), ResultCode.LIMIT_EXCEEDED)
    at_limit = start_payload(0x01, 600, [raw_step(inflate_ms=1000, hold_ms=59000)])
    await ctx.send(frame(ctx, Opcode.START_SESSION, at_limit), ResultCode.SUCCESS)
    await stop(ctx)
    breath = start_payload(
        0x01, 600, [raw_step(Zone.NONE, 0, inflate_ms=30000, hold_ms=40000, release_ms=0)]
    )
    await ctx.send(frame(ctx, Opcode.START_SESSION, breath), ResultCode.SUCCESS)


@case("REQ-START-13", "on SUCCESS the phase is ARMED (await_button) or INFLATING")
async def _start_phase(ctx: Context) -> None:
    await arm(ctx)
    await stop(ctx)
    await run_breathing(ctx, breathing(5.0))
    await ctx.wait_for(lambda s: s.phase is Phase.INFLATING and s.session_active, 1.0, "INFLATING")


@case("REQ-START-14", "START while a session exists or while venting is BUSY", inflates=True)
async def _start_busy(ctx: Context) -> None:
    await arm(ctx)
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.BUSY)
    await stop(ctx)
    await holding(ctx)
    await ctx.send(Stop(), ResultCode.SUCCESS)
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.BUSY)


@case("REQ-START-15", "battery below 15 %: START is LOW_BATTERY", actions=(Action.LOW_BATTERY,))
async def _start_low_battery(ctx: Context) -> None:
    await ctx.act(Action.LOW_BATTERY)
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.LOW_BATTERY)
    status = await ctx.status()
    ctx.check(status.low_battery, "status low-battery flag clear")


# --- 5.4 Limits --------------------------------------------------------------------------------


@case("REQ-LIMITS-01", "NaN, infinite, negative limits, max_session_s 0, unknown flags: invalid")
async def _limits_invalid(ctx: Context) -> None:
    before = await ctx.send(ReadLimits(), ResultCode.SUCCESS)
    for face, session_s, flags in (
        (0x07FF, 600, 0),
        (0x07FE, 600, 0),
        (0xFFF6, 600, 0),
        (0xF12C, 0, 0),
        (0xF12C, 600, 0x02),
    ):
        payload = struct.pack("<HHHHHB", face, 0xF096, 0xF0C8, session_s, 0, flags)
        await ctx.send(frame(ctx, Opcode.SET_LIMITS, payload), ResultCode.INVALID_PARAMETER)
    after = await ctx.send(ReadLimits(), ResultCode.SUCCESS)
    ctx.check(
        before is not None and after is not None and before.payload == after.payload,
        "stored limits changed",
    )


@case("REQ-LIMITS-02", "limits above a ceiling are refused; at the ceilings they are stored")
async def _limits_ceilings(ctx: Context) -> None:
    for limits in (
        DeviceLimits(40.1, 15.0, 20.0, 600, require_button=False),
        DeviceLimits(30.0, 20.1, 20.0, 600, require_button=False),
        DeviceLimits(30.0, 15.0, 25.1, 600, require_button=False),
        DeviceLimits(30.0, 15.0, 20.0, 1201, require_button=False),
    ):
        await ctx.send(SetLimits(limits), ResultCode.LIMIT_EXCEEDED)
    ceilings = DeviceLimits(40.0, 20.0, 25.0, 1200, 30, require_button=False)
    await ctx.store_limits(ceilings)
    stored = await ctx.send(ReadLimits(), ResultCode.SUCCESS)
    ctx.check(stored is not None and stored.payload == ceilings.encode(), "READ_LIMITS differs")


@case("REQ-LIMITS-03", "SET_LIMITS is BUSY only while a session exists")
async def _limits_busy(ctx: Context) -> None:
    await arm(ctx)
    await ctx.send(SetLimits(SUITE_LIMITS), ResultCode.BUSY)
    await ctx.send(Stop(), ResultCode.SUCCESS)
    await ctx.store_limits(SUITE_LIMITS)
    await ctx.send(Vent(), ResultCode.SUCCESS)
    await ctx.store_limits(SUITE_LIMITS)
    await latch_link_lost(ctx)
    await ctx.store_limits(SUITE_LIMITS)


# --- State: every opcode in every phase --------------------------------------------------------


async def _each_phase(ctx: Context, check: Callable[[str], Awaitable[None]]) -> None:
    """Bring the mask into IDLE, ARMED, running, PAUSED and FAULT, calling check in each."""
    await check("IDLE")
    await arm(ctx)
    await check("ARMED")
    await stop(ctx)
    await run_breathing(ctx, breathing(30.0))
    await check("running")
    await stop(ctx)
    await run_breathing(ctx, breathing(30.0))
    await ctx.send(Pause(), ResultCode.SUCCESS)
    await check("PAUSED")
    await stop(ctx)
    await latch_link_lost(ctx)
    await ctx.link.until(lambda s: s.phase is Phase.FAULT, 6.0)
    await check("FAULT")


@case("REQ-STATE-01", "STOP succeeds in every phase, authenticated or not")
async def _state_stop(ctx: Context) -> None:
    await ctx.send(Stop(), ResultCode.SUCCESS)
    for phase_setup in ("ARMED", "running", "PAUSED"):
        if phase_setup == "ARMED":
            await arm(ctx)
        else:
            await run_breathing(ctx, breathing(30.0))
            if phase_setup == "PAUSED":
                await ctx.send(Pause(), ResultCode.SUCCESS)
        await ctx.send(Stop(), ResultCode.SUCCESS)
        await ctx.wait_for(
            ended(StopReason.HOST_STOP), 1.0, f"stop reason HOST_STOP ({phase_setup})"
        )
        await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    await latch_link_lost(ctx)
    await ctx.send(Stop(), ResultCode.SUCCESS)
    status = await ctx.status()
    ctx.check(status.fault is FaultCode.LINK_LOST, "STOP cleared the latched fault")
    await ctx.connect(authenticate=False)
    await ctx.send(Stop(), ResultCode.SUCCESS)


@case("REQ-STATE-02", "VENT succeeds in every phase; without a session it vents and returns")
async def _state_vent(ctx: Context) -> None:
    await ctx.send(Vent(), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 1.0, "phase VENTING")
    await ctx.wait_for(lambda s: s.phase is Phase.IDLE, 6.0, "phase IDLE")
    for setup in ("ARMED", "running", "PAUSED"):
        if setup == "ARMED":
            await arm(ctx)
        else:
            await run_breathing(ctx, breathing(30.0))
            if setup == "PAUSED":
                await ctx.send(Pause(), ResultCode.SUCCESS)
        await ctx.send(Vent(), ResultCode.SUCCESS)
        await ctx.wait_for(ended(StopReason.HOST_VENT), 1.0, f"stop reason HOST_VENT ({setup})")
        await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    await latch_link_lost(ctx)
    await ctx.link.until(lambda s: s.phase is Phase.FAULT, 6.0)
    await ctx.send(Vent(), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.phase is Phase.FAULT, 6.0, "back in FAULT after venting")
    await ctx.connect(authenticate=False)
    await ctx.send(Vent(), ResultCode.SUCCESS)


@case("REQ-STATE-03", "STOP of an armed session and VENT while idle pass through VENTING")
async def _state_through_venting(ctx: Context) -> None:
    await arm(ctx)
    await ctx.send(Stop(), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 1.0, "phase VENTING after STOP")
    await ctx.wait_for(lambda s: s.phase is Phase.IDLE, 6.0, "phase IDLE")
    await ctx.send(Vent(), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 1.0, "phase VENTING after VENT")


@case("REQ-STATE-04", "VENTING ends below 1 mmHg or after 5 s, without a fault", inflates=True)
async def _state_venting_ends(ctx: Context) -> None:
    await holding(ctx)
    await ctx.send(Stop(), ResultCode.SUCCESS)
    stopped = ctx.now()
    venting = await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 1.0, "VENTING")
    ctx.check(venting.pressure_mmhg >= 1.0, "VENTING shown with the bladder already empty")
    idle = await ctx.wait_for(
        lambda s: s.phase is not Phase.VENTING, 5.0 + LATE_S, "end of VENTING"
    )
    ctx.check(idle.phase is Phase.IDLE and idle.fault is FaultCode.NONE, f"after venting: {idle}")
    took = ctx.now() - stopped
    # The status carries 0.1 mmHg: 0.96 mmHg reads 1.0.
    ctx.check(
        idle.pressure_mmhg <= 1.0 or took >= 5.0, f"left VENTING at {idle.pressure_mmhg} mmHg"
    )


@case("REQ-STATE-05", "PAUSE: only while running; AWAITING_BUTTON while armed")
async def _state_pause(ctx: Context) -> None:
    expected = {
        "IDLE": ResultCode.INVALID_STATE,
        "ARMED": ResultCode.AWAITING_BUTTON,
        "running": ResultCode.SUCCESS,
        "PAUSED": ResultCode.INVALID_STATE,
        "FAULT": ResultCode.INVALID_STATE,
    }

    async def check(phase: str) -> None:
        await ctx.send(Pause(), expected[phase])
        if phase == "running":
            paused = await ctx.wait_for(lambda s: s.phase is Phase.PAUSED, 1.0, "PAUSED")
            ctx.check(StatusFlags.VALVE_OPEN in paused.flags, "valve closed while paused")
            ctx.check(StatusFlags.PUMP_ON not in paused.flags, "pump on while paused")

    await _each_phase(ctx, check)


@case("REQ-STATE-06", "RESUME: only while paused; it restarts the interrupted repetition")
async def _state_resume(ctx: Context) -> None:
    expected = {
        "IDLE": ResultCode.INVALID_STATE,
        "ARMED": ResultCode.AWAITING_BUTTON,
        "running": ResultCode.INVALID_STATE,
        "PAUSED": ResultCode.SUCCESS,
        "FAULT": ResultCode.INVALID_STATE,
    }

    async def check(phase: str) -> None:
        if phase == "PAUSED":
            before = await ctx.status()
            await ctx.send(Resume(), ResultCode.SUCCESS)
            after = await ctx.wait_for(lambda s: s.phase is not Phase.PAUSED, 1.0, "resumed")
            ctx.check(after.phase is Phase.INFLATING, f"resumed into {after.phase.name}")
            ctx.check(
                (after.step, after.repetition) == (before.step, before.repetition),
                "resumed another step or repetition",
            )
            await ctx.send(Pause(), ResultCode.SUCCESS)
            return
        await ctx.send(Resume(), expected[phase])

    await _each_phase(ctx, check)


@case("REQ-STATE-07", "HEARTBEAT succeeds in every phase on an authenticated link")
async def _state_heartbeat(ctx: Context) -> None:
    async def check(_phase: str) -> None:
        await ctx.send(Heartbeat(), ResultCode.SUCCESS)

    await _each_phase(ctx, check)


@case("REQ-STATE-08", "CLEAR_FAULT: SUCCESS without a fault; BUSY while venting a fault")
async def _state_clear_fault(ctx: Context) -> None:
    async def check(phase: str) -> None:
        if phase == "FAULT":
            await ctx.send(ClearFault(), ResultCode.SUCCESS)
            cleared = await ctx.status()
            ctx.check(
                cleared.phase is Phase.IDLE and cleared.fault is FaultCode.NONE,
                f"after CLEAR_FAULT: {cleared.phase.name}, fault {cleared.fault.name}",
            )
            return
        await ctx.send(ClearFault(), ResultCode.SUCCESS)

    await _each_phase(ctx, check)


@case("REQ-STATE-09", "READ_LIMITS, READ_INFO, READ_STATUS work in every phase, unauthenticated")
async def _state_reads(ctx: Context) -> None:
    async def check(_phase: str) -> None:
        for command in (ReadLimits(), ReadInfo(), ReadStatus()):
            await ctx.send(command, ResultCode.SUCCESS)

    await _each_phase(ctx, check)
    await ctx.connect(authenticate=False)
    await check("unauthenticated")


@case(
    "REQ-STATE-10",
    "control opcodes need authentication; nothing changes without it",
    authenticated=False,
)
async def _state_needs_auth(ctx: Context) -> None:
    for command in (
        StartSession((breathing(),), 600, await_button=False),
        Pause(),
        Resume(),
        Heartbeat(),
        ClearFault(),
        SetLimits(DeviceLimits(30.0, 15.0, 20.0, 300, require_button=False)),
    ):
        await ctx.send(command, ResultCode.NOT_AUTHENTICATED)
    status = await ctx.status()
    ctx.check(not status.session_active, "a session started without authentication")
    limits = await ctx.send(ReadLimits(), ResultCode.SUCCESS)
    ctx.check(limits is not None and limits.payload == SUITE_LIMITS.encode(), "limits changed")


# --- Timing ------------------------------------------------------------------------------------


@case("REQ-TIME-01", "the deadline counts from the start, pauses included, and ends at max")
async def _time_deadline(ctx: Context) -> None:
    await run_breathing(ctx, breathing(10.0), max_duration_s=10)
    started = ctx.now()
    await ctx.run(2.0)
    await ctx.send(Pause(), ResultCode.SUCCESS)
    await ctx.run(7.5)
    status = await ctx.status()
    ctx.check(status.session_active, "ended before its deadline")
    end = await ctx.wait_for(ended(StopReason.DEADLINE), 1.0 + LATE_S, "stop reason DEADLINE")
    at = ctx.now() - started
    ctx.check(10.0 - 0.05 <= at <= 10.0 + LATE_S, f"deadline at {at:.2f} s, expected 10 s")
    ctx.check(end.phase in (Phase.VENTING, Phase.IDLE), f"phase {end.phase.name}")


@case("REQ-TIME-02", "a routine that ends at the instant of its deadline has COMPLETED")
async def _time_complete_at_deadline(ctx: Context) -> None:
    await run_breathing(ctx, breathing(5.0), max_duration_s=5)
    await ctx.wait_for(lambda s: not s.session_active, 5.0 + 1.0, "end of the session")
    status = await ctx.status()
    ctx.check(status.stop_reason is StopReason.COMPLETED, f"stop reason {status.stop_reason.name}")


@case("REQ-TIME-03", "a pause ends the session at 60 s; RESUME before that continues")
async def _time_pause_expiry(ctx: Context) -> None:
    await run_breathing(ctx, breathing(10.0, 20), max_duration_s=600)
    await ctx.run(1.0)
    await ctx.send(Pause(), ResultCode.SUCCESS)
    await ctx.run(59.0 - LATE_S)
    await ctx.send(Resume(), ResultCode.SUCCESS)
    await ctx.run(1.0)
    await ctx.send(Pause(), ResultCode.SUCCESS)
    paused = ctx.now()
    await ctx.wait_for(ended(StopReason.PAUSE_EXPIRED), 61.0 + LATE_S, "stop reason PAUSE_EXPIRED")
    at = ctx.now() - paused
    ctx.check(60.0 - 0.05 <= at <= 60.0 + LATE_S, f"pause expired after {at:.2f} s")


@case("REQ-TIME-04", "an armed session is cancelled at 120 s")
async def _time_arm_expiry(ctx: Context) -> None:
    await arm(ctx)
    armed = ctx.now()
    await ctx.run(119.0)
    status = await ctx.status()
    ctx.check(status.phase is Phase.ARMED, f"{status.phase.name} before 120 s")
    await ctx.wait_for(ended(StopReason.ARM_EXPIRED), 2.0 + LATE_S, "stop reason ARM_EXPIRED")
    at = ctx.now() - armed
    ctx.check(120.0 - 0.05 <= at <= 120.0 + LATE_S, f"arm expired after {at:.2f} s")


@case(
    "REQ-TIME-05",
    "an armed session's deadline counts from the button press",
    actions=(Action.SHORT_PRESS,),
)
async def _time_deadline_from_button(ctx: Context) -> None:
    await arm(ctx, breathing(5.0), max_duration_s=5)
    await ctx.run(10.0)
    await ctx.act(Action.SHORT_PRESS)
    await ctx.wait_for(lambda s: s.phase is Phase.INFLATING, 2.0, "started by the button")
    await ctx.wait_for(lambda s: not s.session_active, 6.0, "end of the session")
    status = await ctx.status()
    ctx.check(status.stop_reason is StopReason.COMPLETED, f"stop reason {status.stop_reason.name}")


# --- Cooldown ----------------------------------------------------------------------------------


@case("REQ-COOL-01", "cooldown counts from the end of the session; START at the end is accepted")
async def _cool_from_end(ctx: Context) -> None:
    await ctx.store_limits(DeviceLimits(30.0, 15.0, 20.0, 600, 5, require_button=False))
    await ctx.run(5.5)  # out of the cooldown of any earlier session
    await run_breathing(ctx, breathing(1.0))
    await ctx.wait_for(ended(StopReason.COMPLETED), 2.0, "COMPLETED")
    end = ctx.now()
    await ctx.run(4.5)
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.COOLDOWN)
    await ctx.run(5.0 + LATE_S - (ctx.now() - end))
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.SUCCESS)


@case("REQ-COOL-02", "a session that never ran does not start the cooldown")
async def _cool_not_after_arm(ctx: Context) -> None:
    await ctx.store_limits(DeviceLimits(30.0, 15.0, 20.0, 600, 3, require_button=False))
    await ctx.run(3.5)  # out of the cooldown of any earlier session
    await arm(ctx)
    await stop(ctx)
    await arm(ctx)  # within 3 s of the cancelled arm


@case("REQ-COOL-03", "the cooldown in force at START applies to an earlier end")
async def _cool_raised_later(ctx: Context) -> None:
    await run_breathing(ctx, breathing(1.0))
    await ctx.wait_for(ended(StopReason.COMPLETED), 2.0, "COMPLETED")
    await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    await ctx.store_limits(DeviceLimits(30.0, 15.0, 20.0, 600, 60, require_button=False))
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.COOLDOWN)


# --- Status ------------------------------------------------------------------------------------


@case("REQ-STATUS-01", "status layout: at least 15 bytes, known codes, reserved bits 0")
async def _status_layout(ctx: Context) -> None:
    raw = bytes(await ctx.link.client.read_gatt_char(STATUS_UUID))
    ctx.cite(f"status {raw.hex(' ')}")
    ctx.check(len(raw) >= 15, f"{len(raw)} bytes")
    ctx.check(raw[0] & 0xC0 == 0, f"reserved flag bits set: 0x{raw[0]:02x}")
    parse_status(raw)  # raises on an unknown phase, zone, fault or stop reason


def _gaps(ctx: Context, since: float) -> list[float]:
    times = [t for t, _s in ctx.link.statuses if t >= since]
    return [b - a for a, b in itertools.pairwise(times)]


@case("REQ-STATUS-02", "notified every 250 ms with a session, every second without")
async def _status_interval(ctx: Context) -> None:
    idle_from = ctx.now()
    await ctx.run(4.0)
    idle = _gaps(ctx, idle_from)
    ctx.check(
        len(idle) >= 2 and max(idle) <= 1.0 + 0.1, f"idle gaps up to {max(idle, default=0):.2f} s"
    )
    await arm(ctx)
    armed_from = ctx.now()
    await ctx.run(3.0)
    armed = _gaps(ctx, armed_from)
    ctx.cite(f"largest gap idle {max(idle):.3f} s, armed {max(armed, default=0):.3f} s")
    ctx.check(
        len(armed) >= 8 and max(armed) <= 0.25 + 0.1,
        f"armed gaps up to {max(armed, default=0):.2f} s",
    )


@case("REQ-STATUS-03", "a change of phase is notified at once")
async def _status_immediate(ctx: Context) -> None:
    await arm(ctx)
    await ctx.run(0.3)
    sent = ctx.now()
    await ctx.send(Stop(), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 0.1, "VENTING within 100 ms")
    ctx.cite(f"notified after {ctx.now() - sent:.3f} s")


@case("REQ-STATUS-04", "the response comes before the status notification it causes")
async def _status_order(ctx: Context) -> None:
    await arm(ctx)
    mark = len(ctx.transcript)
    await ctx.send(Stop(), ResultCode.SUCCESS)
    await ctx.link.until(lambda s: s.phase is Phase.VENTING, 1.0)
    kinds = [line for line in ctx.transcript[mark:] if line.kind in ("←", "status")]
    first_venting = next(
        (
            i
            for i, line in enumerate(kinds)
            if line.kind == "status" and parse_status(line.data).phase is Phase.VENTING
        ),
        None,
    )
    response = next((i for i, line in enumerate(kinds) if line.kind == "←"), None)
    ctx.check(
        response is not None and first_venting is not None and response < first_venting,
        "the VENTING status came before the STOP response",
    )


def _floors(lo: float, hi: float) -> set[int]:
    return set(range(math.floor(lo), math.floor(hi) + 1))


def _ceils(lo: float, hi: float) -> set[int]:
    return set(range(math.ceil(lo), math.ceil(hi) + 1))


@case("REQ-STATUS-05", "elapsed_s rounds down, remaining_s up; pauses count in elapsed")
async def _status_times(ctx: Context) -> None:
    total = 12.0
    before = ctx.now()
    await run_breathing(ctx, breathing(total), max_duration_s=20)
    after = ctx.now()
    mark = len(ctx.link.statuses)
    await ctx.run(3.0)
    await ctx.send(Pause(), ResultCode.SUCCESS)
    await ctx.run(2.0)
    checked = 0
    for t, status in ctx.link.statuses[mark:]:
        if status.phase is not Phase.INFLATING:
            continue
        lo, hi = t - after - 0.1, t - before
        ctx.check(status.elapsed_s in _floors(lo, hi), f"elapsed {status.elapsed_s} at {hi:.2f} s")
        ctx.check(
            status.remaining_s in _ceils(total - hi, total - lo),
            f"remaining {status.remaining_s} at {hi:.2f} s",
        )
        checked += 1
    paused = await ctx.status()
    lo, hi = ctx.now() - after - 0.1, ctx.now() - before
    ctx.check(paused.elapsed_s in _floors(lo, hi), f"elapsed {paused.elapsed_s} while paused")
    # Paused: the interrupted repetition restarts, so the whole step remains (capped by the
    # deadline: 20 s from the start).
    ctx.check(paused.remaining_s in _ceils(total, total), f"remaining {paused.remaining_s} paused")
    ctx.cite_status(paused)
    ctx.check(checked >= 8, f"only {checked} statuses while running")


@case("REQ-STATUS-06", "while armed: zone and step of the first step, repetition 1, times")
async def _status_armed(ctx: Context) -> None:
    await ctx.send(
        StartSession((Step(Zone.NECK, 18.0, 1.0, 2.0, 3.0, 3),), 20, await_button=True),
        ResultCode.SUCCESS,
    )
    status = await ctx.wait_for(lambda s: s.phase is Phase.ARMED, 1.0, "ARMED")
    ctx.check(
        (status.zone, status.step, status.repetition, status.elapsed_s, status.remaining_s)
        == (Zone.NECK, 0, 1, 0, 18),
        f"armed status {status}",
    )
    ctx.check(
        (status.stop_reason, status.cycles_completed) == (StopReason.NONE, 0),
        "stale stop reason or cycles",
    )


@case("REQ-STATUS-07", "with no session: zone, step, repetition and times are 0; results kept")
async def _status_no_session(ctx: Context) -> None:
    await run_breathing(ctx, breathing(0.5, 3))
    done = await ctx.wait_for(ended(StopReason.COMPLETED), 3.0, "COMPLETED")
    for status in (done, await ctx.status()):
        ctx.check(
            (status.zone, status.step, status.repetition, status.elapsed_s, status.remaining_s)
            == (Zone.NONE, 0, 0, 0, 0),
            f"no-session status {status}",
        )
        ctx.check(status.cycles_completed == 3, f"cycles {status.cycles_completed}")


@case("REQ-STATUS-08", "stop reason 00 and cycles 0 from START until the session ends")
async def _status_reset_at_start(ctx: Context) -> None:
    await run_breathing(ctx, breathing(0.5, 2))
    await ctx.wait_for(ended(StopReason.COMPLETED), 3.0, "COMPLETED")
    await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.SUCCESS)
    armed = await ctx.wait_for(lambda s: s.phase is Phase.ARMED, 1.0, "ARMED")
    ctx.check(
        armed.stop_reason is StopReason.NONE, f"stop reason {armed.stop_reason.name} while armed"
    )
    ctx.check(armed.cycles_completed == 0, f"cycles {armed.cycles_completed} while armed")


@case("REQ-STATUS-09", "a cycle is a repetition whose release ended; interrupted ones do not count")
async def _status_cycles(ctx: Context) -> None:
    await run_breathing(ctx, Step(Zone.NONE, 0.0, 0.5, 0.5, 1.0, 3))
    await ctx.run(3.0)  # repetition 2 is half done
    await ctx.send(Stop(), ResultCode.SUCCESS)
    status = await ctx.wait_for(ended(StopReason.HOST_STOP), 1.0, "HOST_STOP")
    ctx.check(status.cycles_completed == 1, f"cycles {status.cycles_completed}, expected 1")


@case(
    "REQ-STATUS-10",
    "valve open except while a zone inflates or holds; pump only then",
    inflates=True,
)
async def _status_valve(ctx: Context) -> None:
    mark = len(ctx.link.statuses)
    await ctx.run(1.5)
    await run_breathing(ctx, Step(Zone.NONE, 0.0, 1.0, 1.0, 1.0, 1))
    await ctx.link.until(lambda s: not s.session_active, 5.0)
    await holding(ctx)
    await stop(ctx)
    closed_seen = False
    for _t, status in ctx.link.statuses[mark:]:
        zoned = status.zone is not Zone.NONE and status.phase in (Phase.INFLATING, Phase.HOLDING)
        closed_seen |= zoned and StatusFlags.VALVE_OPEN not in status.flags
        if not zoned:
            ctx.check(
                StatusFlags.VALVE_OPEN in status.flags,
                f"valve closed in {status.phase.name} zone {status.zone.name}",
            )
            ctx.check(
                StatusFlags.PUMP_ON not in status.flags,
                f"pump on in {status.phase.name} zone {status.zone.name}",
            )
    ctx.check(closed_seen, "the valve never closed while the forehead inflated")


@case(
    "REQ-STATUS-11",
    "pressure is the highest bladder pressure, with or without a zone",
    inflates=True,
)
async def _status_pressure(ctx: Context) -> None:
    await holding(ctx)
    await ctx.send(Stop(), ResultCode.SUCCESS)
    venting = await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 1.0, "VENTING")
    ctx.check(venting.zone is Zone.NONE, "a zone is current while venting")
    ctx.check(venting.pressure_mmhg > 5.0, f"{venting.pressure_mmhg} mmHg right after STOP")


@case("REQ-STATUS-12", "session flag exactly while a session exists; auth flag per link")
async def _status_flags(ctx: Context) -> None:
    status = await ctx.status()
    ctx.check(not status.session_active and status.authenticated, f"idle flags {status.flags!r}")
    await arm(ctx)
    ctx.check((await ctx.status()).session_active, "session flag clear while armed")
    await ctx.send(Stop(), ResultCode.SUCCESS)
    venting = await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 1.0, "VENTING")
    ctx.check(not venting.session_active, "session flag set while venting")
    await ctx.connect(authenticate=False)
    ctx.check(not (await ctx.status()).authenticated, "auth flag set on a new link")


# --- Heartbeats --------------------------------------------------------------------------------


@case("REQ-HB-01", "no request for more than 3 s ends a session with HEARTBEAT_TIMEOUT")
async def _hb_timeout(ctx: Context) -> None:
    await arm(ctx)
    await ctx.run(2.0)
    await ctx.send(Heartbeat(), ResultCode.SUCCESS)
    last = ctx.now()
    await ctx.run(2.9, heartbeat=False)
    ctx.check(ctx.link.status is not None and ctx.link.status.session_active, "ended before 3 s")
    status = await ctx.wait_for(
        lambda s: s.fault is FaultCode.HEARTBEAT_TIMEOUT,
        0.1 + LATE_S + 0.1,
        "fault HEARTBEAT_TIMEOUT",
        heartbeat=False,
    )
    ctx.check(status.stop_reason is StopReason.FAULT, f"stop reason {status.stop_reason.name}")
    ctx.cite(f"timed out {ctx.now() - last:.2f} s after the last heartbeat")


@case("REQ-HB-02", "any well-formed request counts as a heartbeat; malformed ones do not")
async def _hb_what_counts(ctx: Context) -> None:
    await arm(ctx)
    for _ in range(4):
        await ctx.run(2.0, heartbeat=False)
        await ctx.send(Pause(), ResultCode.AWAITING_BUTTON)
    for _ in range(2):
        await ctx.run(1.0, heartbeat=False)
        await ctx.send(ReadStatus(), ResultCode.SUCCESS)
    status = await ctx.status()
    ctx.check(status.phase is Phase.ARMED, "rejected requests did not count as heartbeats")
    for _ in range(5):
        await ctx.run(0.9, heartbeat=False)
        bad = bytearray(frame(ctx, Opcode.HEARTBEAT))
        bad[-1] ^= 0xFF
        await ctx.link.write(bytes(bad))
        await ctx.link.write(frame(ctx, 0x7E))
        await ctx.link.write(frame(ctx, Opcode.HEARTBEAT, b"\x00"))
    status = await ctx.status()
    ctx.cite_status(status)
    ctx.check(
        status.fault is FaultCode.HEARTBEAT_TIMEOUT, "malformed frames kept the session alive"
    )


# --- Device-side safety ------------------------------------------------------------------------


@case("REQ-SAFE-01", "link loss: session ends, LINK_LOST, below 5 mmHg within 3 s", inflates=True)
async def _safe_link_loss(ctx: Context) -> None:
    await holding(ctx)
    await ctx.link.close()
    dropped = ctx.now()
    await ctx.target.sleep(3.0)
    await ctx.connect(authenticate=False)
    status = await ctx.status()
    ctx.cite_status(status)
    ctx.cite(f"read {ctx.now() - dropped:.2f} s after the drop")
    ctx.check(not status.session_active, "the session survived the link")
    ctx.check(status.fault is FaultCode.LINK_LOST, f"fault {status.fault.name}")
    ctx.check(status.stop_reason is StopReason.FAULT, f"stop reason {status.stop_reason.name}")
    ctx.check(status.pressure_mmhg < 5.0, f"{status.pressure_mmhg} mmHg after the drop")


@case("REQ-SAFE-02", "no resume after reconnect: a new link is unauthenticated, no session")
async def _safe_no_resume(ctx: Context) -> None:
    await arm(ctx)
    await ctx.link.close()
    await ctx.connect(authenticate=False)
    status = await ctx.status()
    ctx.check(not status.session_active and not status.authenticated, f"after reconnect {status}")
    await ctx.send(Resume(), ResultCode.NOT_AUTHENTICATED)
    await ctx.send(Heartbeat(), ResultCode.NOT_AUTHENTICATED)


@case("REQ-SAFE-03", "heartbeat timeout while running: below 5 mmHg within 3 s", inflates=True)
async def _safe_heartbeat_vent(ctx: Context) -> None:
    await holding(ctx)
    await ctx.wait_for(
        lambda s: s.fault is FaultCode.HEARTBEAT_TIMEOUT,
        3.0 + 2 * LATE_S,
        "HEARTBEAT_TIMEOUT",
        heartbeat=False,
    )
    timed_out = ctx.now()
    await ctx.wait_for(lambda s: s.pressure_mmhg < 5.0, 3.0, "below 5 mmHg", heartbeat=False)
    ctx.cite(f"below 5 mmHg {ctx.now() - timed_out:.2f} s after the timeout")


@case(
    "REQ-SAFE-04",
    "over-pressure: the zone limit + 3 mmHg raises OVER_PRESSURE and vents",
    inflates=True,
    actions=(Action.OVER_PRESSURE,),
)
async def _safe_over_pressure(ctx: Context) -> None:
    await holding(ctx, Step(Zone.FOREHEAD, 20.0, 1.5, 20.0, 4.0, 1))
    await ctx.send(SetLimits(SUITE_LIMITS), ResultCode.BUSY)
    await ctx.act(Action.OVER_PRESSURE)
    status = await ctx.wait_for(lambda s: s.fault is not FaultCode.NONE, 2.0, "a fault")
    ctx.check(
        status.fault in (FaultCode.OVER_PRESSURE, FaultCode.HARDWARE_TRIP),
        f"fault {status.fault.name}",
    )
    await ctx.wait_for(lambda s: s.pressure_mmhg < 5.0, 3.0, "below 5 mmHg")


@case(
    "REQ-SAFE-05",
    "the hardware trip at 45 mmHg raises HARDWARE_TRIP",
    inflates=True,
    actions=(Action.OVER_PRESSURE,),
)
async def _safe_hardware_trip(ctx: Context) -> None:
    await holding(ctx)  # 25 mmHg; the action adds about 20
    await ctx.act(Action.OVER_PRESSURE)
    status = await ctx.wait_for(lambda s: s.fault is not FaultCode.NONE, 2.0, "a fault")
    ctx.check(status.fault is FaultCode.HARDWARE_TRIP, f"fault {status.fault.name}")


# --- Faults ------------------------------------------------------------------------------------


@case("REQ-FAULT-01", "a fault ends the session, latches, blocks START until cleared")
async def _fault_latch(ctx: Context) -> None:
    await latch_link_lost(ctx)
    status = await ctx.wait_for(lambda s: s.phase is Phase.FAULT, 6.0, "phase FAULT")
    ctx.check(status.stop_reason is StopReason.FAULT, f"stop reason {status.stop_reason.name}")
    await ctx.send(StartSession((breathing(),), 600, await_button=True), ResultCode.FAULT_ACTIVE)
    await ctx.send(ClearFault(), ResultCode.SUCCESS)
    await arm(ctx)


@case("REQ-FAULT-02", "the first fault is kept", actions=(Action.DISCONNECT_SENSOR,))
async def _fault_first_kept(ctx: Context) -> None:
    await arm(ctx)
    await ctx.wait_for(
        lambda s: s.fault is FaultCode.HEARTBEAT_TIMEOUT,
        4.0 + LATE_S,
        "HEARTBEAT_TIMEOUT",
        heartbeat=False,
    )
    await ctx.act(Action.DISCONNECT_SENSOR)
    await ctx.run(1.0)
    status = await ctx.status()
    ctx.check(status.fault is FaultCode.HEARTBEAT_TIMEOUT, f"fault became {status.fault.name}")


@case(
    "REQ-FAULT-03",
    "LEAK: the target is not reached within inflate + 2 s",
    inflates=True,
    actions=(Action.OPEN_LEAK,),
)
async def _fault_leak(ctx: Context) -> None:
    await ctx.act(Action.OPEN_LEAK)
    await ctx.send(StartSession((FOREHEAD,), 600, await_button=False), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.fault is FaultCode.LEAK, 1.5 + 2.0 + 1.0, "fault LEAK")


@case(
    "REQ-FAULT-04",
    "SENSOR_STUCK: no change for more than 1 s while the pump runs",
    inflates=True,
    actions=(Action.FREEZE_SENSOR,),
)
async def _fault_stuck(ctx: Context) -> None:
    await ctx.act(Action.FREEZE_SENSOR)
    await ctx.send(StartSession((FOREHEAD,), 600, await_button=False), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.fault is FaultCode.SENSOR_STUCK, 2.5, "fault SENSOR_STUCK")


@case(
    "REQ-FAULT-05",
    "a sensor that cannot read raises SENSOR_STUCK and reports NaN",
    actions=(Action.DISCONNECT_SENSOR,),
)
async def _fault_nan(ctx: Context) -> None:
    await ctx.act(Action.DISCONNECT_SENSOR)
    status = await ctx.wait_for(
        lambda s: s.fault is FaultCode.SENSOR_STUCK, 1.5, "fault SENSOR_STUCK"
    )
    ctx.check(math.isnan(status.pressure_mmhg), f"pressure {status.pressure_mmhg}, expected NaN")


@case("REQ-FAULT-06", "no SENSOR_STUCK on the slowest ramp", inflates=True)
async def _fault_slow_ramp(ctx: Context) -> None:
    slow = Step(Zone.FOREHEAD, 10.0, 20.0, 1.0, 2.0, 1)
    await ctx.send(StartSession((slow,), 600, await_button=False), ResultCode.SUCCESS)
    done = await ctx.wait_for(lambda s: not s.session_active, 30.0, "end of the session")
    ctx.check(done.fault is FaultCode.NONE, f"fault {done.fault.name} on a slow ramp")
    ctx.check(done.stop_reason is StopReason.COMPLETED, f"stop reason {done.stop_reason.name}")


@case("REQ-FAULT-07", "PRESSURE_DWELL: above 5 mmHg for more than 60 s", inflates=True)
async def _fault_dwell(ctx: Context) -> None:
    continuous = Step(Zone.FOREHEAD, 15.0, 1.0, 35.0, 0.0, 2)
    await ctx.send(StartSession((continuous,), 600, await_button=False), ResultCode.SUCCESS)
    started = ctx.now()
    status = await ctx.wait_for(lambda s: s.fault is not FaultCode.NONE, 65.0, "a fault")
    ctx.check(status.fault is FaultCode.PRESSURE_DWELL, f"fault {status.fault.name}")
    ctx.check(ctx.now() - started > 60.0, f"dwell after {ctx.now() - started:.1f} s")


@case(
    "REQ-FAULT-08",
    "battery below 5 % during a session raises LOW_BATTERY",
    actions=(Action.CRITICAL_BATTERY,),
)
async def _fault_battery(ctx: Context) -> None:
    await run_breathing(ctx, breathing(30.0))
    await ctx.act(Action.CRITICAL_BATTERY)
    status = await ctx.wait_for(lambda s: s.fault is not FaultCode.NONE, 2.0, "a fault")
    ctx.check(status.fault is FaultCode.LOW_BATTERY, f"fault {status.fault.name}")


@case(
    "REQ-FAULT-09",
    "CLEAR_FAULT while the cause is present is FAULT_ACTIVE",
    actions=(Action.DISCONNECT_SENSOR,),
)
async def _fault_cause_present(ctx: Context) -> None:
    await ctx.act(Action.DISCONNECT_SENSOR)
    await ctx.wait_for(lambda s: s.phase is Phase.FAULT, 7.0, "phase FAULT")
    await ctx.send(ClearFault(), ResultCode.FAULT_ACTIVE)
    await ctx.target.undo(Action.DISCONNECT_SENSOR)
    await ctx.send(ClearFault(), ResultCode.SUCCESS)


# --- Stop always wins, whatever the payload ----------------------------------------------------

STRAY_PAYLOADS: Final = (b"\x00", b"\x01\x02\x03", bytes(40))


async def running(ctx: Context) -> None:
    """A session of breathing steps, seen running in a status."""
    await run_breathing(ctx, breathing(30.0))
    await ctx.wait_for(lambda s: s.phase in RUNNING, 1.0, "a running session")


async def stray_payload_acts(ctx: Context, opcode: Opcode, reason: StopReason) -> None:
    """STOP or VENT with each stray payload ends a running session; unauthenticated too."""
    for payload in STRAY_PAYLOADS:
        await running(ctx)
        await ctx.send(frame(ctx, opcode, payload), ResultCode.SUCCESS)
        await ctx.wait_for(ended(reason), 1.0, f"stop reason {reason.name} ({payload.hex()})")
        await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    await ctx.connect(authenticate=False)
    await ctx.send(frame(ctx, opcode, b"\x99"), ResultCode.SUCCESS)


@case("REQ-STOP-01", "STOP with a stray payload stops the session, authenticated or not")
async def _stop_stray_payload(ctx: Context) -> None:
    await stray_payload_acts(ctx, Opcode.STOP, StopReason.HOST_STOP)


@case("REQ-STOP-02", "VENT with a stray payload vents, authenticated or not")
async def _vent_stray_payload(ctx: Context) -> None:
    await stray_payload_acts(ctx, Opcode.VENT, StopReason.HOST_VENT)
    await ctx.wait_for(lambda s: s.phase is Phase.VENTING, 1.0, "phase VENTING without a session")


# --- The button --------------------------------------------------------------------------------


async def pressed(ctx: Context, action: Action) -> list[Status]:
    """Perform a button action; the statuses notified during it and half a second after."""
    seen = len(ctx.link.statuses)
    await ctx.act(action)
    await ctx.run(0.5)
    return [status for _at, status in ctx.link.statuses[seen:]]


def never(phases: frozenset[Phase], statuses: list[Status], what: str) -> None:
    """Fail if any of the statuses shows one of the phases."""
    shown = [status.phase.name for status in statuses if status.phase in phases]
    if shown:
        raise CaseFailed(f"{what}: {shown[0]}")


async def ended_by_the_button(ctx: Context, action: Action) -> None:
    """The session ended with stop reason BUTTON, without opening pairing mode; then IDLE."""
    status = await ctx.wait_for(
        ended(StopReason.BUTTON), 1.0, f"stop reason BUTTON after {action.name}"
    )
    ctx.check(not status.pairing_mode, f"{action.name} ending a session opened pairing mode")
    await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)


@case("REQ-BTN-01", "a press under 50 ms is ignored", actions=(Action.BOUNCE,))
async def _button_bounce(ctx: Context) -> None:
    await arm(ctx)
    never(RUNNING, await pressed(ctx, Action.BOUNCE), "a bounce started the armed session")
    status = await ctx.status()
    ctx.check(status.phase is Phase.ARMED, f"{status.phase.name} after a bounce on ARMED")
    await stop(ctx)
    await running(ctx)
    await pressed(ctx, Action.BOUNCE)
    status = await ctx.status()
    ctx.check(status.phase in RUNNING, f"{status.phase.name} after a bounce while running")


@case(
    "REQ-BTN-02",
    "a short press starts an armed session, and nothing else does",
    actions=(Action.SHORT_PRESS,),
)
async def _button_short_press_starts(ctx: Context) -> None:
    await arm(ctx)
    await ctx.send(Resume(), ResultCode.AWAITING_BUTTON)
    await ctx.run(2.0)
    status = await ctx.status()
    ctx.check(status.phase is Phase.ARMED, f"{status.phase.name} before the press")
    await ctx.act(Action.SHORT_PRESS)
    status = await ctx.wait_for(lambda s: s.phase in RUNNING, 1.0, "started by the short press")
    ctx.check(status.phase is Phase.INFLATING, f"started in {status.phase.name}, not INFLATING")


@case(
    "REQ-BTN-03",
    "a hold (2.5 s) or a long press cancels an armed session, never starts it",
    actions=(Action.HOLD, Action.LONG_PRESS),
)
async def _button_hold_cancels_armed(ctx: Context) -> None:
    for action in (Action.HOLD, Action.LONG_PRESS):
        await arm(ctx)
        statuses = await pressed(ctx, action)
        never(RUNNING, statuses, f"{action.name} started the armed session")
        await ended_by_the_button(ctx, action)


@case(
    "REQ-BTN-04",
    "any press ends a running or paused session",
    actions=(Action.SHORT_PRESS, Action.HOLD, Action.LONG_PRESS),
)
async def _button_ends_session(ctx: Context) -> None:
    for action, paused in (
        (Action.SHORT_PRESS, False),
        (Action.HOLD, True),
        (Action.LONG_PRESS, False),
    ):
        await running(ctx)
        if paused:
            await ctx.send(Pause(), ResultCode.SUCCESS)
        await pressed(ctx, action)
        await ended_by_the_button(ctx, action)


@case(
    "REQ-BTN-05",
    "idle: a short press or a hold changes nothing",
    actions=(Action.SHORT_PRESS, Action.HOLD),
)
async def _button_idle(ctx: Context) -> None:
    await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    for action in (Action.SHORT_PRESS, Action.HOLD):
        never(RUNNING | {Phase.ARMED}, await pressed(ctx, action), f"{action.name} on IDLE")
        status = await ctx.status()
        ctx.cite_status(status)
        ctx.check(
            status.phase is Phase.IDLE and not status.session_active and not status.pairing_mode,
            f"{action.name} on IDLE changed the status",
        )


@case(
    "REQ-BTN-06",
    "with a fault latched a short press clears it, a hold or a long press does not",
    actions=(Action.HOLD, Action.LONG_PRESS, Action.SHORT_PRESS),
)
async def _button_clears_fault(ctx: Context) -> None:
    await latch_link_lost(ctx)
    await ctx.wait_for(lambda s: s.phase is Phase.FAULT, 6.0, "phase FAULT")
    for action in (Action.HOLD, Action.LONG_PRESS):
        await pressed(ctx, action)
        status = await ctx.status()
        ctx.check(status.fault is FaultCode.LINK_LOST, f"{action.name} cleared the fault")
        ctx.check(not status.pairing_mode, f"{action.name} in FAULT opened pairing mode")
    await ctx.act(Action.SHORT_PRESS)
    await ctx.wait_for(
        lambda s: s.fault is FaultCode.NONE and s.phase is Phase.IDLE,
        1.0,
        "the fault cleared by a short press",
    )


# --- Sensitive zones ---------------------------------------------------------------------------

SENSITIVE_REFUSED: Final = (
    Step(Zone.NECK, 15.0, 1.5, 3.0, 0.0, 5),  # release 0 between repetitions
    Step(Zone.UNDER_EYE, 12.0, 1.5, 3.0, 2.999, 5),  # release under 3 s
    Step(Zone.NECK, 15.0, 1.0, 4.0, 3.999, 2),  # release under the hold
    Step(Zone.UNDER_EYE, 12.0, 2.001, 3.0, 3.0, 2),  # 5001 ms pressurised
    Step(Zone.NECK, 15.0, 3.0, 3.0, 4.0, 2),  # 6 s pressurised
)
SENSITIVE_AT_THE_BOUNDS: Final = (
    Step(Zone.NECK, 15.0, 2.0, 3.0, 3.0, 2),
    Step(Zone.UNDER_EYE, 12.0, 1.0, 4.0, 4.0, 2),
    Step(Zone.FOREHEAD, 20.0, 1.0, 4.0, 0.0, 2),  # other zones are not bound by this
)


@case("REQ-SENS-01", "sensitive steps: at most 5 s pressurised, release at least hold and 3 s")
async def _sensitive_start(ctx: Context) -> None:
    for step in SENSITIVE_REFUSED:
        await ctx.send(
            StartSession((breathing(), step), 600, await_button=True), ResultCode.LIMIT_EXCEEDED
        )
        status = await ctx.status()
        ctx.check(not status.session_active, f"{step} was accepted")
    for step in SENSITIVE_AT_THE_BOUNDS:
        await arm(ctx, breathing(), step)
        await stop(ctx)


@case(
    "REQ-SENS-02",
    "a sensitive zone above 5 mmHg for more than 8 s: PRESSURE_DWELL",
    inflates=True,
)
async def _sensitive_dwell(ctx: Context) -> None:
    neck = Step(Zone.NECK, 15.0, 1.5, 3.0, 3.5, 2)
    await ctx.send(StartSession((neck,), 600, await_button=False), ResultCode.SUCCESS)
    done = await ctx.wait_for(lambda s: not s.session_active, neck.duration_s + 2.0, "the end")
    ctx.check(done.fault is FaultCode.NONE, f"fault {done.fault.name} within the bounds")
    ctx.check(done.stop_reason is StopReason.COMPLETED, f"stop reason {done.stop_reason.name}")
    await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    carried = Step(Zone.FOREHEAD, 15.0, 1.5, 4.0, 0.0, 1)  # no release: into the neck step
    await ctx.send(StartSession((carried, neck), 600, await_button=False), ResultCode.SUCCESS)
    await ctx.wait_for(lambda s: s.pressure_mmhg > 5.0, 3.0, "above 5 mmHg")
    above = ctx.now()
    status = await ctx.wait_for(lambda s: s.fault is not FaultCode.NONE, 12.0, "a fault")
    dwell_s = ctx.now() - above
    ctx.cite(f"fault {dwell_s:.2f} s after the pressure rose above 5 mmHg")
    ctx.check(status.fault is FaultCode.PRESSURE_DWELL, f"fault {status.fault.name}")
    ctx.check(dwell_s <= 8.0 + 2 * LATE_S, f"PRESSURE_DWELL after {dwell_s:.2f} s")
    await ctx.wait_for(lambda s: s.pressure_mmhg < 5.0, 3.0, "below 5 mmHg")


# --- Connections -------------------------------------------------------------------------------


@case("REQ-CONN-01", "one link at a time: a second central is refused", needs_second_central=True)
async def _conn_single(ctx: Context) -> None:
    try:
        other = await ctx.target.connect(lambda _c: None)
    except BleakError as err:
        ctx.cite(f"second central refused: {err}")
    else:
        await other.disconnect()
        raise CaseFailed("a second central connected")
    await ctx.send(Heartbeat(), ResultCode.SUCCESS)


# The security cases of protocol version 2 (13.16-13.20) register themselves on import.
from . import security  # noqa: E402, F401
