"""What a person reads: the mask's one status, and whether a start would be accepted now.

Both are computed from the coordinator's state each time it changes; the readiness asks the
safety policy (safety.check_start_conditions), so it says exactly what a start would be told.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .mask_ble.const import Phase, Zone
from .safety import RefusalRule, zone_limit_mmhg

if TYPE_CHECKING:
    from .coordinator import PressureMaskCoordinator
    from .mask_ble.codec import Status


class MaskStatus(StrEnum):
    """The status entity's states, most important first."""

    READY = "ready"
    ARMED = "armed"
    BREATHING = "breathing"
    RUNNING = "running"
    PAUSED = "paused"
    VENTING = "venting"
    COOLING_DOWN = "cooling_down"
    DAILY_LIMIT_REACHED = "daily_limit_reached"
    NEEDS_ACKNOWLEDGEMENT = "needs_acknowledgement"
    FAULT = "fault"
    OUT_OF_RANGE = "out_of_range"


class SessionEnd(StrEnum):
    """What ends the session: its routine, or the session duration the person chose."""

    ROUTINE = "routine"
    SESSION_DURATION = "session_duration"


class StartReadiness(StrEnum):
    """Whether a start would be accepted now and, if not, why."""

    READY = "ready"
    SESSION_ACTIVE = "session_active"
    NEEDS_ACKNOWLEDGEMENT = "needs_acknowledgement"
    COOLING_DOWN = "cooling_down"
    DAILY_LIMIT_REACHED = "daily_limit_reached"
    FAULT = "fault"
    LOW_BATTERY = "low_battery"
    OUT_OF_RANGE = "out_of_range"


_READINESS_OF_RULE: dict[RefusalRule, StartReadiness] = {
    RefusalRule.ACKNOWLEDGEMENT_REQUIRED: StartReadiness.NEEDS_ACKNOWLEDGEMENT,
    RefusalRule.ACKNOWLEDGEMENT_EXPIRED: StartReadiness.NEEDS_ACKNOWLEDGEMENT,
    RefusalRule.FAULT_ACTIVE: StartReadiness.FAULT,
    RefusalRule.SESSION_ALREADY_RUNNING: StartReadiness.SESSION_ACTIVE,
    RefusalRule.COOLDOWN_ACTIVE: StartReadiness.COOLING_DOWN,
    RefusalRule.DAILY_CAP_REACHED: StartReadiness.DAILY_LIMIT_REACHED,
}

# A start refused for these reasons leaves the mask as it is: the status says the same.
_STATUS_OF_READINESS: dict[StartReadiness, MaskStatus] = {
    StartReadiness.NEEDS_ACKNOWLEDGEMENT: MaskStatus.NEEDS_ACKNOWLEDGEMENT,
    StartReadiness.COOLING_DOWN: MaskStatus.COOLING_DOWN,
    StartReadiness.DAILY_LIMIT_REACHED: MaskStatus.DAILY_LIMIT_REACHED,
}

_SESSION_STATUS_OF_PHASE: dict[Phase, MaskStatus] = {
    Phase.ARMED: MaskStatus.ARMED,
    Phase.PAUSED: MaskStatus.PAUSED,
    Phase.VENTING: MaskStatus.VENTING,
}

_RUNNING_PHASES = frozenset({Phase.INFLATING, Phase.HOLDING, Phase.RELEASING})


def start_readiness(coordinator: PressureMaskCoordinator) -> StartReadiness:
    """The policy's answer first, then what the mask itself would refuse."""
    refusal = coordinator.start_conditions()
    if refusal is not None and refusal.rule is not None:
        return _READINESS_OF_RULE.get(refusal.rule, StartReadiness.FAULT)
    if not coordinator.available:
        return StartReadiness.OUT_OF_RANGE
    if coordinator.low_battery:
        return StartReadiness.LOW_BATTERY
    return StartReadiness.READY


def readiness_attributes(coordinator: PressureMaskCoordinator) -> dict[str, Any]:
    """`until`: when a cooling-down mask may start again."""
    if start_readiness(coordinator) is StartReadiness.COOLING_DOWN and (
        until := coordinator.cooldown_ends
    ):
        return {"until": until.isoformat()}
    return {}


