"""The safety policy: limits, their ceilings, and the rules every session start must pass.

This module is the specification. It does no I/O and knows nothing of Home Assistant; the
coordinator asks it before every command that could put pressure on a face, and the tests read
it rule by rule (tests/test_safety_policy.py).

Principles:

- Reject, never clamp. A request that breaks a rule is refused whole, with the rule and the
  numbers that explain it; nothing is sent to the mask. A clamped request would run a session
  the person did not ask for.
- Limits are set only in the options flow, each bounded by a ceiling (`LIMIT_RANGES`). Entities
  and services choose values *within* the limits; none of them can change a limit.
- Stop and vent are never checked. They must work in every state: without the acknowledgement,
  during cooldown, with a fault, while refusing everything else. Nothing here may gate them.
- The mask enforces its own copy of the limits (`to_device_limits`) and its absolute ceilings;
  this policy is the host's half of a double check, not the only one.

The numbers and their sources are in docs/safety.md (research: shared/research/safety_domain.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
import math
from typing import TYPE_CHECKING, Final, Self, cast

from .mask_ble.codec import DeviceLimits, as_encoded_pressure, as_encoded_step
from .mask_ble.const import (
    FACE_CEILING_MMHG,
    MAX_CONTINUOUS_PRESSURE_S,
    NECK_CEILING_MMHG,
    SENSITIVE_MAX_PRESSURISED_S,
    SENSITIVE_MIN_RELEASE_S,
    UNDER_EYE_CEILING_MMHG,
    VENT_SAFE_MMHG,
    FaultCode,
    Zone,
)
from .mask_ble.routines import (
    BUILTIN_ROUTINES,
    Routine,
    RoutineError,
    Step,
    steps_duration_s,
    validate_routine,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

# --- Timing constants ------------------------------------------------------------------------

# After Stop, the mask must confirm within this time; otherwise the host sends Vent and raises a
# fault.
STOP_CONFIRM_TIMEOUT_S: Final = 2
# A session armed remotely that nobody confirms with the mask button is cancelled after this.
ARM_EXPIRY_S: Final = 120
# Measured pressure may overshoot the zone limit by this much (sensor noise, ramp overshoot);
# beyond it the host vents at once. Same margin as the mask firmware's own check.
OVER_PRESSURE_TOLERANCE_MMHG: Final = 3.0

# --- Fixed rules (not options) ----------------------------------------------------------------

# Under-eye and neck holds stay shorter than the 5-10 s of a carotid sinus massage test and keep
# pressure off the eye briefly; every built-in routine holds these zones for 3 s.
SENSITIVE_ZONES: Final = frozenset({Zone.UNDER_EYE, Zone.NECK})
SENSITIVE_ZONE_MAX_HOLD_S: Final = 3.0
# Inflate plus hold is the time a bladder stays pressurised in one repetition; the mask vents any
# bladder pressurised for longer than this, so the host refuses such a step up front.
MAX_PRESSURISED_S: Final = MAX_CONTINUOUS_PRESSURE_S
# The per-step hold limit does not bound continuous pressure: `release: 0` between repetitions, or
# consecutive steps joined by short releases, keep a bladder pressurised. So a sensitive zone is
# pressurised for at most this long in a row (inflate, hold, and everything until a release long
# enough to vent), still under the 5-10 s of a carotid sinus massage test...
SENSITIVE_ZONE_MAX_CONTINUOUS_S: Final = SENSITIVE_MAX_PRESSURISED_S
# ...and every sensitive-zone repetition releases for at least as long as it held (the research's
# recommendation), and never less than the mask's vent deadline: only a release that long is
# sure to bring the bladder below VENT_SAFE_MMHG. Shorter releases do not end a run of pressure.
SENSITIVE_ZONE_MIN_RELEASE_S: Final = SENSITIVE_MIN_RELEASE_S


# --- Limits -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    """The person's limits, set in the options flow. Defaults are the conservative ones."""

    face_max_mmhg: float = 30.0
    under_eye_max_mmhg: float = 15.0
    neck_max_mmhg: float = 20.0
    max_session_min: int = 10
    cooldown_min: int = 20
    max_sessions_per_day: int = 2
    # None: the acknowledgement never expires.
    acknowledgement_expiry_days: int | None = None
    # A session started from Home Assistant only arms the mask; the wearer presses its button.
    require_button_for_remote_start: bool = True

    @classmethod
    def from_options(cls, options: Mapping[str, object]) -> Self:
        """Limits from config entry options; missing fields take their defaults.

        Raises InvalidLimitsError for stored values the options flow would have refused: the
        integration must not run with limits nobody validated.
        """
        errors = validate_limits(options)
        if errors:
            raise InvalidLimitsError(errors)
        merged = {**cls().to_options(), **options}
        expiry = merged["acknowledgement_expiry_days"]
        return cls(
            face_max_mmhg=float(cast("float", merged["face_max_mmhg"])),
            under_eye_max_mmhg=float(cast("float", merged["under_eye_max_mmhg"])),
            neck_max_mmhg=float(cast("float", merged["neck_max_mmhg"])),
            max_session_min=int(cast("float", merged["max_session_min"])),
            cooldown_min=int(cast("float", merged["cooldown_min"])),
            max_sessions_per_day=int(cast("float", merged["max_sessions_per_day"])),
            acknowledgement_expiry_days=None if expiry is None else int(cast("float", expiry)),
            require_button_for_remote_start=bool(merged["require_button_for_remote_start"]),
        )

    def to_options(self) -> dict[str, object]:
        """The options mapping that from_options reads back."""
        return asdict(self)

    def to_device_limits(self) -> DeviceLimits:
        """The copy of these limits the mask stores and enforces itself."""
        return DeviceLimits(
            face_max_mmhg=self.face_max_mmhg,
            under_eye_max_mmhg=self.under_eye_max_mmhg,
            neck_max_mmhg=self.neck_max_mmhg,
            max_session_s=self.max_session_min * 60,
            cooldown_s=self.cooldown_min * 60,
            require_button=self.require_button_for_remote_start,
        )

    @property
    def max_session_s(self) -> int:
        """The maximum session duration in seconds."""
        return self.max_session_min * 60


