"""Device-side rules the mutation run (devtools/mutants.py) found under-tested.

Each test pins a number or an edge of the safety contract in docs/protocol.md that
test_virtual_safety.py exercises only far from the edge, so a mutant that moves the edge
survived there. The mutant each test kills is named in its docstring.
"""

from __future__ import annotations

from custom_components.pressure_mask.mask_ble.codec import (
    AuthChallenge,
    Authenticate,
    Pause,
    Response,
    host_proof,
)
from custom_components.pressure_mask.mask_ble.const import (
    HARDWARE_TRIP_MMHG,
    HEARTBEAT_TIMEOUT_S,
    OVER_PRESSURE_MARGIN_MMHG,
    FaultCode,
    Phase,
    ResultCode,
    StatusFlags,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualFault, VirtualMask

from .conftest import DirectHost

# Forehead at 25 mmHg for half a minute (stored face limit: 30 mmHg).
LONG_HOLD = Step(Zone.FOREHEAD, 25.0, inflate_s=1.0, hold_s=30.0, release_s=2.0, repetitions=1)


def holding(host: DirectHost) -> None:
    """Start LONG_HOLD and run into the hold."""
    assert host.start(LONG_HOLD) is ResultCode.SUCCESS
    host.run(3.0)
    assert host.mask.phase is Phase.HOLDING


def test_hardware_trip_is_at_45_mmhg(host: DirectHost) -> None:
    """Kills dev-hardware-trip-at-45: the trip point is 45 mmHg, not somewhere above it."""
    holding(host)
    # A blind sensor keeps the firmware's own over-pressure check out of the way.
    host.mask.inject_fault(VirtualFault.STUCK_SENSOR)
    host.mask.inject_fault(
        VirtualFault.OVER_PRESSURE_SPIKE, mmhg=HARDWARE_TRIP_MMHG - 0.5 - host.mask.pressure_mmhg
    )
    host.mask.advance(0.02)
    assert host.mask.fault is FaultCode.NONE
    assert host.mask.session_active
    host.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=0.6)
    host.mask.advance(0.02)
    assert host.mask.fault is FaultCode.HARDWARE_TRIP
    assert host.mask.phase is Phase.VENTING
    assert not host.mask.session_active


def test_heartbeat_timeout_is_3_s(host: DirectHost) -> None:
    """Kills dev-heartbeat-timeout-3s: the mask vents once 3 s pass without a request."""
    holding(host)
    host.mask.advance(HEARTBEAT_TIMEOUT_S + 0.1)
    assert host.mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    assert host.mask.stop_reason is StopReason.FAULT
    assert host.mask.phase is Phase.VENTING


def test_firmware_over_pressure_margin_is_3_mmhg(host: DirectHost) -> None:
    """Kills dev-over-pressure-margin-widened: zone limit + 3 mmHg is the edge, not more."""
    holding(host)
    limit = host.mask.limits.face_max_mmhg
    host.mask.inject_fault(
        VirtualFault.OVER_PRESSURE_SPIKE,
        mmhg=limit + OVER_PRESSURE_MARGIN_MMHG - 0.3 - host.mask.pressure_mmhg,
    )
    host.mask.advance(0.02)
    assert host.mask.fault is FaultCode.NONE
    host.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=0.6)
    host.mask.advance(0.02)
    assert host.mask.fault is FaultCode.OVER_PRESSURE
    assert host.mask.phase is Phase.VENTING


def test_each_device_nonce_allows_one_attempt(mask: VirtualMask) -> None:
    """Kills dev-replay: a spent device nonce cannot be answered again, even correctly.

    Otherwise an attacker could guess repeatedly against one challenge, or replay a host's
    answer to a challenge it saw on the same link.
    """
    attacker = DirectHost(mask)
    device_nonce = attacker.send(AuthChallenge()).payload
    host_nonce = bytes(16)
    assert attacker.send(Authenticate(host_nonce, bytes(32))).result is ResultCode.NOT_AUTHENTICATED
    right_proof = host_proof(mask.key, device_nonce, host_nonce)
    assert attacker.send(Authenticate(host_nonce, right_proof)).result is ResultCode.INVALID_STATE
    assert not mask.authenticated


def test_successful_answer_cannot_be_replayed_on_the_same_link(mask: VirtualMask) -> None:
    """Kills dev-replay: a captured successful Authenticate frame is spent once used."""
    host = DirectHost(mask)
    host.authenticate()
    (captured,) = (frame for frame in mask.written_frames if frame[0] == Authenticate.OPCODE)
    mask._authenticated = False  # the host's session ends; an attacker replays on the link
    mask.write_control_point(captured)
    assert Response.decode(mask.sent_frames[-1]).result is ResultCode.INVALID_STATE
    assert not mask.authenticated


def test_a_paused_session_keeps_the_valve_open(host: DirectHost) -> None:
    """Kills dev-pause-releases: while paused the valve stays open and the pump off."""
    holding(host)
    assert host.send(Pause()).result is ResultCode.SUCCESS
    for _ in range(10):
        host.run(1.0)
        status = host.mask.status()
        assert status.phase is Phase.PAUSED
        assert StatusFlags.VALVE_OPEN in status.flags
        assert StatusFlags.PUMP_ON not in status.flags
    assert host.mask.pressure_mmhg < 1.0
