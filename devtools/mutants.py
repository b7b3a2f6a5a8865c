"""Mutation runner for the safety rules: each rule's tests must fail when the rule is broken.

The team rule is "every safety rule has a test that would fail if the rule broke". This proves
it: every entry of `MUTANTS` breaks one rule in a throwaway copy of the repository (one exact
snippet replaced), then runs only the tests that guard that rule. A mutant the tests catch is
KILLED; one they do not catch SURVIVED, and the run exits non-zero.

    scripts/mutants                    # every mutant, then the table
    scripts/mutants --list             # the table of mutants, nothing run
    scripts/mutants -k deadline -j 2   # mutants whose id or rule contains "deadline", 2 at once

The table stays honest as the code changes: a mutant whose original snippet is not found exactly
once in its file is reported STALE (and fails the run), never skipped silently. Before the
mutants, the unmutated tree runs each selection once (BASELINE): a kill only means something if
the same tests pass without the mutant. Tests that fail there are listed, fail the run, and are
deselected from the mutant runs (so they cannot pass for kills).

The mutants break the committed tree, not the working tree: scripts/mutants exports HEAD
(`git archive`) to a temporary folder and passes it as `--tree`, so edits in progress in the
checkout (other people's, or half-saved files) cannot skew a run, and the report names the commit
it measured. Each mutant gets its own copy of that export. `.cache` (the built environment) is
symlinked into each copy, so `scripts/run` there reuses it: scripts/_env.sh mounts the copy at its
own path inside the environment. Results: docs/safety-evidence.md.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
PM: Final = "custom_components/pressure_mask"
VIRTUAL: Final = "devtools/virtual_mask.py"
SAFETY: Final = f"{PM}/safety.py"
COORDINATOR: Final = f"{PM}/coordinator.py"
CONFIG_FLOW: Final = f"{PM}/config_flow.py"
NUMBER: Final = f"{PM}/number.py"
SERVICES: Final = f"{PM}/services.py"
SESSION: Final = f"{PM}/session.py"
CLIENT: Final = f"{PM}/mask_ble/client.py"

# Test selections, smallest that guard each layer.
DEVICE_TESTS: Final = (
    "tests/mask_ble/test_virtual_safety.py",
    "tests/mask_ble/test_safety_mutants_gaps.py",
)
LINK_TESTS: Final = (*DEVICE_TESTS, "tests/mask_ble/test_client.py")
POLICY_TESTS: Final = ("tests/test_safety_policy.py",)
HOST_TESTS: Final = ("tests/test_session_control.py", "tests/test_host_safety_gaps.py")
CONTROL_TESTS: Final = ("tests/test_controls.py", *HOST_TESTS)
# The defect classes of issue 10, end to end.
CLASS_TESTS: Final = ("tests/test_safety_classes.py",)
DEVICE_CLASS_TESTS: Final = ("tests/mask_ble/test_device_classes.py",)
OPTIONS_TESTS: Final = ("tests/test_config_flow.py", "tests/test_safety_policy.py", *HOST_TESTS)

PYTEST: Final = ("python", "-m", "pytest", "-x", "-q", "-p", "no:randomly", "--no-cov")
TIMEOUT_S: Final = 600


@dataclass(frozen=True, slots=True)
class Mutant:
    """One broken rule: replace `original` (found exactly once in `path`) by `replacement`."""

    id: str
    rule: str
    path: str
    original: str
    replacement: str
    tests: tuple[str, ...]


class Outcome(StrEnum):
    """What the selected tests made of a mutant (or of the unmutated tree, for BASELINE)."""

    KILLED = "KILLED"  # the tests failed: the rule is guarded
    SURVIVED = "SURVIVED"  # the tests passed with the rule broken: a gap
    STALE = "STALE"  # the snippet is gone or ambiguous: update the table
    ERROR = "ERROR"  # pytest could not run the selection (collection error, no tests, ...)
    TIMEOUT = "TIMEOUT"  # the tests hung: counted as a failure of the run, look at it
    PASSED = "PASSED"  # BASELINE only: the selection passes unmutated
    FAILED = "FAILED"  # BASELINE only: the selection fails without any mutant


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one run, with the tail of pytest's output for the report."""

    name: str
    outcome: Outcome
    seconds: float
    detail: str = ""