class InvalidLimitsError(ValueError):
    """Stored limits break their ranges; `errors` maps each field to its error key."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        """Keep the errors for the log and diagnostics."""
        super().__init__(f"invalid limits: {dict(errors)}")
        self.errors = dict(errors)


@dataclass(frozen=True, slots=True)
class LimitRange:
    """The values the options flow accepts for one limit, both ends included."""

    minimum: float
    maximum: float


# The bounds of every numeric limit. The maxima are the ceilings no option may exceed.
LIMIT_RANGES: Final[Mapping[str, LimitRange]] = {
    # Pressure ceilings are the mask's own absolute ceilings (research: 40 mmHg face, where limb
    # compression stops adding benefit; 20 mmHg near the eye; 25 mmHg on the neck). Below
    # VENT_SAFE_MMHG a bladder counts as vented, so a lower limit would mean nothing.
    "face_max_mmhg": LimitRange(VENT_SAFE_MMHG, FACE_CEILING_MMHG),
    "under_eye_max_mmhg": LimitRange(VENT_SAFE_MMHG, UNDER_EYE_CEILING_MMHG),
    "neck_max_mmhg": LimitRange(VENT_SAFE_MMHG, NECK_CEILING_MMHG),
    # 20 min is the mask's hard cap (research: eye massagers stop at 10-15 min, thermal eye masks
    # at 20 min).
    "max_session_min": LimitRange(1, 20),
    # Longer is safer, so the floor is the safety bound: at least 20 min between sessions (the
    # periocular thermal-mask rule). 12 h is the longest useful pause between a morning and an
    # evening session and fits the mask's 16-bit cooldown in seconds.
    "cooldown_min": LimitRange(20, 12 * 60),
    # Research found no authoritative daily cap; cautious compression guidance allows 1-2 a day.
    # 4 leaves room for short sessions without inviting all-day use.
    "max_sessions_per_day": LimitRange(1, 4),
    # The research proposes a new acknowledgement every 30 days; a year is the longest choice.
    "acknowledgement_expiry_days": LimitRange(1, 365),
}

LIMIT_CEILINGS: Final[Mapping[str, float]] = {
    name: bounds.maximum for name, bounds in LIMIT_RANGES.items()
}

_WHOLE_NUMBER_FIELDS: Final = frozenset(
    {"max_session_min", "cooldown_min", "max_sessions_per_day", "acknowledgement_expiry_days"}
)
_OPTIONAL_FIELDS: Final = frozenset({"acknowledgement_expiry_days"})
_BOOLEAN_FIELDS: Final = frozenset({"require_button_for_remote_start"})


class LimitError(StrEnum):
    """Why the options flow refuses a limit. Values are the options flow's error keys."""

    NOT_A_NUMBER = "not_a_number"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    BELOW_MINIMUM = "below_minimum"
    ABOVE_CEILING = "above_ceiling"
    NOT_A_BOOLEAN = "not_a_boolean"
    TOO_PRECISE = "too_precise"


