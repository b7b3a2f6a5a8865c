"""Device-side rules the mutation run (devtools/mutants.py) found under-tested.

Each test pins a number or an edge of the safety contract in docs/protocol.md that
test_virtual_safety.py exercises only far from the edge, so a mutant that moves the edge
survived there. The mutant each test kills is named in its docstring.
"""

from __future__ import annotations

import pytest

from custom_components.pressure_mask.mask_ble.codec import AuthFinish, Pause
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


def test_a_wrong_host_proof_does_not_authenticate(mask: VirtualMask) -> None:
    """Kills dev-wrong-key: AUTH_FINISH with a proof not made with the slot key fails."""
    attacker = DirectHost(mask, key=bytes(32))
    with pytest.raises(AssertionError):
        attacker.authenticate()  # the device proof does not check out with the wrong key
    assert attacker.send(AuthFinish(bytes(16))).result is ResultCode.NOT_AUTHENTICATED
    assert not mask.authenticated


def test_a_replayed_sealed_frame_is_dropped(mask: VirtualMask) -> None:
    """Kills dev-replay: a sealed frame seen once is never executed again on the link."""
    host = DirectHost(mask)
    host.authenticate()
    assert host.send(Pause()).result is ResultCode.INVALID_STATE
    captured = mask.written_frames[-1]
    received = len(mask.received)
    assert host.write(captured) is None
    assert len(mask.received) == received


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