M = Mutant
MUTANTS: Final[tuple[Mutant, ...]] = (
    # --- Device side: the virtual mask's firmware rules (docs/protocol.md safety contract) ---
    M(
        "dev-target-over-limit-accepted",
        "device rejects a target above its stored limit",
        VIRTUAL,
        "if any(step.pressure_mmhg > self._zone_max(step.zone) for step in command.steps):",
        "if any(step.pressure_mmhg > DEVICE_CEILING_MMHG[step.zone] for step in command.steps):",
        DEVICE_TESTS,
    ),
    M(
        "dev-target-over-limit-clamped",
        "device rejects, never clamps, a target above its stored limit",
        VIRTUAL,
        "        if any(step.pressure_mmhg > self._zone_max(step.zone) for step in command.steps):\n"
        "            return ResultCode.LIMIT_EXCEEDED\n",
        "        _r = __import__('dataclasses').replace\n"
        "        command = _r(command, steps=tuple(\n"
        "            _r(s, pressure_mmhg=min(s.pressure_mmhg, self._zone_max(s.zone)))\n"
        "            for s in command.steps))\n",
        DEVICE_TESTS,
    ),
    M(
        "dev-absolute-ceiling",
        "device pressure ceilings hold whatever limits are stored",
        VIRTUAL,
        "return min(self.limits.max_mmhg(zone), DEVICE_CEILING_MMHG[zone])",
        "return self.limits.max_mmhg(zone)",
        DEVICE_TESTS,
    ),
    M(
        "dev-duration-over-limit",
        "device rejects a session longer than its stored maximum",
        VIRTUAL,
        "if command.max_duration_s > min(self.limits.max_session_s, DEVICE_MAX_SESSION_S):",
        "if command.max_duration_s > DEVICE_MAX_SESSION_S:",
        DEVICE_TESTS,
    ),
    M(
        "dev-duration-ceiling",
        "device 20-minute ceiling holds whatever limits are stored",
        VIRTUAL,
        "if command.max_duration_s > min(self.limits.max_session_s, DEVICE_MAX_SESSION_S):",
        "if command.max_duration_s > self.limits.max_session_s:",
        DEVICE_TESTS,
    ),
    M(
        "dev-routine-longer-than-deadline",
        "device rejects a routine longer than the session's maximum duration",
        VIRTUAL,
        "if sum(_step_ms(step) for step in command.steps) > command.max_duration_s * 1000:",
        "if False:",
        DEVICE_TESTS,
    ),
    M(
        "dev-set-limits-face-ceiling",
        "device refuses stored limits above its absolute ceilings",
        VIRTUAL,
        "limits.face_max_mmhg > FACE_CEILING_MMHG\n            or ",
        "",
        DEVICE_TESTS,
    ),
    M(
        "dev-set-limits-busy",
        "device refuses new limits while a session exists",
        VIRTUAL,
        "    def _set_limits(self, limits: DeviceLimits) -> ResultCode:\n"
        "        if self._session is not None:",
        "    def _set_limits(self, limits: DeviceLimits) -> ResultCode:\n        if False:",
        DEVICE_TESTS,
    ),
    M(
        "dev-over-pressure-never-vents",
        "device over-pressure check (zone limit + 3 mmHg) vents",
        VIRTUAL,
        "and reading > self._zone_max(step.zone) + OVER_PRESSURE_MARGIN_MMHG",
        "and reading > self._zone_max(step.zone) + OVER_PRESSURE_MARGIN_MMHG + 1000",
        DEVICE_TESTS,
    ),
    M(
        "dev-over-pressure-margin-widened",
        "device over-pressure margin is 3 mmHg, not more",
        VIRTUAL,
        "and reading > self._zone_max(step.zone) + OVER_PRESSURE_MARGIN_MMHG",
        "and reading > self._zone_max(step.zone) + OVER_PRESSURE_MARGIN_MMHG + 2.5",
        DEVICE_TESTS,
    ),
    M(
        "dev-hardware-trip-removed",
        "hardware over-pressure trip vents (reads the true pressure)",
        VIRTUAL,
        "if self._pressure >= HARDWARE_TRIP_MMHG:",
        "if self.measured_mmhg >= HARDWARE_TRIP_MMHG:",
        DEVICE_TESTS,
    ),
    M(
        "dev-hardware-trip-at-45",
        "hardware trip is at 45 mmHg, not higher",
        VIRTUAL,
        "if self._pressure >= HARDWARE_TRIP_MMHG:",
        "if self._pressure >= HARDWARE_TRIP_MMHG + 1:",
        DEVICE_TESTS,
    ),
    M(
        "dev-heartbeat-timeout-removed",
        "device vents when heartbeats stop during a session",
        VIRTUAL,
        "if self._now - self._last_heartbeat > HEARTBEAT_TIMEOUT_S:",
        "if self._now - self._last_heartbeat > HEARTBEAT_TIMEOUT_S * 1000:",
        DEVICE_TESTS,
    ),
    M(
        "dev-heartbeat-timeout-3s",
        "heartbeat timeout is 3 s, not more",
        VIRTUAL,
        "if self._now - self._last_heartbeat > HEARTBEAT_TIMEOUT_S:",
        "if self._now - self._last_heartbeat > HEARTBEAT_TIMEOUT_S + 1:",
        DEVICE_TESTS,
    ),
    M(
        "dev-session-deadline",
        "device enforces the session's maximum duration itself",
        VIRTUAL,
        "elif self._now - session.started_at >= session.max_duration_s:",
        "elif self._now - session.started_at >= session.max_duration_s + 60:",
        DEVICE_TESTS,
    ),
    M(
        "dev-arm-expiry",
        "device cancels an armed session nobody confirms",
        VIRTUAL,
        "if self._now - session.armed_at >= ARM_TIMEOUT_S:",
        "if self._now - session.armed_at >= ARM_TIMEOUT_S * 10:",
        DEVICE_TESTS,
    ),
    M(
        "dev-pause-expiry",
        "device ends a session paused for too long",
        VIRTUAL,
        "session.paused_at is not None and self._now - session.paused_at >= PAUSE_TIMEOUT_S",
        "session.paused_at is not None and self._now - session.paused_at >= PAUSE_TIMEOUT_S * 10",
        DEVICE_TESTS,
    ),
    M(
        "dev-link-loss-ends-session",
        "device vents and never resumes after a link drop",
        VIRTUAL,
        "        if self._session is not None:\n            self._raise_fault(FaultCode.LINK_LOST)",
        "        pass",
        LINK_TESTS,
    ),
    M(
        "dev-control-needs-auth",
        "control opcodes before authentication get NOT_AUTHENTICATED",
        VIRTUAL,
        "if command.NEEDS_AUTH and not authentic:",
        "if False:",
        DEVICE_TESTS,
    ),
    M(
        "dev-stop-needs-no-auth",
        "stop and vent work without authentication",
        VIRTUAL,
        "return False if frame.opcode in (Opcode.STOP, Opcode.VENT) else None",
        "return None",
        DEVICE_TESTS,
    ),
    M(
        "dev-replay",
        "a sealed frame that does not open (forged, replayed) is dropped",
        VIRTUAL,
        "            if not secure.opener.open(frame.plain, frame.trailer):\n                return None",
        "            if not secure.opener.open(frame.plain, frame.trailer):\n                pass",
        LINK_TESTS,
    ),
    M(
        "dev-wrong-key",
        "a wrong key does not authenticate",
        VIRTUAL,
        "if same(expected, proof) and self._slots[handshake.slot] is not None:",
        "if self._slots[handshake.slot] is not None:",
        LINK_TESTS,
    ),
    M(
        "dev-button-stops",
        "the physical button always stops a running session",
        VIRTUAL,
        "            else:\n                self._end_session(StopReason.BUTTON)",
        "            else:\n                pass",
        DEVICE_TESTS,
    ),
    M(
        "dev-host-stop",
        "a host stop ends the session and vents",
        VIRTUAL,
        "if self._session is not None:\n                    self._end_session(",
        "if self._session is not None and isinstance(command, Vent):\n"
        "                    self._end_session(",
        DEVICE_TESTS,
    ),
    M(
        "dev-cooldown",
        "device refuses a start during its stored cooldown",
        VIRTUAL,
        "and self._now - self._last_session_end < self.limits.cooldown_s",
        "and self._now - self._last_session_end < 0",
        DEVICE_TESTS,
    ),
    M(
        "dev-fault-blocks-start",
        "device refuses a start while a fault is latched",
        VIRTUAL,
        "        if self._fault:\n            return ResultCode.FAULT_ACTIVE",
        "",
        DEVICE_TESTS,
    ),
    M(
        "dev-fault-clear-needs-cause-gone",
        "a fault whose cause is still present cannot be cleared",
        VIRTUAL,
        "        if self._fault_cause_present():\n            return ResultCode.FAULT_ACTIVE",
        "",
        DEVICE_TESTS,
    ),
    M(
        "dev-busy",
        "device refuses a second start while a session exists",
        VIRTUAL,
        "if self._session is not None or self._phase is Phase.VENTING:",
        "if self._phase is Phase.VENTING:",
        DEVICE_TESTS,
    ),
    M(
        "dev-low-battery",
        "device refuses a start on low battery",
        VIRTUAL,
        "        if self.low_battery:\n            return ResultCode.LOW_BATTERY",
        "",
        DEVICE_TESTS,
    ),
    M(
        "dev-critical-battery",
        "device ends a session on critical battery",
        VIRTUAL,
        "elif self.battery_level < CRITICAL_BATTERY_PERCENT:",
        "elif False:",
        DEVICE_TESTS,
    ),
    M(
        "dev-pressure-dwell",
        "no bladder stays pressurised longer than 60 s",
        VIRTUAL,
        "if dwell_s > MAX_CONTINUOUS_PRESSURE_S or (",
        "if dwell_s > MAX_CONTINUOUS_PRESSURE_S * 10 or (",
        DEVICE_TESTS,
    ),
    M(
        "dev-stuck-sensor",
        "a stuck pressure sensor is a fault",
        VIRTUAL,
        "elif self._now - self._reading_ref_at > SENSOR_STUCK_S:",
        "elif False:",
        DEVICE_TESTS,
    ),
    M(
        "dev-leak",
        "a leak during a hold is a fault",
        VIRTUAL,
        "and reading < step.pressure_mmhg - LEAK_TOLERANCE_MMHG",
        "and reading < step.pressure_mmhg - LEAK_TOLERANCE_MMHG - 1000",
        DEVICE_TESTS,
    ),
    M(
        "dev-pause-releases",
        "a pause releases the bladders",
        VIRTUAL,
        "        if session is None or session.started_at is None or session.paused_at is not None:"
        "\n            self._valve_open = True\n            return",
        "        if session is None or session.started_at is None or session.paused_at is not None:"
        "\n            self._valve_open = session is None or session.paused_at is None\n"
        "            return",
        DEVICE_TESTS,
    ),
    # --- Host policy: safety.py, the specification ---
    M(
        "pol-acknowledgement",
        "a start without the acknowledgement is refused",
        SAFETY,
        "    if not context.acknowledged:\n"
        "        return Decision.refuse(RefusalRule.ACKNOWLEDGEMENT_REQUIRED)\n",
        "",
        POLICY_TESTS,
    ),
    M(
        "pol-acknowledgement-expiry",
        "an acknowledgement older than the configured expiry is refused",
        SAFETY,
        "    return expires_at is None or now >= expires_at\n",
        "    return expires_at is None or now > expires_at\n",
        POLICY_TESTS,
    ),
    M(
        "pol-undated-acknowledgement",
        "an undated acknowledgement counts as expired when an expiry is set",
        SAFETY,
        "    return expires_at is None or now >= expires_at\n",
        "    return expires_at is not None and now >= expires_at\n",
        POLICY_TESTS,
    ),
    M(
        "pol-fault-blocks-start",
        "a start with a fault active is refused",
        SAFETY,
        "    if context.fault_active:\n        return Decision.refuse(RefusalRule.FAULT_ACTIVE)\n",
        "",
        POLICY_TESTS,
    ),
    M(
        "pol-session-running",
        "a start while a session runs is refused",
        SAFETY,
        "    if context.session_running:\n"
        "        return Decision.refuse(RefusalRule.SESSION_ALREADY_RUNNING)\n",
        "",
        POLICY_TESTS,
    ),
    M(
        "pol-unknown-routine",
        "an unknown routine is refused",
        SAFETY,
        'routine = BUILTIN_ROUTINES.get(request.routine_key or "")',
        'routine = BUILTIN_ROUTINES.get(request.routine_key or "", BUILTIN_ROUTINES["neck_and_jaw"])',
        POLICY_TESTS,
    ),
    M(
        "pol-pressure-over-limit",
        "a step above its zone limit is refused",
        SAFETY,
        "        if step.pressure_mmhg > limit_mmhg or as_encoded_pressure(step.pressure_mmhg) > limit_mmhg:",
        "        if step.pressure_mmhg > limit_mmhg + 0.5:",
        POLICY_TESTS,
    ),
    M(
        "pol-under-eye-limit",
        "under-eye steps are held to the (lower) under-eye limit",
        SAFETY,
        "    if zone is Zone.UNDER_EYE:\n        return limits.under_eye_max_mmhg",
        "    if zone is Zone.UNDER_EYE:\n        return limits.face_max_mmhg",
        POLICY_TESTS,
    ),
    M(
        "pol-neck-limit",
        "neck steps are held to the neck limit",
        SAFETY,
        "    if zone is Zone.NECK:\n        return limits.neck_max_mmhg",
        "    if zone is Zone.NECK:\n        return limits.face_max_mmhg",
        POLICY_TESTS,
    ),
    M(
        "pol-override-never-raises-sensitive-zones",
        "a pressure override never makes under-eye or neck steps firmer",
        SAFETY,
        "return replace(step, pressure_mmhg=min(step.pressure_mmhg, pressure_mmhg))",
        "return replace(step, pressure_mmhg=pressure_mmhg)",
        POLICY_TESTS,
    ),
    M(
        "pol-nan-pressure-override",
        "NaN, infinite or non-positive pressure overrides are refused as invalid",
        SAFETY,
        "if pressure is not None and not (_is_number(pressure) and pressure > 0):",
        "if pressure is not None and not (pressure > 0):",
        POLICY_TESTS,
    ),
    M(
        "pol-nan-step-pressure",
        "NaN or negative step pressures are refused as invalid",
        SAFETY,
        "if not (_is_number(step.pressure_mmhg) and step.pressure_mmhg >= 0):",
        "if not (step.pressure_mmhg >= 0 or step.pressure_mmhg != step.pressure_mmhg):",
        POLICY_TESTS,
    ),
    M(
        "pol-nan-duration",
        "NaN or too short durations are refused as invalid",
        SAFETY,
        "if not (_is_number(duration) and duration >= MIN_SESSION_MIN):",
        "if not (duration >= MIN_SESSION_MIN or duration != duration):",
        POLICY_TESTS,
    ),
    M(
        "pol-nan-status-vents",
        "a status whose pressure is not a number vents",
        SAFETY,
        "    if not _is_number(status_pressure_mmhg):\n"
        "        return SupervisionVerdict.UNREADABLE_PRESSURE\n",
        "",
        POLICY_TESTS,
    ),
    M(
        "pol-nan-limit",
        "the options flow refuses a NaN or infinite limit",
        SAFETY,
        "if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):",
        "if isinstance(value, bool) or not isinstance(value, int | float):",
        POLICY_TESTS,
    ),
    M(
        "pol-duration-over-limit",
        "a requested duration above the configured maximum is refused",
        SAFETY,
        "    if duration > limits.max_session_min:",
        "    if duration > limits.max_session_min + 1:",
        POLICY_TESTS,
    ),
    M(
        "pol-routine-too-long",
        "a routine its session's duration would cut short is refused",
        SAFETY,
        "    if routine_s > max_duration_s:\n",
        "    if routine_s > max_duration_s * 2:\n",
        POLICY_TESTS,
    ),
    M(
        "pol-sensitive-hold",
        "under-eye and neck holds are at most 3 s",
        SAFETY,
        "if step.zone in SENSITIVE_ZONES and step.hold_s > SENSITIVE_ZONE_MAX_HOLD_S:",
        "if step.zone in SENSITIVE_ZONES and step.hold_s > SENSITIVE_ZONE_MAX_HOLD_S + 2:",
        POLICY_TESTS,
    ),
    M(
        "pol-pressurised-too-long",
        "a step pressurised longer than the mask allows is refused up front",
        SAFETY,
        "if step.zone is not Zone.NONE and pressurised_s > MAX_PRESSURISED_S:",
        "if step.zone is not Zone.NONE and pressurised_s > MAX_PRESSURISED_S * 2:",
        POLICY_TESTS,
    ),
    M(
        "pol-cooldown",
        "a start during the cooldown is refused",
        SAFETY,
        "if cooldown_ends is not None and context.now < cooldown_ends:",
        "if cooldown_ends is not None and context.now < cooldown_ends - timedelta(minutes=1):",
        POLICY_TESTS,
    ),
    M(
        "pol-daily-cap",
        "a start over the daily cap is refused",
        SAFETY,
        "if context.sessions_today >= limits.max_sessions_per_day:",
        "if context.sessions_today > limits.max_sessions_per_day:",
        POLICY_TESTS,
    ),
    M(
        "pol-both-routine-and-steps",
        "a request with both a routine and custom steps is refused",
        SAFETY,
        "        if request.routine_key is not None:\n            return Decision.refuse(",
        "        if False:\n            return Decision.refuse(",
        POLICY_TESTS,
    ),
    M(
        "pol-plan-deadline",
        "the plan's deadline is the requested duration",
        SAFETY,
        "    max_duration_s = math.floor(duration_min * 60)\n",
        "    max_duration_s = limits.max_session_s\n",
        POLICY_TESTS,
    ),
    M(
        "pol-button-for-remote-start",
        "remote starts only arm the mask when the option is on",
        SAFETY,
        "await_button=limits.require_button_for_remote_start,",
        "await_button=False,",
        POLICY_TESTS,
    ),
    M(
        "pol-over-pressure-never-vents",
        "host vents when measured pressure exceeds the zone limit + 3 mmHg",
        SAFETY,
        "if status_pressure_mmhg > status_limit_mmhg(zone, limits) + OVER_PRESSURE_TOLERANCE_MMHG:",
        "if status_pressure_mmhg > status_limit_mmhg(zone, limits) + OVER_PRESSURE_TOLERANCE_MMHG + 1000:",
        POLICY_TESTS,
    ),
    M(
        "pol-over-pressure-tolerance",
        "host over-pressure tolerance is 3 mmHg, not more",
        SAFETY,
        "if status_pressure_mmhg > status_limit_mmhg(zone, limits) + OVER_PRESSURE_TOLERANCE_MMHG:",
        "if status_pressure_mmhg > status_limit_mmhg(zone, limits) + OVER_PRESSURE_TOLERANCE_MMHG + 0.5:",
        POLICY_TESTS,
    ),
    M(
        "pol-zoneless-status-limit",
        "a status without a zone is held to the highest zone limit",
        SAFETY,
        "max(limits.face_max_mmhg, limits.under_eye_max_mmhg, limits.neck_max_mmhg)",
        "FACE_CEILING_MMHG",
        POLICY_TESTS,
    ),
    M(
        "pol-options-ceiling",
        "the options flow refuses limits above their ceilings",
        SAFETY,
        "    if value > bounds.maximum:\n        return LimitError.ABOVE_CEILING\n",
        "",
        POLICY_TESTS,
    ),
    M(
        "pol-options-floor",
        "the options flow refuses limits below their minimum (cooldown at least 20 min)",
        SAFETY,
        "    if value < bounds.minimum:\n        return LimitError.BELOW_MINIMUM\n",
        "",
        POLICY_TESTS,
    ),
    M(
        "pol-face-ceiling-40",
        "the face limit's ceiling is 40 mmHg",
        SAFETY,
        '"face_max_mmhg": LimitRange(VENT_SAFE_MMHG, FACE_CEILING_MMHG),',
        '"face_max_mmhg": LimitRange(VENT_SAFE_MMHG, FACE_CEILING_MMHG + 5),',
        POLICY_TESTS,
    ),
    M(
        "pol-stored-limits-validated",
        "stored limits the options flow would refuse are never used",
        SAFETY,
        "        if errors:\n            raise InvalidLimitsError(errors)",
        "        if errors:\n            pass",
        POLICY_TESTS,
    ),
    M(
        "pol-mirrored-limits",
        "the mask stores the configured limits, not more",
        SAFETY,
        "            face_max_mmhg=self.face_max_mmhg,\n",
        "            face_max_mmhg=FACE_CEILING_MMHG,\n",
        POLICY_TESTS,
    ),
    M(
        "pol-host-deadline",
        "the host's session deadline is start + duration",
        SAFETY,
        "return started_at + timedelta(seconds=duration_s)",
        "return started_at + timedelta(seconds=duration_s + 60)",
        POLICY_TESTS,
    ),
    # --- Host enforcement: coordinator, entities, options flow (end to end) ---
    M(
        "host-refuses-before-sending",
        "a refused start sends nothing to the mask",
        COORDINATOR,
        "        if decision.plan is None:\n",
        "        if decision.plan is None:\n"
        "            await self._async_ensure_connected()\n"
        "            await self.client.start_session(\n"
        "                Routine(routine_key or 'custom', tuple(steps or ())),\n"
        "                max_duration_s=60, await_button=True)\n",
        HOST_TESTS,
    ),
    M(
        "host-acknowledgement-context",
        "the host refuses a start without acknowledgement (the context it builds)",
        COORDINATOR,
        "            acknowledged=self.history.acknowledged_at is not None,",
        "            acknowledged=True,",
        CONTROL_TESTS,
    ),
    M(
        "host-cooldown-context",
        "the host refuses a start during cooldown (the history it reads)",
        COORDINATOR,
        "            last_session_end=self.history.last_session_end,",
        "            last_session_end=None,",
        HOST_TESTS,
    ),
    M(
        "host-daily-cap-context",
        "the host refuses a start over the daily cap (the history it reads)",
        COORDINATOR,
        "            sessions_today=self.history.sessions_on(now),",
        "            sessions_today=0,",
        HOST_TESTS,
    ),
    M(
        "host-fault-context",
        "the host refuses a start with a fault active",
        COORDINATOR,
        "            fault_active=self.fault is not None\n"
        "            or safety_fault_repair_open(self.hass, self.entry.entry_id),\n",
        "            fault_active=False,\n",
        HOST_TESTS,
    ),
    M(
        "host-session-running-context",
        "the host refuses a second start while a session runs",
        COORDINATOR,
        "            session_running=self._session is not None or self.session_active,",
        "            session_running=False,",
        HOST_TESTS,
    ),
    M(
        "host-acknowledgement-expiry-context",
        "the host refuses a start with an expired acknowledgement",
        COORDINATOR,
        "            acknowledged_at=self.history.acknowledged_at,",
        "            acknowledged_at=now,",
        HOST_TESTS,
    ),
    M(
        "host-supervision",
        "every status is checked; over-pressure vents at once",
        COORDINATOR,
        "        if check_status(status.pressure_mmhg, status.zone, self.limits).vent_now:",
        "        if False:",
        HOST_TESTS,
    ),
    M(
        "host-supervision-zone",
        "live supervision holds each zone to its own limit (under eye 15 + 3 mmHg)",
        COORDINATOR,
        "        if check_status(status.pressure_mmhg, status.zone, self.limits).vent_now:",
        "        if check_status(status.pressure_mmhg, type(status.zone).FOREHEAD, self.limits)"
        ".vent_now:",
        HOST_TESTS,
    ),
    M(
        "host-safety-trip-vents",
        "a safety trip sends vent then stop",
        COORDINATOR,
        "        await self._async_send(self.client.vent)\n        await self._async_send(self.client.stop)",
        "        await self._async_send(self.client.stop)",
        HOST_TESTS,
    ),
    M(
        "host-safety-trip-revokes",
        "a safety fault revokes the acknowledgement",
        COORDINATOR,
        "        self._async_report_fault(fault, pressure_mmhg)\n"
        "        self._async_revoke_acknowledgement_now()\n",
        "        self._async_report_fault(fault, pressure_mmhg)\n",
        HOST_TESTS,
    ),
    M(
        "host-deadline",
        "the host stops the session at its deadline",
        COORDINATOR,
        "session_deadline(dt_util.utcnow(), session.plan.max_duration_s),",
        "session_deadline(dt_util.utcnow(), session.plan.max_duration_s + 3600),",
        HOST_TESTS,
    ),
    M(
        "host-arm-expiry",
        "the host cancels an arm nobody confirms within 2 minutes",
        COORDINATOR,
        "        if (session := self._session) is not None and not session.running:",
        "        if False:",
        HOST_TESTS,
    ),
    M(
        "host-stop-unconfirmed-vents",
        "a stop the mask does not confirm within 2 s gets vent and a fault",
        COORDINATOR,
        "        if self._session is not None:\n"
        "            self._async_safety_trip(\n"
        "                HOST_FAULT_STOP_UNCONFIRMED,",
        "        if False:\n"
        "            self._async_safety_trip(\n"
        "                HOST_FAULT_STOP_UNCONFIRMED,",
        HOST_TESTS,
    ),
    M(
        "host-link-loss-aborts",
        "a link loss during a session records it aborted",
        COORDINATOR,
        "        if self._session is not None:\n"
        "            self._async_finish_session("
        'self._session, SessionEventType.ABORTED, "link_lost")',
        "        pass",
        HOST_TESTS,
    ),
    M(
        "host-stops-unowned-session",
        "the host stops any session it does not own (e.g. after a restart)",
        COORDINATOR,
        "        elif status.session_active and not self._stopping_unowned:\n",
        "        elif False:\n",
        HOST_TESTS,
    ),
    M(
        "host-stop-without-auth",
        "stop and vent work unauthenticated at the protocol level",
        COORDINATOR,
        "            await self._async_ensure_connected(authenticate=False)\n"
        "            await command()\n"
        "        except MaskError as err:\n"
        "            raise _communication_error(self.title, err) from err",
        "            await self._async_ensure_connected()\n"
        "            await command()\n"
        "        except MaskError as err:\n"
        "            raise _communication_error(self.title, err) from err",
        HOST_TESTS,
    ),
    M(
        "host-limit-change-revokes",
        "changing a limit revokes the acknowledgement",
        COORDINATOR,
        "            self.history.acknowledged_limits != self.limits.to_options()",
        "            False",
        CONTROL_TESTS,
    ),
    M(
        "host-mirrors-limits",
        "the configured limits are stored on the mask on connect",
        COORDINATOR,
        "            await self.client.set_limits(wanted)",
        "            pass",
        HOST_TESTS,
    ),
    M(
        "number-max-is-limit",
        "the target pressure number's maximum is the configured face limit",
        NUMBER,
        "max_fn=lambda coordinator: coordinator.limits.face_max_mmhg,",
        "max_fn=lambda coordinator: 40.0,",
        CONTROL_TESTS,
    ),
    M(
        "number-duration-max-is-limit",
        "the session duration number's maximum is the configured maximum duration",
        NUMBER,
        "max_fn=lambda coordinator: coordinator.limits.max_session_min,",
        "max_fn=lambda coordinator: 20,",
        CONTROL_TESTS,
    ),
    M(
        "options-flow-ceiling",
        "the options flow refuses a limit above its ceiling",
        CONFIG_FLOW,
        "                for name, error in validate_limits(options).items()\n",
        "                for name, error in {}.items()\n",
        OPTIONS_TESTS,
    ),
    # --- Issue 10: the defect classes found in review (tests/test_safety_classes.py) ---
    M(
        "class1-status-restarts-heartbeats",
        "a status that shows a session never restarts heartbeats",
        CLIENT,
        "        if not status.session_active:\n            self.stop_heartbeats()\n",
        "        if not status.session_active:\n            self.stop_heartbeats()\n"
        "        else:\n            self.start_heartbeats()\n",
        CLASS_TESTS,
    ),
    M(
        "class1-give-up-keeps-heartbeats",
        "heartbeats stop and the link closes once the host gives up on a session",
        COORDINATOR,
        "        self.client.stop_heartbeats()\n"
        "        await self._async_send(self.client.vent)\n"
        "        await self._async_send(self.client.stop)\n"
        "        await self._async_disconnect()\n",
        "        await self._async_send(self.client.vent)\n"
        "        await self._async_send(self.client.stop)\n",
        CLASS_TESTS,
    ),
    M(
        "class1-give-up-keeps-link",
        "the link closes once the host gives up on a session (the mask's link-loss rule vents)",
        COORDINATOR,
        "        await self._async_send(self.client.stop)\n        await self._async_disconnect()\n",
        "        await self._async_send(self.client.stop)\n",
        CLASS_TESTS,
    ),
    M(
        "class2-heartbeat-waits-for-response",
        "heartbeats go out on schedule, never waiting for the previous response",
        CLIENT,
        "            request = loop.create_task(self._send_heartbeat())\n",
        "            request = loop.create_task(self._send_heartbeat())\n"
        "            await asyncio.wait({request})\n",
        CLASS_TESTS,
    ),
    M(
        "class2-responses-not-matched-by-seq",
        "a response resolves the request with its seq, not the oldest of its opcode",
        CLIENT,
        "        pending = self._pending.get(response.seq)\n",
        "        pending = next(\n"
        "            (p for p in self._pending.values() if p[0].OPCODE == response.opcode), None\n"
        "        )\n",
        ("tests/mask_ble/test_client.py",),
    ),
    M(
        "class5-history-by-count",
        "history keeps every session that ran, whatever came after it",
        f"{PM}/history.py",
        "        self._prune(dt_util.utcnow())\n",
        "        del self.sessions[:-50]\n",
        CLASS_TESTS,
    ),
    M(
        "class5-unanswered-start-not-counted",
        "a start whose answer was lost counts as a session",
        COORDINATOR,
        "        record.ran = True\n        record.ended = dt_util.utcnow()\n",
        "        record.ran = False\n        record.ended = dt_util.utcnow()\n",
        CLASS_TESTS,
    ),
    M(
        "class5-arms-counted",
        "the daily cap counts only sessions that ran, never arms nobody confirmed",
        f"{PM}/history.py",
        "            if record.ran and dt_util.as_local(record.started).date() == day\n",
        "            if dt_util.as_local(record.started).date() == day\n",
        CLASS_TESTS,
    ),
    M(
        "class5-unran-push-out-ran",
        "records of arms, refusals and failed starts never push out a session that ran",
        f"{PM}/history.py",
        "        unran = [record for record in self.sessions if not record.ran and record.ended",
        "        unran = [record for record in self.sessions if record.ended",
        CLASS_TESTS,
    ),
    M(
        "class5-retention-under-a-day",
        "history is kept at least as long as the longest window a rule looks at (the day)",
        f"{PM}/history.py",
        "RETENTION: Final = timedelta(days=7)\n",
        "RETENTION: Final = timedelta(hours=12)\n",
        CLASS_TESTS,
    ),
    M(
        "class5-unanswered-start-not-explained",
        "a start whose answer was lost is explained as such, not as a communication failure",
        COORDINATOR,
        '                translation_key="start_unanswered",\n',
        '                translation_key="communication_error",\n',
        CLASS_TESTS,
    ),
    M(
        "class3-stop-payload-invalid",
        "a STOP or VENT with a stray payload still stops",
        VIRTUAL,
        "            if frame.opcode not in _STOP_ALWAYS_WINS:\n",
        "            if True:\n",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class4-hold-starts-armed-session",
        "only a clean short press starts an armed session",
        VIRTUAL,
        "        short_press = hold_ms <= BUTTON_SHORT_PRESS_MAX_MS\n",
        "        short_press = hold_ms < BUTTON_LONG_PRESS_MS\n",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class3-vent-payload-invalid",
        "a VENT with a stray payload still vents",
        VIRTUAL,
        "{Opcode.STOP: Stop(), Opcode.VENT: Vent()}",
        "{Opcode.STOP: Stop()}",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class4-hold-keeps-armed-session",
        "a press longer than a clean short press cancels an armed session",
        VIRTUAL,
        "            if session.started_at is None and short_press:\n"
        "                self._begin(session)\n",
        "            if session.started_at is None:\n"
        "                if short_press:\n"
        "                    self._begin(session)\n",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class4-no-debounce",
        "a press under 50 ms is contact bounce and does nothing",
        VIRTUAL,
        "        if hold_ms < BUTTON_DEBOUNCE_MS:\n            return\n",
        "",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class4-hold-clears-fault",
        "only a short press clears a latched fault",
        VIRTUAL,
        "        elif self._fault and short_press:\n",
        "        elif self._fault:\n",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class4-short-press-opens-pairing",
        "idle, only a long press opens pairing mode",
        VIRTUAL,
        "        elif hold_ms >= BUTTON_LONG_PRESS_MS and self._phase is Phase.IDLE:\n",
        "        elif self._phase is Phase.IDLE:\n",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class6-host-release-too-short",
        "a sensitive-zone repetition releases at least as long as it holds, and at least 3 s",
        SAFETY,
        "        if step.zone in SENSITIVE_ZONES and step.release_s < min_release_s:\n",
        "        if False:\n",
        CLASS_TESTS,
    ),
    M(
        "class6-host-continuous-pressure",
        "no sensitive zone is pressurised longer than the bound across repetitions and steps",
        SAFETY,
        "    return _check_continuous_pressure(steps)\n",
        "    return None\n",
        CLASS_TESTS,
    ),
    M(
        "class6-mask-start-sensitive-step",
        "the mask refuses a sensitive step that would hold pressure",
        VIRTUAL,
        "            step.zone in _SENSITIVE_ZONES\n            and (",
        "            False\n            and (",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class6-mask-pressurised-over-5s",
        "the mask refuses a sensitive step pressurised more than 5 s per repetition",
        VIRTUAL,
        "                _ms(step.inflate_s) + _ms(step.hold_s) > SENSITIVE_MAX_PRESSURISED_S * 1000\n"
        "                or ",
        "                ",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class6-mask-release-under-hold",
        "the mask refuses a sensitive step that releases for less than it holds",
        VIRTUAL,
        "max(_ms(step.hold_s), SENSITIVE_MIN_RELEASE_S * 1000)",
        "SENSITIVE_MIN_RELEASE_S * 1000",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class6-mask-sensitive-dwell",
        "the mask vents a sensitive zone above 5 mmHg for more than 8 s in a row",
        VIRTUAL,
        "            self._sensitive_run and dwell_s > SENSITIVE_MAX_CONTINUOUS_S\n",
        "            False\n",
        DEVICE_CLASS_TESTS,
    ),
    M(
        "class7-deadline-unrounded",
        "the routine must fit the whole seconds of deadline the mask receives",
        SAFETY,
        "or _check_routine_length(routine.key, steps, max_duration_s)",
        "or _check_routine_length(routine.key, steps, duration_min * 60)",
        CLASS_TESTS,
    ),
    M(
        "class7-steps-sent-unencoded",
        "the steps checked and sent are the steps as the mask decodes them",
        SAFETY,
        "    steps = tuple(as_encoded_step(step) for step in requested)\n",
        "    steps = requested\n",
        CLASS_TESTS,
    ),
    M(
        "class7-limits-not-encodable",
        "the options flow accepts only pressure limits that encode exactly",
        SAFETY,
        '            error = _encoding_error(cast("float", value))\n',
        "            error = None\n",
        CLASS_TESTS,
    ),
    M(
        "class9-end-before-start",
        "a session's terminal event is told after its start",
        SESSION,
        "        if session.started_sent and session.ended is not None:\n",
        "        if session.ended is not None:\n",
        CLASS_TESTS,
    ),
    M(
        "class9-session-kept-after-its-end",
        "a session that ended is no longer the owned session (its end is told once)",
        COORDINATOR,
        "        self._session = None\n        for timer in (_Timer.DEADLINE, _Timer.ARM_EXPIRY",
        "        for timer in (_Timer.DEADLINE, _Timer.ARM_EXPIRY",
        CLASS_TESTS,
    ),
    M(
        "class9-unload-event-unheard",
        "a session stopped by a reload or an options change emits its terminal event",
        f"{PM}/__init__.py",
        "    entry.runtime_data.async_end_session_for_unload()\n",
        "",
        CLASS_TESTS,
    ),
    M(
        "class10-raw-type-error",
        "a wrong type in a number field is a validation error, not a raw TypeError",
        SERVICES,
        "    if isinstance(value, bool) or not isinstance(value, int | float | str):\n",
        "    if isinstance(value, bool):\n",
        CLASS_TESTS,
    ),
    M(
        "class10-untranslated-refusal",
        "a malformed service call is refused with a translated validation error",
        SERVICES,
        "        except probatio.Invalid as err:\n            field =",
        "        except KeyError as err:\n            field =",
        CLASS_TESTS,
    ),
    M(
        "class10-infinite-accepted",
        "NaN and infinities are refused as numbers (inf repetitions raised OverflowError)",
        SERVICES,
        "    if not math.isfinite(number):\n"
        '        raise probatio.Invalid("expected a finite number")\n',
        "",
        CLASS_TESTS,
    ),
    M(
        "class10-number-as-name",
        "a routine, zone or device must be named by a string",
        SERVICES,
        "    if not isinstance(value, str):\n"
        '        raise probatio.Invalid(f"expected a name, got {type(value).__name__}")\n',
        "",
        CLASS_TESTS,
    ),
    M(
        "class8-mask-fault-keeps-acknowledgement",
        "a safety fault the mask detects revokes the acknowledgement",
        COORDINATOR,
        "            if fault_revokes_acknowledgement(fault):\n"
        "                self._async_safety_fault(",
        "            if False:\n                self._async_safety_fault(",
        CLASS_TESTS,
    ),
    M(
        "class8-stuck-sensor-not-a-safety-fault",
        "a stuck sensor is a safety fault",
        SAFETY,
        "        FaultCode.SENSOR_STUCK,\n",
        "",
        CLASS_TESTS,
    ),
    M(
        "class8-expired-acknowledgement-shows-on",
        "an expired acknowledgement shows off on the switch",
        COORDINATOR,
        "        return self.history.acknowledged_at is not None and not acknowledgement_expired(\n"
        "            self.history.acknowledged_at, self.limits, dt_util.utcnow()\n"
        "        )\n",
        "        return self.history.acknowledged_at is not None\n",
        CLASS_TESTS,
    ),
    M(
        "class8-expiry-not-announced",
        "the switch turns off the moment the acknowledgement expires",
        COORDINATOR,
        "        self._timers.pop(_Timer.BOUNDARY, None)\n        self.async_update_listeners()\n",
        "        self._timers.pop(_Timer.BOUNDARY, None)\n",
        CLASS_TESTS,
    ),
)