# Pressure limits travel to the mask in steps of 0.1 mmHg: only values that encode exactly are
# accepted, so the limits the mask stores are the limits the person set.
_PRESSURE_FIELDS: Final = frozenset({"face_max_mmhg", "under_eye_max_mmhg", "neck_max_mmhg"})


def validate_limits(options: Mapping[str, object]) -> dict[str, str]:
    """Map each invalid field in `options` to its LimitError key; empty when all are valid.

    Fields that are absent keep their defaults; keys that are not limits are ignored.
    """
    errors: dict[str, str] = {}
    for name in _BOOLEAN_FIELDS & options.keys():
        if not isinstance(options[name], bool):
            errors[name] = LimitError.NOT_A_BOOLEAN
    for name, bounds in LIMIT_RANGES.items():
        if name not in options or (options[name] is None and name in _OPTIONAL_FIELDS):
            continue
        value = options[name]
        error = _range_error(value, bounds, whole=name in _WHOLE_NUMBER_FIELDS)
        if error is None and name in _PRESSURE_FIELDS:
            error = _encoding_error(cast("float", value))
        if error is not None:
            errors[name] = error
    return errors


def _encoding_error(pressure_mmhg: float) -> LimitError | None:
    if as_encoded_pressure(pressure_mmhg) != pressure_mmhg:
        return LimitError.TOO_PRECISE
    return None


def _range_error(value: object, bounds: LimitRange, *, whole: bool) -> LimitError | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return LimitError.NOT_A_NUMBER
    if whole and value != int(value):
        return LimitError.NOT_A_WHOLE_NUMBER
    if value < bounds.minimum:
        return LimitError.BELOW_MINIMUM
    if value > bounds.maximum:
        return LimitError.ABOVE_CEILING
    return None


def zone_limit_mmhg(limits: Limits, zone: Zone) -> float:
    """The highest target pressure a step on `zone` may ask for (0 for a step without a zone)."""
    if zone is Zone.NONE:
        return 0.0
    if zone is Zone.UNDER_EYE:
        return limits.under_eye_max_mmhg
    if zone is Zone.NECK:
        return limits.neck_max_mmhg
    return limits.face_max_mmhg


# --- Session start ----------------------------------------------------------------------------


class RefusalRule(StrEnum):
    """The rule a refused start broke. Values are translation keys (exceptions.<key>)."""

    ACKNOWLEDGEMENT_REQUIRED = "acknowledgement_required"
    ACKNOWLEDGEMENT_EXPIRED = "acknowledgement_expired"
    FAULT_ACTIVE = "fault_active"
    SESSION_ALREADY_RUNNING = "session_already_running"
    UNKNOWN_ROUTINE = "unknown_routine"
    INVALID_VALUE = "invalid_value"
    PRESSURE_OVER_LIMIT = "pressure_over_limit"
    HOLD_OVER_LIMIT = "hold_over_limit"
    PRESSURISED_TOO_LONG = "pressurised_too_long"
    RELEASE_TOO_SHORT = "release_too_short"
    CONTINUOUS_PRESSURE_TOO_LONG = "continuous_pressure_too_long"
    DURATION_OVER_LIMIT = "duration_over_limit"
    ROUTINE_TOO_LONG = "routine_too_long"
    COOLDOWN_ACTIVE = "cooldown_active"
    DAILY_CAP_REACHED = "daily_cap_reached"


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """What someone asked for: a built-in routine by key, or custom steps, and overrides.

    pressure_mmhg, when given, is the target for every face step (forehead, temples, cheeks,
    jaw). Under-eye and neck steps keep the routine's own pressure, lowered to the override if
    the override is lower: an override makes a session gentler everywhere, and never makes the
    sensitive zones firmer. Every resulting step must still be within its zone limit.

    duration_min, when given, is the session's deadline: the mask and the host stop the session
    then. Without it the deadline is the configured maximum. The routine must fit in it: a
    routine longer than its session is refused, not cut short (the mask refuses it too).
    """

    routine_key: str | None = None
    custom_steps: tuple[Step, ...] | None = None
    pressure_mmhg: float | None = None
    duration_min: float | None = None