def mask_status(coordinator: PressureMaskCoordinator) -> MaskStatus:
    """A fault, then reach, then the session, then why no session may start."""
    if coordinator.fault is not None:
        return MaskStatus.FAULT
    if not coordinator.available:
        return MaskStatus.OUT_OF_RANGE
    status = coordinator.status if coordinator.connected else None
    if coordinator.session_active:
        return _session_status(status)
    if status is not None and status.phase is Phase.VENTING:
        return MaskStatus.VENTING
    return _STATUS_OF_READINESS.get(start_readiness(coordinator), MaskStatus.READY)


def _session_status(status: Status | None) -> MaskStatus:
    if status is None:
        # Known only from the advertisement (a session this host is stopping).
        return MaskStatus.RUNNING
    if (state := _SESSION_STATUS_OF_PHASE.get(status.phase)) is not None:
        return state
    if status.zone is Zone.NONE and status.phase in _RUNNING_PHASES:
        return MaskStatus.BREATHING
    return MaskStatus.RUNNING


def status_attributes(coordinator: PressureMaskCoordinator) -> dict[str, Any]:
    """Where the session is (1-based), or the fault's reading; only what the state needs."""
    state = mask_status(coordinator)
    if state is MaskStatus.ARMED and (armed_until := coordinator.armed_until) is not None:
        return {"armed_until": armed_until.isoformat()}
    if state is MaskStatus.FAULT and (reading := coordinator.fault_reading) is not None:
        zone, pressure_mmhg = reading
        return {"fault_zone": zone.name.lower(), "fault_pressure_mmhg": pressure_mmhg}
    if state in (MaskStatus.BREATHING, MaskStatus.RUNNING, MaskStatus.PAUSED):
        return _position(coordinator, breathing=state is MaskStatus.BREATHING)
    return {}


def _position(coordinator: PressureMaskCoordinator, *, breathing: bool) -> dict[str, Any]:
    status, plan = coordinator.status, coordinator.session_plan
    if status is None or plan is None or not 0 <= status.step < len(plan.steps):
        return {}
    step = plan.steps[status.step]
    if breathing:
        return {
            "breath": status.repetition,
            "breaths": step.repetitions,
            "breathing_phase": "out" if status.phase is Phase.RELEASING else "in",
        }
    return {
        "step": status.step + 1,
        "steps": len(plan.steps),
        "repetition": status.repetition,
        "repetitions": step.repetitions,
    }


def session_time_attributes(coordinator: PressureMaskCoordinator) -> dict[str, Any]:
    """The session's planned length against the duration the person chose, and which ends it.

    The chosen duration is the deadline the mask received; the routine runs its steps and
    repetitions, which may take less (5 min 54 s of a 10-minute session). The mask's remaining
    time is the smaller of the two, so the one it equals ends the session (the deadline, once a
    pause has used up the difference).
    """
    plan = coordinator.session_plan
    if plan is None:
        return {}
    status = coordinator.status
    if status is not None and status.session_active:
        deadline_left_s = plan.max_duration_s - status.elapsed_s
        by_deadline = status.remaining_s >= deadline_left_s
    else:
        by_deadline = plan.planned_s == plan.max_duration_s
    return {
        "planned_duration_s": plan.planned_s,
        "chosen_duration_s": plan.max_duration_s,
        "ends_with": SessionEnd.SESSION_DURATION if by_deadline else SessionEnd.ROUTINE,
    }


def current_zone_limit_mmhg(coordinator: PressureMaskCoordinator) -> float:
    """The configured limit of the zone the mask presses now (the face limit otherwise)."""
    status = coordinator.status
    if status is None or not coordinator.connected or status.zone is Zone.NONE:
        return coordinator.limits.face_max_mmhg
    return zone_limit_mmhg(coordinator.limits, status.zone)


def zone_limit_attributes(coordinator: PressureMaskCoordinator) -> dict[str, Any]:
    """Every zone group's configured limit."""
    limits = coordinator.limits
    return {
        "face_limit": limits.face_max_mmhg,
        "under_eye_limit": limits.under_eye_max_mmhg,
        "neck_limit": limits.neck_max_mmhg,
    }