def copy_tree(source: Path, destination: Path) -> None:
    """A copy of the exported committed tree, with the built environment linked in."""
    shutil.copytree(source, destination, symlinks=True)
    (destination / ".cache").symlink_to(ROOT / ".cache")


class StaleMutantError(Exception):
    """A mutant that cannot be applied to a tree: the reason is the message."""


def mutated(mutant: Mutant, tree: Path) -> str:
    """The mutant's file in `tree` with the mutant applied, checked to compile; nothing written.

    Raises StaleMutantError if the file is missing, the snippet is not found exactly once, or
    the mutated file does not compile. tests/test_mutants_apply.py runs this on every mutant.
    """
    path = tree / mutant.path
    if not path.is_file():
        raise StaleMutantError(f"{mutant.path} does not exist")
    source = path.read_text(encoding="utf-8")
    count = source.count(mutant.original)
    if count != 1:
        raise StaleMutantError(
            f"original snippet found {count} times in {mutant.path} (need exactly 1)"
        )
    text = source.replace(mutant.original, mutant.replacement)
    try:
        compile(text, str(path), "exec")
    except SyntaxError as err:
        raise StaleMutantError(f"the mutated file does not compile: {err}") from err
    return text


def apply(mutant: Mutant, tree: Path) -> str | None:
    """Apply the mutant in `tree`; the reason it cannot be applied, or None."""
    try:
        text = mutated(mutant, tree)
    except StaleMutantError as err:
        return str(err)
    (tree / mutant.path).write_text(text, encoding="utf-8")
    return None