@dataclass(frozen=True, slots=True)
class SafetyContext:
    """What the coordinator knows at the moment of the request. `now` is timezone-aware."""

    now: datetime
    acknowledged: bool
    acknowledged_at: datetime | None = None
    last_session_end: datetime | None = None
    sessions_today: int = 0
    fault_active: bool = False
    session_running: bool = False


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """Exactly what the coordinator sends to the mask when a start is allowed.

    `max_duration_s` is the session duration the person chose (the deadline the mask gets);
    the routine runs its steps and repetitions, so it may end before it: `planned_s`.
    """

    routine_key: str
    steps: tuple[Step, ...]
    max_duration_s: int
    await_button: bool

    @property
    def planned_s(self) -> int:
        """How long the mask runs the routine, whole seconds rounded up as it reports them."""
        return math.ceil(steps_duration_s(self.steps))


@dataclass(frozen=True, slots=True)
class Decision:
    """Yes with a plan, or no with the rule and the numbers that explain it."""

    allowed: bool
    rule: RefusalRule | None = None
    placeholders: Mapping[str, str] = field(default_factory=dict)
    plan: SessionPlan | None = None

    @classmethod
    def allow(cls, plan: SessionPlan) -> Self:
        """The start may go ahead exactly as planned."""
        return cls(allowed=True, plan=plan)

    @classmethod
    def refuse(cls, rule: RefusalRule, **placeholders: str) -> Self:
        """The start is refused; the placeholders fill the rule's translated message."""
        return cls(allowed=False, rule=rule, placeholders=placeholders)


CUSTOM_ROUTINE_KEY: Final = "custom"
# The shortest session anyone may ask for; it also keeps the deadline a whole number of seconds
# above zero.
MIN_SESSION_MIN: Final = 1


def check_session_start(
    request: SessionRequest, limits: Limits, context: SafetyContext
) -> Decision:
    """Decide whether a session may start; the first rule broken is the reason.

    The person comes first (acknowledgement), then the mask's state, then the request itself,
    then the pacing rules (cooldown, daily cap).
    """
    refusal = _check_person_and_mask(limits, context)
    if refusal is not None:
        return refusal
    routine = _requested_routine(request)
    if isinstance(routine, Decision):
        return routine
    refusal = _check_overrides(request, limits)
    if refusal is not None:
        return refusal
    duration_min = limits.max_session_min if request.duration_min is None else request.duration_min
    # Every check below reads the values exactly as the mask will decode them (whole seconds,
    # milliseconds, SFLOAT pressures): what the host checks is what it sends.
    max_duration_s = math.floor(duration_min * 60)
    requested = apply_pressure_override(routine.steps, request.pressure_mmhg)
    refusal = _check_step_pressures(requested, limits) or _check_step_structure(requested)
    if refusal is not None:
        return refusal
    steps = tuple(as_encoded_step(step) for step in requested)
    refusal = (
        _check_step_timing(steps)
        or _check_routine_length(routine.key, steps, max_duration_s)
        or _check_pacing(limits, context)
    )
    if refusal is not None:
        return refusal

    return Decision.allow(
        SessionPlan(
            routine_key=routine.key,
            steps=steps,
            max_duration_s=max_duration_s,
            await_button=limits.require_button_for_remote_start,
        )
    )


def check_start_conditions(limits: Limits, context: SafetyContext) -> Decision | None:
    """The refusal any start would get now, whatever it asks for; None if one may start.

    The same rules check_session_start applies before and after it checks the request: the
    readiness entity shows this, so it can never promise a start the policy would refuse.
    """
    return _check_person_and_mask(limits, context) or _check_pacing(limits, context)


