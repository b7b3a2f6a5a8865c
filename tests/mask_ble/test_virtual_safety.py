"""Device-side safety contract: one test per rule, each failing if the rule is removed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.pressure_mask.mask_ble.codec import (
    ClearFault,
    DeviceLimits,
    Heartbeat,
    Pause,
    Resume,
    SetLimits,
    SlotState,
    StartSession,
    Stop,
    Vent,
)
from custom_components.pressure_mask.mask_ble.const import (
    ARM_TIMEOUT_S,
    HEARTBEAT_TIMEOUT_S,
    PAUSE_TIMEOUT_S,
    VENT_DEADLINE_S,
    VENT_SAFE_MMHG,
    FaultCode,
    Phase,
    ResultCode,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualFault, VirtualMask

from .conftest import DirectHost

if TYPE_CHECKING:
    from collections.abc import Callable

# A step that keeps the forehead at 25 mmHg for half a minute.
LONG_HOLD = Step(Zone.FOREHEAD, 25.0, inflate_s=1.0, hold_s=30.0, release_s=2.0, repetitions=1)
SHORT = Step(Zone.FOREHEAD, 25.0, inflate_s=1.0, hold_s=2.0, release_s=2.0, repetitions=2)


def holding(host: DirectHost) -> None:
    """Start LONG_HOLD and run into the hold."""
    assert host.start(LONG_HOLD) is ResultCode.SUCCESS
    host.run(3.0)
    assert host.mask.phase is Phase.HOLDING
    assert host.mask.pressure_mmhg > 20


def vented_within(mask: VirtualMask, seconds: float) -> bool:
    """Advance up to `seconds` and report whether the true pressure fell below VENT_SAFE_MMHG."""
    elapsed = 0.0
    while elapsed < seconds:
        mask.advance(0.02)
        elapsed += 0.02
        if mask.pressure_mmhg < VENT_SAFE_MMHG:
            return True
    return False


# --- Rejects, never clamps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "pressure"), [(Zone.FOREHEAD, 30.1), (Zone.UNDER_EYE, 15.1), (Zone.NECK, 20.1)]
)
def test_target_above_stored_limit_is_rejected_not_clamped(
    host: DirectHost, zone: Zone, pressure: float
) -> None:
    assert host.start(Step(zone, pressure, 1.0, 2.0, 2.0, 1)) is ResultCode.LIMIT_EXCEEDED
    host.run(3.0)
    assert host.mask.phase is Phase.IDLE
    assert host.mask.pressure_mmhg == 0.0


def test_target_at_stored_limit_is_accepted(host: DirectHost) -> None:
    assert host.start(Step(Zone.UNDER_EYE, 15.0, 1.0, 2.0, 3.0, 1)) is ResultCode.SUCCESS


def test_duration_above_stored_limit_is_rejected(host: DirectHost) -> None:
    assert host.start(SHORT, max_duration_s=601) is ResultCode.LIMIT_EXCEEDED
    assert not host.mask.session_active


def test_routine_longer_than_its_max_duration_is_rejected(host: DirectHost) -> None:
    assert host.start(SHORT, max_duration_s=9) is ResultCode.LIMIT_EXCEEDED
    assert host.start(SHORT, max_duration_s=10) is ResultCode.SUCCESS


def test_zero_max_duration_is_invalid(host: DirectHost) -> None:
    assert host.start(SHORT, max_duration_s=0) is ResultCode.INVALID_PARAMETER


# --- Absolute ceilings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "limits",
    [
        DeviceLimits(40.1, 15.0, 20.0, 600),
        DeviceLimits(30.0, 20.1, 20.0, 600),
        DeviceLimits(30.0, 15.0, 25.1, 600),
        DeviceLimits(30.0, 15.0, 20.0, 1201),
    ],
)
def test_limits_above_ceilings_are_rejected(host: DirectHost, limits: DeviceLimits) -> None:
    before = host.mask.limits
    assert host.send(SetLimits(limits)).result is ResultCode.LIMIT_EXCEEDED
    assert host.mask.limits == before


def test_limits_up_to_ceilings_are_stored(host: DirectHost) -> None:
    ceilings = DeviceLimits(40.0, 20.0, 25.0, 1200, 60, require_button=False)
    # Looser limits take effect only after a press of the mask's own button.
    assert host.send(SetLimits(ceilings)).result is ResultCode.AWAITING_BUTTON
    assert host.mask.limits != ceilings
    host.mask.press_button()
    assert host.mask.limits == ceilings
    assert (
        host.start(Step(Zone.NECK, 25.0, 1.0, 2.0, 3.0, 1), max_duration_s=1200)
        is ResultCode.SUCCESS
    )


def test_limits_need_a_positive_session_length(host: DirectHost) -> None:
    assert (
        host.send(SetLimits(DeviceLimits(30.0, 15.0, 20.0, 0))).result
        is ResultCode.INVALID_PARAMETER
    )


def test_ceiling_holds_even_if_stored_limits_are_corrupt(host: DirectHost) -> None:
    # Stored limits beyond the ceiling (corrupted storage) must not open the ceiling.
    host.mask.limits = DeviceLimits(100.0, 100.0, 100.0, 5000, require_button=False)
    assert host.start(Step(Zone.FOREHEAD, 41.0, 1.0, 2.0, 2.0, 1)) is ResultCode.LIMIT_EXCEEDED
    assert host.start(SHORT, max_duration_s=1201) is ResultCode.LIMIT_EXCEEDED


def test_firmware_over_pressure_check_vents(host: DirectHost) -> None:
    holding(host)
    host.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=10.0)
    assert vented_within(host.mask, VENT_DEADLINE_S)
    assert host.mask.fault is FaultCode.OVER_PRESSURE
    assert host.mask.stop_reason is StopReason.FAULT


def test_hardware_trip_vents_even_when_the_sensor_is_blind(host: DirectHost) -> None:
    holding(host)
    host.mask.inject_fault(VirtualFault.STUCK_SENSOR)
    host.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=25.0)
    assert vented_within(host.mask, VENT_DEADLINE_S)
    assert host.mask.fault is FaultCode.HARDWARE_TRIP


def test_hardware_trip_while_idle(mask: VirtualMask) -> None:
    mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=50.0)
    mask.advance(0.02)
    assert mask.fault is FaultCode.HARDWARE_TRIP


# --- Link and heartbeat -------------------------------------------------------------------------


def test_missing_heartbeats_vent_within_deadline(host: DirectHost) -> None:
    holding(host)
    host.mask.advance(HEARTBEAT_TIMEOUT_S - 0.1)
    assert host.mask.phase is Phase.HOLDING
    assert vented_within(host.mask, 0.1 + VENT_DEADLINE_S)
    assert host.mask.fault is FaultCode.HEARTBEAT_TIMEOUT


def test_any_authenticated_request_counts_as_a_heartbeat(host: DirectHost) -> None:
    holding(host)
    for _ in range(5):
        host.mask.advance(2.0)
        host.send(Heartbeat())
    assert host.mask.phase is Phase.HOLDING


def test_armed_session_without_heartbeats_is_cancelled(host: DirectHost) -> None:
    assert host.start(SHORT, await_button=True) is ResultCode.SUCCESS
    host.mask.advance(HEARTBEAT_TIMEOUT_S + 0.1)
    assert not host.mask.session_active
    assert host.mask.fault is FaultCode.HEARTBEAT_TIMEOUT


# --- Session length, pause, arm -----------------------------------------------------------------


def test_session_deadline_is_enforced(host: DirectHost) -> None:
    assert host.start(SHORT, max_duration_s=15) is ResultCode.SUCCESS
    host.run(2.0)
    assert host.send(Pause()).result is ResultCode.SUCCESS
    host.run(8.0)
    assert host.send(Resume()).result is ResultCode.SUCCESS
    host.run(4.9)
    assert host.mask.session_active
    host.run(0.2)
    assert not host.mask.session_active
    assert host.mask.stop_reason is StopReason.DEADLINE


def test_pause_releases_and_expires(host: DirectHost) -> None:
    holding(host)
    assert host.send(Pause()).result is ResultCode.SUCCESS
    assert host.mask.phase is Phase.PAUSED
    assert vented_within(host.mask, VENT_DEADLINE_S)
    host.run(PAUSE_TIMEOUT_S)
    assert not host.mask.session_active
    assert host.mask.stop_reason is StopReason.PAUSE_EXPIRED


def test_resume_restarts_the_repetition(host: DirectHost) -> None:
    holding(host)
    host.send(Pause())
    host.run(1.0)
    assert host.send(Resume()).result is ResultCode.SUCCESS
    assert host.mask.phase is Phase.INFLATING


def test_pause_and_resume_need_the_right_state(host: DirectHost) -> None:
    assert host.send(Pause()).result is ResultCode.INVALID_STATE
    assert host.send(Resume()).result is ResultCode.INVALID_STATE
    host.start(SHORT)
    assert host.send(Resume()).result is ResultCode.INVALID_STATE
    host.send(Pause())
    assert host.send(Pause()).result is ResultCode.INVALID_STATE


def test_armed_session_waits_for_the_button(host: DirectHost) -> None:
    assert host.start(SHORT, await_button=True) is ResultCode.SUCCESS
    host.run(5.0)
    assert host.mask.phase is Phase.ARMED
    assert host.mask.pressure_mmhg == 0.0
    assert host.send(Pause()).result is ResultCode.AWAITING_BUTTON
    assert host.send(Resume()).result is ResultCode.AWAITING_BUTTON
    host.mask.press_button()
    host.run(1.5)
    assert host.mask.phase is Phase.HOLDING


def test_armed_session_expires(host: DirectHost) -> None:
    host.start(SHORT, await_button=True)
    host.run(ARM_TIMEOUT_S)
    assert not host.mask.session_active
    assert host.mask.stop_reason is StopReason.ARM_EXPIRED


def test_long_press_cancels_an_armed_session(host: DirectHost) -> None:
    host.start(SHORT, await_button=True)
    host.mask.press_button(hold_s=3.0)
    assert not host.mask.session_active
    assert host.mask.stop_reason is StopReason.BUTTON


def test_routine_completes(host: DirectHost) -> None:
    host.start(SHORT)
    host.run(SHORT.duration_s + 0.1)
    assert host.mask.stop_reason is StopReason.COMPLETED
    assert host.mask.status().cycles_completed == 2
    host.run(2.0)
    assert host.mask.phase is Phase.IDLE


def test_breathing_step_never_pressurises(host: DirectHost) -> None:
    host.start(Step(Zone.NONE, 0.0, 2.0, 1.0, 2.0, 2))
    peak = 0.0
    for _ in range(50):
        host.run(0.2)
        peak = max(peak, host.mask.pressure_mmhg)
    assert peak == 0.0
    assert host.mask.stop_reason is StopReason.COMPLETED


# --- Stop always wins ---------------------------------------------------------------------------


def test_button_stops_a_running_session(host: DirectHost) -> None:
    holding(host)
    host.mask.press_button()
    assert host.mask.stop_reason is StopReason.BUTTON
    assert vented_within(host.mask, VENT_DEADLINE_S)


def test_button_stops_even_when_firmware_ignores_host_stop(host: DirectHost) -> None:
    holding(host)
    host.mask.inject_fault(VirtualFault.IGNORE_STOP)
    assert host.send(Stop()).result is ResultCode.SUCCESS
    assert host.mask.session_active
    host.mask.press_button()
    assert not host.mask.session_active


@pytest.mark.parametrize(
    ("command", "reason"), [(Stop(), StopReason.HOST_STOP), (Vent(), StopReason.HOST_VENT)]
)
def test_stop_and_vent_work_without_authentication(
    host: DirectHost, command: Stop | Vent, reason: StopReason
) -> None:
    holding(host)
    stranger = DirectHost(host.mask)
    host.mask._authenticated = False  # the host lost its authentication, a stranger talks
    assert stranger.send(command).result is ResultCode.SUCCESS
    assert host.mask.stop_reason is reason
    assert vented_within(host.mask, VENT_DEADLINE_S)


def test_vent_without_session_opens_the_valve(mask: VirtualMask) -> None:
    assert DirectHost(mask).send(Vent()).result is ResultCode.SUCCESS
    assert mask.phase is Phase.VENTING
    mask.advance(0.1)
    assert mask.phase is Phase.IDLE


@pytest.mark.parametrize(
    "command",
    [
        StartSession((SHORT,), 600, await_button=False),
        Pause(),
        Resume(),
        Heartbeat(),
        ClearFault(),
        SetLimits(DeviceLimits(30.0, 15.0, 20.0, 600)),
    ],
)
def test_control_before_authentication_is_refused(mask: VirtualMask, command: object) -> None:
    response = DirectHost(mask).send(command)  # type: ignore[arg-type]
    assert response.result is ResultCode.NOT_AUTHENTICATED
    assert not mask.session_active


# --- Faults -------------------------------------------------------------------------------------


def test_slow_leak_is_detected(host: DirectHost) -> None:
    holding(host)
    host.mask.inject_fault(VirtualFault.SLOW_LEAK, rate_mmhg_s=2.0)
    host.run(3.0)
    assert host.mask.fault is FaultCode.LEAK


def test_leak_that_prevents_inflation_is_detected(host: DirectHost) -> None:
    host.mask.inject_fault(VirtualFault.SLOW_LEAK, rate_mmhg_s=25.0)
    host.start(LONG_HOLD)
    host.run(4.0)
    assert host.mask.fault is FaultCode.LEAK


def test_stuck_sensor_is_detected(host: DirectHost) -> None:
    host.start(LONG_HOLD)
    host.mask.inject_fault(VirtualFault.STUCK_SENSOR)
    host.run(2.0)
    assert host.mask.fault is FaultCode.SENSOR_STUCK
    assert host.send(ClearFault()).result is ResultCode.FAULT_ACTIVE
    host.mask.clear_faults()
    host.run(1.0)
    assert host.send(ClearFault()).result is ResultCode.SUCCESS


def test_pressure_dwell_limit(host: DirectHost) -> None:
    # Two 36 s repetitions without a release: 72 s above 5 mmHg (a single 65 s hold is refused
    # at START, REQ-START-12).
    assert host.start(Step(Zone.FOREHEAD, 25.0, 1.0, 35.0, 0.0, 2), max_duration_s=120) is (
        ResultCode.SUCCESS
    )
    host.run(59.5)
    assert host.mask.session_active
    host.run(2.0)
    assert host.mask.fault is FaultCode.PRESSURE_DWELL


def test_latched_fault_blocks_start_until_cleared(host: DirectHost) -> None:
    holding(host)
    host.mask.advance(HEARTBEAT_TIMEOUT_S + 0.1)
    assert host.send(ClearFault()).result is ResultCode.BUSY  # still venting
    host.mask.advance(2.0)
    assert host.mask.phase is Phase.FAULT
    assert host.start(SHORT) is ResultCode.FAULT_ACTIVE
    assert host.send(ClearFault()).result is ResultCode.SUCCESS
    assert host.send(ClearFault()).result is ResultCode.SUCCESS
    assert host.start(SHORT) is ResultCode.SUCCESS


def test_button_clears_a_fault_whose_cause_has_gone(host: DirectHost) -> None:
    holding(host)
    host.mask.advance(HEARTBEAT_TIMEOUT_S + 3.0)
    host.mask.press_button()
    assert host.mask.fault is FaultCode.NONE
    assert host.mask.phase is Phase.IDLE


def test_low_battery_refuses_start(host: DirectHost) -> None:
    host.mask.inject_fault(VirtualFault.LOW_BATTERY)
    assert host.start(SHORT) is ResultCode.LOW_BATTERY
    host.mask.clear_faults()
    assert host.mask.battery_percent == 100
    assert host.start(SHORT) is ResultCode.SUCCESS


def test_critical_battery_ends_the_session(host: DirectHost) -> None:
    holding(host)
    host.mask.inject_fault(VirtualFault.LOW_BATTERY, percent=3)
    assert vented_within(host.mask, VENT_DEADLINE_S)
    assert host.mask.fault is FaultCode.LOW_BATTERY
    host.mask.advance(3.0)
    assert host.send(ClearFault()).result is ResultCode.FAULT_ACTIVE


def test_cooldown_between_sessions(host: DirectHost) -> None:
    limits = DeviceLimits(30.0, 15.0, 20.0, 600, cooldown_s=60, require_button=False)
    assert host.send(SetLimits(limits)).result is ResultCode.SUCCESS
    host.start(SHORT)
    host.run(SHORT.duration_s + 2.0)
    assert host.start(SHORT) is ResultCode.COOLDOWN
    host.run(60.0)
    assert host.start(SHORT) is ResultCode.SUCCESS


@pytest.mark.parametrize(
    "make_busy",
    [
        lambda host: host.start(SHORT),
        lambda host: host.start(SHORT, await_button=True),
    ],
)
def test_busy_while_a_session_exists(
    host: DirectHost, make_busy: Callable[[DirectHost], object]
) -> None:
    make_busy(host)
    assert host.start(SHORT) is ResultCode.BUSY
    assert host.send(SetLimits(DeviceLimits(30.0, 15.0, 20.0, 600))).result is ResultCode.BUSY


def test_start_while_venting_is_busy(host: DirectHost) -> None:
    holding(host)
    host.send(Stop())
    assert host.start(SHORT) is ResultCode.BUSY


def test_factory_reset(host: DirectHost) -> None:
    holding(host)
    identity = host.mask.identity_public
    host.mask.factory_reset()
    assert all(slot.state is SlotState.EMPTY for slot in host.mask.slots())
    assert host.mask.identity_public == identity  # the label stays true
    assert not host.mask.session_active
    assert not host.mask.authenticated
