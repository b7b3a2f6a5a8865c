"""Device-side defect classes of issue 10, through the protocol (docs/protocol.md section 9).

Each test drives the virtual mask's control point and its button as a host and a wearer would,
and fails when the mask's rule is removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.pressure_mask.mask_ble.codec import Response, encode_frame
from custom_components.pressure_mask.mask_ble.const import (
    BUTTON_DEBOUNCE_MS,
    BUTTON_LONG_PRESS_MS,
    BUTTON_SHORT_PRESS_MAX_MS,
    HEARTBEAT_TIMEOUT_S,
    MAX_CONTINUOUS_PRESSURE_S,
    SENSITIVE_MAX_CONTINUOUS_S,
    VENT_DEADLINE_S,
    VENT_SAFE_MMHG,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VENT_MAX_S

if TYPE_CHECKING:
    from devtools.virtual_mask import VirtualMask

    from .conftest import DirectHost

NECK = Step(Zone.NECK, 15.0, inflate_s=1.5, hold_s=3.0, release_s=3.5, repetitions=3)
LONG_FACE = Step(Zone.CHEEKS, 25.0, inflate_s=1.0, hold_s=20.0, release_s=2.0, repetitions=2)


# --- 6. Continuous pressure on sensitive zones -----------------------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        Step(Zone.NECK, 15.0, 1.5, 3.0, 0.0, 5),  # release 0 between repetitions
        Step(Zone.UNDER_EYE, 12.0, 1.5, 3.0, 2.9, 5),  # release shorter than 3 s and the hold
        Step(Zone.NECK, 15.0, 1.0, 2.0, 2.0, 5),  # release shorter than the vent deadline
        Step(Zone.NECK, 15.0, 1.0, 4.0, 3.5, 5),  # over 3 s, but shorter than the 4 s hold
        Step(Zone.NECK, 15.0, 3.0, 3.0, 4.0, 5),  # 6 s pressurised per repetition
        Step(Zone.UNDER_EYE, 12.0, 2.001, 3.0, 3.0, 5),  # 5001 ms pressurised
    ],
    ids=[
        "release-0",
        "release-under-3s-and-hold",
        "release-under-3s",
        "release-under-hold",
        "pressurised-6s",
        "pressurised-5001ms",
    ],
)
def test_a_sensitive_step_that_holds_pressure_is_refused(host: DirectHost, step: Step) -> None:
    """The mask refuses such a start itself, whatever the host checked."""
    assert host.start(step) is ResultCode.LIMIT_EXCEEDED
    assert not host.mask.session_active


@pytest.mark.parametrize(
    "step",
    [
        Step(Zone.NECK, 15.0, 2.0, 3.0, 3.0, 2),  # 5 s pressurised, release 3 s
        Step(Zone.UNDER_EYE, 12.0, 1.0, 4.0, 4.0, 2),  # release exactly the hold
    ],
    ids=["5s-release-3s", "release-equals-hold"],
)
def test_a_sensitive_step_at_the_bounds_is_accepted(host: DirectHost, step: Step) -> None:
    assert host.start(step, await_button=True) is ResultCode.SUCCESS


def test_the_built_in_sensitive_step_shape_is_accepted(host: DirectHost) -> None:
    """1.5 s inflate, 3 s hold, 3.5 s release: the shape every built-in routine uses."""
    assert host.start(NECK) is ResultCode.SUCCESS
    host.run(NECK.duration_s + 1)
    assert host.mask.fault is FaultCode.NONE


def test_pressure_carried_into_a_sensitive_zone_is_vented(host: DirectHost) -> None:
    """A face step without release hands its pressure to the neck: vented at the bound."""
    face = Step(Zone.FOREHEAD, 15.0, inflate_s=1.5, hold_s=4.0, release_s=0.0, repetitions=1)
    assert host.start(face, NECK) is ResultCode.SUCCESS
    above_since: float | None = None
    while host.mask.fault is FaultCode.NONE and host.mask.now < 30:
        host.run(0.1)
        if host.mask.pressure_mmhg > VENT_SAFE_MMHG and above_since is None:
            above_since = host.mask.now
    assert host.mask.fault is FaultCode.PRESSURE_DWELL
    assert above_since is not None
    assert host.mask.now - above_since <= SENSITIVE_MAX_CONTINUOUS_S + 0.2
    assert SENSITIVE_MAX_CONTINUOUS_S < MAX_CONTINUOUS_PRESSURE_S


def test_face_pressure_carried_into_a_face_step_is_not_a_sensitive_dwell(
    host: DirectHost,
) -> None:
    """The sensitive bound is for the under-eye and neck only."""
    face = Step(Zone.FOREHEAD, 15.0, inflate_s=1.5, hold_s=4.0, release_s=0.0, repetitions=1)
    cheeks = Step(Zone.CHEEKS, 15.0, inflate_s=1.5, hold_s=4.0, release_s=4.5, repetitions=1)
    assert host.start(face, cheeks) is ResultCode.SUCCESS
    host.run(face.duration_s + cheeks.duration_s + 1)
    assert host.mask.fault is FaultCode.NONE


# --- 3. Stop always wins, whatever its payload -----------------------------------------------------


@pytest.mark.parametrize("opcode", [Opcode.STOP, Opcode.VENT])
@pytest.mark.parametrize("payload", [b"\x00", b"\x01\x02\x03", bytes(40)])
def test_a_stop_or_vent_with_a_stray_payload_still_stops(
    host: DirectHost, opcode: Opcode, payload: bytes
) -> None:
    """Any STOP or VENT frame that passes framing ends the session and vents."""
    assert host.start(LONG_FACE) is ResultCode.SUCCESS
    host.run(3.0)
    assert host.mask.pressure_mmhg > VENT_SAFE_MMHG
    host.mask.write_control_point(encode_frame(opcode, 0x10, payload))
    response = Response.decode(host.mask.sent_frames[-1])
    assert (response.opcode, response.seq, response.result) == (opcode, 0x10, ResultCode.SUCCESS)
    assert not host.mask.session_active
    expected = StopReason.HOST_STOP if opcode is Opcode.STOP else StopReason.HOST_VENT
    assert host.mask.stop_reason is expected
    host.mask.advance(VENT_DEADLINE_S)
    assert host.mask.pressure_mmhg < VENT_SAFE_MMHG


def test_the_spec_example_of_a_stray_payload_stop_is_what_the_mask_answers(
    mask: VirtualMask,
) -> None:
    """docs/protocol.md's example: STOP with a stray byte is answered SUCCESS (from anyone)."""
    mask.write_control_point(bytes.fromhex("111001008199"))
    assert mask.sent_frames[-1] == Response(Opcode.STOP, 0x10, ResultCode.SUCCESS).encode()