def _check_person_and_mask(limits: Limits, context: SafetyContext) -> Decision | None:
    if not context.acknowledged:
        return Decision.refuse(RefusalRule.ACKNOWLEDGEMENT_REQUIRED)
    if acknowledgement_expired(context.acknowledged_at, limits, context.now):
        return Decision.refuse(
            RefusalRule.ACKNOWLEDGEMENT_EXPIRED,
            expiry_days=str(limits.acknowledgement_expiry_days),
        )
    if context.fault_active:
        return Decision.refuse(RefusalRule.FAULT_ACTIVE)
    if context.session_running:
        return Decision.refuse(RefusalRule.SESSION_ALREADY_RUNNING)
    return None


def _check_pacing(limits: Limits, context: SafetyContext) -> Decision | None:
    cooldown_ends = cooldown_ends_at(context.last_session_end, limits)
    if cooldown_ends is not None and context.now < cooldown_ends:
        remaining_min = math.ceil((cooldown_ends - context.now).total_seconds() / 60)
        return Decision.refuse(
            RefusalRule.COOLDOWN_ACTIVE,
            # Shown in the time zone of `now`: the person's local time, not the stored UTC.
            cooldown_ends=cooldown_ends.astimezone(context.now.tzinfo).strftime("%H:%M"),
            remaining_min=str(remaining_min),
            cooldown_min=str(limits.cooldown_min),
        )
    if context.sessions_today >= limits.max_sessions_per_day:
        return Decision.refuse(
            RefusalRule.DAILY_CAP_REACHED,
            sessions_today=str(context.sessions_today),
            max_sessions_per_day=str(limits.max_sessions_per_day),
        )
    return None


def _requested_routine(request: SessionRequest) -> Routine | Decision:
    if request.custom_steps is not None:
        if request.routine_key is not None:
            return Decision.refuse(
                RefusalRule.INVALID_VALUE, field="routine", value="both a routine and custom steps"
            )
        return Routine(CUSTOM_ROUTINE_KEY, tuple(request.custom_steps))
    routine = BUILTIN_ROUTINES.get(request.routine_key or "")
    if routine is None:
        return Decision.refuse(RefusalRule.UNKNOWN_ROUTINE, routine=str(request.routine_key))
    return routine


def _check_overrides(request: SessionRequest, limits: Limits) -> Decision | None:
    pressure, duration = request.pressure_mmhg, request.duration_min
    if pressure is not None and not (_is_number(pressure) and pressure > 0):
        return Decision.refuse(
            RefusalRule.INVALID_VALUE, field="pressure_mmhg", value=str(pressure)
        )
    if duration is None:
        return None
    if not (_is_number(duration) and duration >= MIN_SESSION_MIN):
        return Decision.refuse(RefusalRule.INVALID_VALUE, field="duration_min", value=str(duration))
    if duration > limits.max_session_min:
        return Decision.refuse(
            RefusalRule.DURATION_OVER_LIMIT,
            duration_min=_number(duration),
            limit_min=str(limits.max_session_min),
        )
    return None


def apply_pressure_override(steps: Iterable[Step], pressure_mmhg: float | None) -> tuple[Step, ...]:
    """Steps with the override applied as SessionRequest describes (unchanged without one)."""
    if pressure_mmhg is None:
        return tuple(steps)
    return tuple(_override_step(step, pressure_mmhg) for step in steps)


def _override_step(step: Step, pressure_mmhg: float) -> Step:
    if step.zone is Zone.NONE:
        return step
    if step.zone in SENSITIVE_ZONES:
        return replace(step, pressure_mmhg=min(step.pressure_mmhg, pressure_mmhg))
    return replace(step, pressure_mmhg=pressure_mmhg)


def _check_step_pressures(steps: tuple[Step, ...], limits: Limits) -> Decision | None:
    for step in steps:
        # Steps arrive from services and automations; do not trust the annotations.
        if not isinstance(cast("object", step.zone), Zone):
            return Decision.refuse(RefusalRule.INVALID_VALUE, field="zone", value=str(step.zone))
        if not (_is_number(step.pressure_mmhg) and step.pressure_mmhg >= 0):
            return Decision.refuse(
                RefusalRule.INVALID_VALUE, field="pressure_mmhg", value=str(step.pressure_mmhg)
            )
        limit_mmhg = zone_limit_mmhg(limits, step.zone)
        # The pressure the mask would receive (0.1 mmHg steps) must be within the limit too.
        if step.pressure_mmhg > limit_mmhg or as_encoded_pressure(step.pressure_mmhg) > limit_mmhg:
            return Decision.refuse(
                RefusalRule.PRESSURE_OVER_LIMIT,
                zone=zone_name(step.zone),
                pressure_mmhg=_number(step.pressure_mmhg),
                limit_mmhg=_number(limit_mmhg),
            )
    return None