def run_pytest(
    tree: Path, tests: tuple[str, ...], extra: tuple[str, ...] = ()
) -> tuple[int | None, str, float]:
    """Run the selection in `tree`: (exit code or None on timeout, report lines, seconds).

    The report lines are pytest's FAILED/ERROR summary lines, or the output's tail without any.
    """
    started = time.monotonic()
    try:
        completed = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [str(tree / "scripts" / "run"), *PYTEST, *extra, *tests],
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, "", time.monotonic() - started
    output = (completed.stdout + completed.stderr).strip().splitlines()
    failed = [line for line in output if re.match(r"(FAILED|ERROR) tests/", line)]
    return completed.returncode, "\n".join(failed or output[-15:]), time.monotonic() - started


def node_id(report_line: str) -> str:
    """The test id of a pytest FAILED/ERROR summary line."""
    return report_line.removeprefix("FAILED ").removeprefix("ERROR ").split(" - ")[0]


@dataclass(frozen=True, slots=True)
class Baseline:
    """A selection on the unmutated tree. Tests failing there cannot kill a mutant."""

    result: Result
    # Deselected in the mutant runs; None if the selection cannot run at all.
    failing: tuple[str, ...] | None


def run_baseline(selection: tuple[str, ...], source: Path, workdir: Path) -> Baseline:
    """Run the whole selection (no -x) and list the tests that fail without any mutant."""
    name = "BASELINE " + " ".join(selection)
    tree = workdir / f"baseline-{abs(hash(selection))}"
    copy_tree(source, tree)
    try:
        code, report, seconds = run_pytest(tree, selection, ("--maxfail=1000",))
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    if code == 0:
        return Baseline(Result(name, Outcome.PASSED, seconds), ())
    failing = tuple(dict.fromkeys(node_id(line) for line in report.splitlines()))
    runnable = code == 1 and failing and all("::" in test for test in failing)
    return Baseline(Result(name, Outcome.FAILED, seconds, report), failing if runnable else None)