# --- 4. The button, in milliseconds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("hold_ms", "runs"),
    [
        (BUTTON_DEBOUNCE_MS, True),
        (200, True),
        (BUTTON_SHORT_PRESS_MAX_MS, True),
        (BUTTON_SHORT_PRESS_MAX_MS + 1, False),
        (2500, False),
        (BUTTON_LONG_PRESS_MS, False),
        (5000, False),
    ],
)
def test_only_a_clean_short_press_starts_an_armed_session(
    host: DirectHost, hold_ms: int, runs: bool
) -> None:
    """A press longer than a clean short press cancels the armed session, never starts it."""
    assert host.start(LONG_FACE, await_button=True) is ResultCode.SUCCESS
    host.mask.press_button(hold_s=hold_ms / 1000)
    host.run(2.0)
    if runs:
        assert host.mask.session_active
        assert host.mask.phase is not Phase.ARMED
    else:
        assert not host.mask.session_active
        assert host.mask.stop_reason is StopReason.BUTTON
        assert host.mask.pressure_mmhg < VENT_SAFE_MMHG


def test_contact_bounce_neither_starts_nor_cancels(host: DirectHost) -> None:
    assert host.start(LONG_FACE, await_button=True) is ResultCode.SUCCESS
    host.mask.press_button(hold_s=(BUTTON_DEBOUNCE_MS - 1) / 1000)
    host.run(1.0)
    assert host.mask.phase is Phase.ARMED


@pytest.mark.parametrize("hold_ms", [BUTTON_DEBOUNCE_MS, 200, 2500, BUTTON_LONG_PRESS_MS])
def test_any_press_stops_a_running_session(host: DirectHost, hold_ms: int) -> None:
    assert host.start(LONG_FACE) is ResultCode.SUCCESS
    host.run(2.0)
    host.mask.press_button(hold_s=hold_ms / 1000)
    assert not host.mask.session_active
    assert host.mask.stop_reason is StopReason.BUTTON


def latch_heartbeat_timeout(host: DirectHost) -> None:
    """An armed session nobody heartbeats: fault HEARTBEAT_TIMEOUT latched, its cause gone."""
    assert host.start(LONG_FACE, await_button=True) is ResultCode.SUCCESS
    host.mask.advance(HEARTBEAT_TIMEOUT_S + VENT_MAX_S + 1)
    assert host.mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    assert host.mask.phase is Phase.FAULT


@pytest.mark.parametrize("hold_ms", [BUTTON_SHORT_PRESS_MAX_MS + 1, 2500, BUTTON_LONG_PRESS_MS])
def test_only_a_short_press_clears_a_fault(host: DirectHost, hold_ms: int) -> None:
    latch_heartbeat_timeout(host)
    host.mask.press_button(hold_s=hold_ms / 1000)
    assert host.mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    assert not host.mask.pairing_mode
    host.mask.press_button(hold_s=0.2)
    assert host.mask.fault is FaultCode.NONE
    assert host.mask.phase is Phase.IDLE


@pytest.mark.parametrize(
    ("hold_ms", "pairing"),
    [
        (BUTTON_DEBOUNCE_MS, False),
        (BUTTON_SHORT_PRESS_MAX_MS, False),
        (2500, False),
        (BUTTON_LONG_PRESS_MS - 1, False),
        (BUTTON_LONG_PRESS_MS, True),
    ],
)
def test_idle_only_a_long_press_opens_pairing_mode(
    host: DirectHost, hold_ms: int, pairing: bool
) -> None:
    host.mask.press_button(hold_s=hold_ms / 1000)
    assert host.mask.pairing_mode is pairing
    assert host.mask.phase is Phase.IDLE
    assert not host.mask.session_active


def test_a_long_press_that_ends_a_session_does_not_open_pairing_mode(host: DirectHost) -> None:
    assert host.start(LONG_FACE) is ResultCode.SUCCESS
    host.run(2.0)
    host.mask.press_button(hold_s=BUTTON_LONG_PRESS_MS / 1000)
    assert not host.mask.session_active
    assert not host.mask.pairing_mode