def _check_step_structure(steps: tuple[Step, ...]) -> Decision | None:
    try:
        validate_routine(Routine(CUSTOM_ROUTINE_KEY, steps))
    except RoutineError as err:
        return Decision.refuse(RefusalRule.INVALID_VALUE, field="steps", value=str(err))
    return None


def _check_step_timing(steps: tuple[Step, ...]) -> Decision | None:
    for step in steps:
        if step.zone in SENSITIVE_ZONES and step.hold_s > SENSITIVE_ZONE_MAX_HOLD_S:
            return Decision.refuse(
                RefusalRule.HOLD_OVER_LIMIT,
                zone=zone_name(step.zone),
                hold_s=_number(step.hold_s),
                limit_s=_number(SENSITIVE_ZONE_MAX_HOLD_S),
            )
        pressurised_s = step.inflate_s + step.hold_s
        if step.zone is not Zone.NONE and pressurised_s > MAX_PRESSURISED_S:
            return Decision.refuse(
                RefusalRule.PRESSURISED_TOO_LONG,
                zone=zone_name(step.zone),
                pressurised_s=_number(pressurised_s),
                limit_s=_number(MAX_PRESSURISED_S),
            )
        min_release_s = max(step.hold_s, SENSITIVE_ZONE_MIN_RELEASE_S)
        if step.zone in SENSITIVE_ZONES and step.release_s < min_release_s:
            return Decision.refuse(
                RefusalRule.RELEASE_TOO_SHORT,
                zone=zone_name(step.zone),
                release_s=_number(step.release_s),
                min_release_s=_number(min_release_s),
            )
    return _check_continuous_pressure(steps)


def _check_continuous_pressure(steps: tuple[Step, ...]) -> Decision | None:
    """No sensitive zone stays pressurised longer than the bound, across repetitions and steps.

    The routine is walked as the mask runs it. A run of pressure starts with the inflation of a
    bladder and lasts until a release of at least SENSITIVE_ZONE_MIN_RELEASE_S; shorter releases,
    and the phases of breathing steps (the valve stays shut), continue it.
    """
    run_s = 0.0
    sensitive: Zone | None = None
    for step in steps:
        presses = step.zone is not Zone.NONE and step.pressure_mmhg > 0
        for _ in range(step.repetitions):
            if presses or run_s > 0:
                run_s += step.inflate_s + step.hold_s
            if presses and step.zone in SENSITIVE_ZONES:
                sensitive = sensitive or step.zone
            if sensitive is not None and run_s > SENSITIVE_ZONE_MAX_CONTINUOUS_S:
                return Decision.refuse(
                    RefusalRule.CONTINUOUS_PRESSURE_TOO_LONG,
                    zone=zone_name(sensitive),
                    pressurised_s=_number(round(run_s, 3)),
                    limit_s=_number(SENSITIVE_ZONE_MAX_CONTINUOUS_S),
                    min_release_s=_number(SENSITIVE_ZONE_MIN_RELEASE_S),
                )
            if step.release_s >= SENSITIVE_ZONE_MIN_RELEASE_S:
                run_s, sensitive = 0.0, None
            elif run_s > 0:
                run_s += step.release_s
    return None


def _check_routine_length(
    routine_key: str, steps: tuple[Step, ...], max_duration_s: int
) -> Decision | None:
    # A routine its session would cut short is refused, never truncated: the person chose a
    # routine, not the part of it that fits (and the mask refuses such a start itself). The
    # deadline is the whole seconds the mask receives, not the minutes asked for.
    routine_s = steps_duration_s(steps)
    if routine_s > max_duration_s:
        return Decision.refuse(
            RefusalRule.ROUTINE_TOO_LONG,
            routine=routine_key,
            # Rounded up: a routine a fraction of a second too long never reads as fitting.
            routine_duration=format_duration(math.ceil(routine_s)),
            session_duration=format_duration(max_duration_s),
        )
    return None