def run_mutant(mutant: Mutant, source: Path, workdir: Path, deselect: tuple[str, ...]) -> Result:
    """Copy, mutate, test (without the baseline's failing tests), classify."""
    tree = workdir / mutant.id
    copy_tree(source, tree)
    try:
        problem = apply(mutant, tree)
        if problem is not None:
            return Result(mutant.id, Outcome.STALE, 0.0, problem)
        extra = tuple(arg for test in deselect for arg in ("--deselect", test))
        code, report, seconds = run_pytest(tree, mutant.tests, extra)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    if code is None:
        outcome = Outcome.TIMEOUT
    elif code == 0:
        outcome = Outcome.SURVIVED
    elif code == 1 and report.startswith(("FAILED tests/", "ERROR tests/")):
        outcome = Outcome.KILLED
    else:  # 2 collection error, 4 usage error, 5 no tests, or a crash that names no test
        outcome = Outcome.ERROR
    return Result(mutant.id, outcome, seconds, report)


def print_table(mutants: tuple[Mutant, ...], results: dict[str, Result]) -> None:
    """One line per mutant: outcome, seconds, id, rule, and the test that killed it."""
    print(f"\n{'outcome':<9} {'s':>5}  {'mutant':<42} rule")
    for mutant in mutants:
        result = results[mutant.id]
        print(f"{result.outcome:<9} {result.seconds:5.0f}  {mutant.id:<42} {mutant.rule}")
        if result.outcome is Outcome.KILLED and result.detail:
            print(f"{'':<17}by {node_id(result.detail.splitlines()[0])}")
    counts = dict.fromkeys(Outcome, 0)
    for mutant in mutants:
        counts[results[mutant.id].outcome] += 1
    print(", ".join(f"{count} {outcome.lower()}" for outcome, count in counts.items() if count))