def acknowledgement_expired(
    acknowledged_at: datetime | None, limits: Limits, now: datetime
) -> bool:
    """Whether the acknowledgement no longer counts.

    It never expires without a configured expiry. With one, an acknowledgement without a recorded
    time cannot be dated, so it counts as expired.
    """
    if limits.acknowledgement_expiry_days is None:
        return False
    expires_at = acknowledgement_expires_at(acknowledged_at, limits)
    return expires_at is None or now >= expires_at


def acknowledgement_expires_at(acknowledged_at: datetime | None, limits: Limits) -> datetime | None:
    """When the acknowledgement stops counting; None if it never does (or was not given)."""
    if acknowledged_at is None or limits.acknowledgement_expiry_days is None:
        return None
    return acknowledged_at + timedelta(days=limits.acknowledgement_expiry_days)


# Mask faults that say the pressure on the face was, or may have been, wrong (or unseen). Each of
# them turns the acknowledgement off, as every host safety fault does: the person must look at
# what happened before the next session. Link, heartbeat and battery faults say nothing about the
# pressure (the mask vented because it lost its host or its power), so they leave it on.
SAFETY_FAULT_CODES: Final = frozenset(
    {
        FaultCode.OVER_PRESSURE,
        FaultCode.SENSOR_STUCK,
        FaultCode.LEAK,
        FaultCode.HARDWARE_TRIP,
        FaultCode.PRESSURE_DWELL,
    }
)


def fault_revokes_acknowledgement(fault: FaultCode | None) -> bool:
    """Whether a fault the mask reports turns the acknowledgement off (host faults always do)."""
    return fault in SAFETY_FAULT_CODES


def cooldown_ends_at(last_session_end: datetime | None, limits: Limits) -> datetime | None:
    """When the next session may start; None if no session has ended yet."""
    if last_session_end is None:
        return None
    return last_session_end + timedelta(minutes=limits.cooldown_min)


def session_deadline(started_at: datetime, duration_s: float) -> datetime:
    """When the host stops a session that started at `started_at`, whatever the mask says."""
    return started_at + timedelta(seconds=duration_s)


# --- Live supervision -------------------------------------------------------------------------


class SupervisionVerdict(StrEnum):
    """What the host does with one status notification."""

    WITHIN_LIMITS = "within_limits"
    OVER_PRESSURE = "over_pressure"
    UNREADABLE_PRESSURE = "unreadable_pressure"

    @property
    def vent_now(self) -> bool:
        """Vent, stop, raise a fault and revoke the acknowledgement, at once."""
        return self is not SupervisionVerdict.WITHIN_LIMITS


def status_limit_mmhg(zone: Zone, limits: Limits) -> float:
    """The limit a measured pressure is held to: its zone's, or the highest without a zone."""
    if zone is Zone.NONE:
        return max(limits.face_max_mmhg, limits.under_eye_max_mmhg, limits.neck_max_mmhg)
    return zone_limit_mmhg(limits, zone)


def check_status(status_pressure_mmhg: float, zone: Zone, limits: Limits) -> SupervisionVerdict:
    """Check one measured pressure against the limit of the zone the mask reports.

    A status without a zone (idle, breathing steps, between steps) cannot say which bladder holds
    the pressure, so it is held to the highest zone limit. A reading that is not a number is
    treated like over-pressure: the host cannot see the pressure, so it vents.
    """
    if not _is_number(status_pressure_mmhg):
        return SupervisionVerdict.UNREADABLE_PRESSURE
    if status_pressure_mmhg > status_limit_mmhg(zone, limits) + OVER_PRESSURE_TOLERANCE_MMHG:
        return SupervisionVerdict.OVER_PRESSURE
    return SupervisionVerdict.WITHIN_LIMITS


# --- Formatting for messages ------------------------------------------------------------------


def zone_name(zone: Zone) -> str:
    """A zone as people write it: 'under eye', 'neck'."""
    return zone.name.lower().replace("_", " ")


def format_duration(seconds: float) -> str:
    """A duration as people read it: 5 min 54 s, 10 min, 45 s (never "354.00 s").

    The units read the same in every language the integration ships.
    """
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _number(value: float) -> str:
    """30.0 -> '30', 12.5 -> '12.5'."""
    return f"{value:g}"