def main(argv: list[str] | None = None) -> int:
    """Run the selected mutants; 0 only if every one was killed on a passing baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-k", action="append", default=[], help="only mutants matching (id/rule)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="mutants run in parallel")
    parser.add_argument("--list", action="store_true", help="print the table and exit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated runs")
    parser.add_argument(
        "--tests", nargs="+", help="run these tests for every mutant instead of its selection"
    )
    parser.add_argument(
        "--tree", type=Path, required=True, help="the committed tree to mutate (git archive HEAD)"
    )
    parser.add_argument("--commit", required=True, help="the commit --tree was exported from")
    args = parser.parse_args(argv)

    mutants = tuple(
        mutant
        for mutant in MUTANTS
        if not args.k or any(k in mutant.id or k in mutant.rule for k in args.k)
    )
    if args.tests:
        mutants = tuple(replace(mutant, tests=tuple(args.tests)) for mutant in mutants)
    if args.list:
        for mutant in mutants:
            print(f"{mutant.id:<42} {mutant.path.removeprefix(PM + '/'):<22} {mutant.rule}")
        return 0

    print(f"mutating commit {args.commit} ({len(mutants)} mutants)", flush=True)
    failed = False
    results: dict[str, Result] = {}
    with (
        tempfile.TemporaryDirectory(prefix="pm-mutants-") as tmp,
        ThreadPoolExecutor(max(1, args.jobs)) as pool,
    ):
        workdir = Path(tmp)
        deselect: dict[tuple[str, ...], tuple[str, ...] | None] = {}
        if not args.no_baseline:
            selections = sorted({mutant.tests for mutant in mutants})
            runs = pool.map(
                lambda selection: run_baseline(selection, args.tree, workdir), selections
            )
            for selection, baseline in zip(selections, runs, strict=True):
                deselect[selection] = baseline.failing
                result = baseline.result
                print(f"{result.outcome:<9} {result.seconds:5.0f}  {result.name}", flush=True)
                if result.outcome is not Outcome.PASSED:
                    failed = True
                    verdict = "deselected" if baseline.failing is not None else "cannot run"
                    print(f"    {verdict}:\n    " + result.detail.replace("\n", "\n    "))

        def run(mutant: Mutant) -> Result:
            skip = deselect.get(mutant.tests, ())
            if skip is None:
                return Result(mutant.id, Outcome.ERROR, 0.0, "its selection fails unmutated")
            return run_mutant(mutant, args.tree, workdir, skip)

        for result in pool.map(run, mutants):
            results[result.name] = result
            print(f"{result.outcome:<9} {result.seconds:5.0f}  {result.name}", flush=True)
            if result.outcome is not Outcome.KILLED and result.detail:
                print("    " + result.detail.replace("\n", "\n    "))
    print_table(mutants, results)
    failed = failed or any(result.outcome is not Outcome.KILLED for result in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
