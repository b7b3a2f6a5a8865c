"""The safety policy, rule by rule. Each test fails if the rule it names is removed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import math
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.pressure_mask.mask_ble.codec import DeviceLimits
from custom_components.pressure_mask.mask_ble.const import (
    DEVICE_CEILING_MMHG,
    DEVICE_MAX_SESSION_S,
    MAX_STEPS,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import (
    BUILTIN_ROUTINES,
    FULL_FACE_DRAINAGE,
    Step,
    validate_routine,
)
from custom_components.pressure_mask.safety import (
    ARM_EXPIRY_S,
    LIMIT_CEILINGS,
    LIMIT_RANGES,
    OVER_PRESSURE_TOLERANCE_MMHG,
    STOP_CONFIRM_TIMEOUT_S,
    Decision,
    InvalidLimitsError,
    LimitError,
    Limits,
    RefusalRule,
    SafetyContext,
    SessionPlan,
    SessionRequest,
    SupervisionVerdict,
    acknowledgement_expired,
    apply_pressure_override,
    check_session_start,
    check_status,
    cooldown_ends_at,
    session_deadline,
    validate_limits,
    zone_limit_mmhg,
    zone_name,
)

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
LIMITS = Limits()
READY = SafetyContext(now=NOW, acknowledged=True, acknowledged_at=NOW - timedelta(days=1))
FULL_FACE = SessionRequest(routine_key="full_face_drainage")
FACE_ZONES = (Zone.FOREHEAD, Zone.TEMPLES, Zone.CHEEKS, Zone.JAW)


def face_step(
    zone: Zone = Zone.FOREHEAD,
    pressure_mmhg: float = 20.0,
    *,
    inflate_s: float = 1.5,
    hold_s: float = 3.0,
    release_s: float = 3.5,
    repetitions: int = 5,
) -> Step:
    """A step with sensible timings."""
    return Step(zone, pressure_mmhg, inflate_s, hold_s, release_s, repetitions)


def custom(*steps: Step, **overrides: float) -> SessionRequest:
    """A request for custom steps."""
    return SessionRequest(custom_steps=steps, **overrides)  # type: ignore[arg-type]


def refused(decision: Decision, rule: RefusalRule) -> bool:
    """The decision is a refusal for exactly this rule, with no plan to send."""
    return not decision.allowed and decision.rule is rule and decision.plan is None


# --- Limits, ceilings, options ----------------------------------------------------------------


def test_default_limits_are_the_researched_conservative_values() -> None:
    assert Limits() == Limits(
        face_max_mmhg=30.0,
        under_eye_max_mmhg=15.0,
        neck_max_mmhg=20.0,
        max_session_min=10,
        cooldown_min=20,
        max_sessions_per_day=2,
        acknowledgement_expiry_days=None,
        require_button_for_remote_start=True,
    )
    assert validate_limits(LIMITS.to_options()) == {}


def test_ceilings() -> None:
    assert LIMIT_CEILINGS == {
        "face_max_mmhg": 40.0,
        "under_eye_max_mmhg": 20.0,
        "neck_max_mmhg": 25.0,
        "max_session_min": 20,
        "cooldown_min": 720,
        "max_sessions_per_day": 4,
        "acknowledgement_expiry_days": 365,
    }
    # Cooldown is the one limit where more is safer: its safety bound is the floor.
    assert LIMIT_RANGES["cooldown_min"].minimum == 20


def test_ceilings_never_exceed_what_the_mask_itself_allows() -> None:
    assert LIMIT_CEILINGS["face_max_mmhg"] <= DEVICE_CEILING_MMHG[Zone.FOREHEAD]
    assert LIMIT_CEILINGS["under_eye_max_mmhg"] <= DEVICE_CEILING_MMHG[Zone.UNDER_EYE]
    assert LIMIT_CEILINGS["neck_max_mmhg"] <= DEVICE_CEILING_MMHG[Zone.NECK]
    assert LIMIT_CEILINGS["max_session_min"] * 60 <= DEVICE_MAX_SESSION_S
    # The cooldown travels as u16 seconds.
    assert LIMIT_CEILINGS["cooldown_min"] * 60 <= 0xFFFF


def test_defaults_sit_inside_their_ranges() -> None:
    options = LIMITS.to_options()
    for name, bounds in LIMIT_RANGES.items():
        value = options[name]
        if value is not None:
            assert bounds.minimum <= value <= bounds.maximum  # type: ignore[operator]


@pytest.mark.parametrize("name", sorted(LIMIT_RANGES))
def test_each_ceiling_is_accepted_and_one_above_is_refused(name: str) -> None:
    ceiling = LIMIT_CEILINGS[name]
    assert validate_limits({name: ceiling}) == {}
    assert validate_limits({name: ceiling + 1}) == {name: LimitError.ABOVE_CEILING}


@pytest.mark.parametrize("name", sorted(LIMIT_RANGES))
def test_each_floor_is_accepted_and_below_is_refused(name: str) -> None:
    floor = LIMIT_RANGES[name].minimum
    assert validate_limits({name: floor}) == {}
    assert validate_limits({name: floor - 1}) == {name: LimitError.BELOW_MINIMUM}


@pytest.mark.parametrize("name", sorted(LIMIT_RANGES))
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "30", True, [30]])
def test_non_numbers_are_refused(name: str, value: object) -> None:
    assert validate_limits({name: value}) == {name: LimitError.NOT_A_NUMBER}


@pytest.mark.parametrize(
    "name",
    ["max_session_min", "cooldown_min", "max_sessions_per_day", "acknowledgement_expiry_days"],
)
def test_counts_and_minutes_must_be_whole(name: str) -> None:
    assert validate_limits({name: 2.5 + LIMIT_RANGES[name].minimum}) == {
        name: LimitError.NOT_A_WHOLE_NUMBER
    }
    # Number selectors deliver floats; a whole float is fine.
    assert validate_limits({name: float(LIMIT_RANGES[name].minimum)}) == {}


def test_negative_pressure_limit_is_refused() -> None:
    assert validate_limits({"face_max_mmhg": -5}) == {"face_max_mmhg": LimitError.BELOW_MINIMUM}


def test_pressure_limits_may_be_fractional() -> None:
    assert validate_limits({"face_max_mmhg": 27.5}) == {}


def test_acknowledgement_expiry_may_be_never() -> None:
    assert validate_limits({"acknowledgement_expiry_days": None}) == {}
    assert Limits.from_options({"acknowledgement_expiry_days": None}) == LIMITS


def test_a_required_value_cannot_be_none() -> None:
    assert validate_limits({"face_max_mmhg": None}) == {"face_max_mmhg": LimitError.NOT_A_NUMBER}


def test_button_requirement_must_be_a_boolean() -> None:
    assert validate_limits({"require_button_for_remote_start": False}) == {}
    assert validate_limits({"require_button_for_remote_start": "no"}) == {
        "require_button_for_remote_start": LimitError.NOT_A_BOOLEAN
    }


def test_every_invalid_field_is_reported() -> None:
    assert validate_limits({"face_max_mmhg": 41, "neck_max_mmhg": math.nan}) == {
        "face_max_mmhg": "above_ceiling",
        "neck_max_mmhg": "not_a_number",
    }


def test_unrelated_options_are_ignored() -> None:
    assert validate_limits({"routine_key": "quick_morning"}) == {}
    assert Limits.from_options({"routine_key": "quick_morning"}) == LIMITS


def test_options_round_trip() -> None:
    limits = Limits(
        face_max_mmhg=35.5,
        under_eye_max_mmhg=12.0,
        neck_max_mmhg=18.0,
        max_session_min=15,
        cooldown_min=60,
        max_sessions_per_day=3,
        acknowledgement_expiry_days=30,
        require_button_for_remote_start=False,
    )
    assert Limits.from_options(limits.to_options()) == limits


def test_from_options_makes_whole_floats_integers() -> None:
    limits = Limits.from_options({"max_session_min": 12.0, "acknowledgement_expiry_days": 30.0})
    assert limits.max_session_min == 12
    assert isinstance(limits.max_session_min, int)
    assert limits.acknowledgement_expiry_days == 30
    assert isinstance(limits.acknowledgement_expiry_days, int)


def test_from_options_refuses_stored_values_beyond_a_ceiling() -> None:
    with pytest.raises(InvalidLimitsError) as caught:
        Limits.from_options({"face_max_mmhg": 80})
    assert caught.value.errors == {"face_max_mmhg": "above_ceiling"}


def test_device_limits_mirror_the_configured_ones() -> None:
    assert Limits(max_session_min=15, cooldown_min=30).to_device_limits() == DeviceLimits(
        face_max_mmhg=30.0,
        under_eye_max_mmhg=15.0,
        neck_max_mmhg=20.0,
        max_session_s=900,
        cooldown_s=1800,
    )


def test_zone_limits() -> None:
    limits = Limits(face_max_mmhg=33.0, under_eye_max_mmhg=11.0, neck_max_mmhg=17.0)
    for zone in FACE_ZONES:
        assert zone_limit_mmhg(limits, zone) == 33.0
    assert zone_limit_mmhg(limits, Zone.UNDER_EYE) == 11.0
    assert zone_limit_mmhg(limits, Zone.NECK) == 17.0
    assert zone_limit_mmhg(limits, Zone.NONE) == 0.0


def test_timing_constants() -> None:
    assert STOP_CONFIRM_TIMEOUT_S == 2
    assert ARM_EXPIRY_S == 120
    assert OVER_PRESSURE_TOLERANCE_MMHG == 3


# --- Session start: the happy path ------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(BUILTIN_ROUTINES))
def test_every_builtin_routine_may_start_with_the_default_limits(key: str) -> None:
    decision = check_session_start(SessionRequest(routine_key=key), LIMITS, READY)
    assert decision == Decision.allow(
        SessionPlan(
            routine_key=key,
            steps=BUILTIN_ROUTINES[key].steps,
            max_duration_s=600,
            await_button=True,
        )
    )
    assert decision.rule is None
    assert decision.placeholders == {}


def test_requested_duration_becomes_the_deadline() -> None:
    decision = check_session_start(replace(FULL_FACE, duration_min=7.5), LIMITS, READY)
    assert decision.plan is not None
    assert decision.plan.max_duration_s == 450


def test_without_the_button_requirement_the_mask_starts_at_once() -> None:
    limits = Limits(require_button_for_remote_start=False)
    decision = check_session_start(FULL_FACE, limits, READY)
    assert decision.plan is not None
    assert decision.plan.await_button is False


def test_custom_steps_run_as_the_custom_routine() -> None:
    step = face_step(Zone.CHEEKS, 28.0)
    decision = check_session_start(custom(step), LIMITS, READY)
    assert decision.plan is not None
    assert decision.plan.routine_key == "custom"
    assert decision.plan.steps == (step,)


def test_a_pressure_exactly_at_the_limit_is_allowed() -> None:
    request = custom(face_step(Zone.JAW, 30.0), face_step(Zone.UNDER_EYE, 15.0))
    assert check_session_start(request, LIMITS, READY).allowed


# --- Session start: the person and the mask ---------------------------------------------------


def test_without_the_acknowledgement_nothing_starts() -> None:
    context = replace(READY, acknowledged=False)
    assert refused(
        check_session_start(FULL_FACE, LIMITS, context), RefusalRule.ACKNOWLEDGEMENT_REQUIRED
    )


def test_the_acknowledgement_never_expires_by_default() -> None:
    context = replace(READY, acknowledged_at=NOW - timedelta(days=3650))
    assert check_session_start(FULL_FACE, LIMITS, context).allowed


def test_an_expired_acknowledgement_is_refused() -> None:
    limits = Limits(acknowledgement_expiry_days=30)
    fresh = replace(READY, acknowledged_at=NOW - timedelta(days=29, hours=23))
    assert check_session_start(FULL_FACE, limits, fresh).allowed
    stale = replace(READY, acknowledged_at=NOW - timedelta(days=30))
    decision = check_session_start(FULL_FACE, limits, stale)
    assert refused(decision, RefusalRule.ACKNOWLEDGEMENT_EXPIRED)
    assert decision.placeholders == {"expiry_days": "30"}


def test_an_undated_acknowledgement_counts_as_expired_when_expiry_is_configured() -> None:
    context = replace(READY, acknowledged_at=None)
    assert check_session_start(FULL_FACE, LIMITS, context).allowed
    limits = Limits(acknowledgement_expiry_days=30)
    assert refused(
        check_session_start(FULL_FACE, limits, context), RefusalRule.ACKNOWLEDGEMENT_EXPIRED
    )


def test_acknowledgement_expiry() -> None:
    limits = Limits(acknowledgement_expiry_days=1)
    assert not acknowledgement_expired(NOW, LIMITS, NOW + timedelta(days=999))
    assert not acknowledgement_expired(NOW, limits, NOW + timedelta(hours=23))
    assert acknowledgement_expired(NOW, limits, NOW + timedelta(days=1))
    assert acknowledgement_expired(None, limits, NOW)


def test_a_fault_blocks_starts() -> None:
    context = replace(READY, fault_active=True)
    assert refused(check_session_start(FULL_FACE, LIMITS, context), RefusalRule.FAULT_ACTIVE)


def test_one_session_at_a_time() -> None:
    context = replace(READY, session_running=True)
    assert refused(
        check_session_start(FULL_FACE, LIMITS, context), RefusalRule.SESSION_ALREADY_RUNNING
    )


def test_the_acknowledgement_is_the_first_reason_given() -> None:
    context = replace(
        READY,
        acknowledged=False,
        fault_active=True,
        session_running=True,
        last_session_end=NOW,
        sessions_today=9,
    )
    request = SessionRequest(routine_key="nope", pressure_mmhg=math.nan)
    assert (
        check_session_start(request, LIMITS, context).rule is RefusalRule.ACKNOWLEDGEMENT_REQUIRED
    )


# --- Session start: the request ---------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "FULL_FACE_DRAINAGE", "custom", "../../etc"])
def test_unknown_routines_are_refused(key: str) -> None:
    decision = check_session_start(SessionRequest(routine_key=key), LIMITS, READY)
    assert refused(decision, RefusalRule.UNKNOWN_ROUTINE)
    assert decision.placeholders == {"routine": key}


def test_a_request_needs_a_routine() -> None:
    assert refused(
        check_session_start(SessionRequest(), LIMITS, READY), RefusalRule.UNKNOWN_ROUTINE
    )


def test_a_request_cannot_name_a_routine_and_carry_steps() -> None:
    request = SessionRequest(routine_key="quick_morning", custom_steps=(face_step(),))
    decision = check_session_start(request, LIMITS, READY)
    assert refused(decision, RefusalRule.INVALID_VALUE)
    assert decision.placeholders["field"] == "routine"


@pytest.mark.parametrize("zone", FACE_ZONES)
def test_a_face_step_over_the_face_limit_is_refused(zone: Zone) -> None:
    decision = check_session_start(custom(face_step(zone, 30.5)), LIMITS, READY)
    assert refused(decision, RefusalRule.PRESSURE_OVER_LIMIT)
    assert decision.placeholders == {
        "zone": zone_name(zone),
        "pressure_mmhg": "30.5",
        "limit_mmhg": "30",
    }


def test_an_under_eye_step_over_its_own_limit_is_refused() -> None:
    # 16 mmHg is fine for the face, not for the eye.
    decision = check_session_start(custom(face_step(Zone.UNDER_EYE, 16.0)), LIMITS, READY)
    assert refused(decision, RefusalRule.PRESSURE_OVER_LIMIT)
    assert decision.placeholders["zone"] == "under eye"
    assert decision.placeholders["limit_mmhg"] == "15"


def test_a_neck_step_over_its_own_limit_is_refused() -> None:
    decision = check_session_start(custom(face_step(Zone.NECK, 21.0)), LIMITS, READY)
    assert refused(decision, RefusalRule.PRESSURE_OVER_LIMIT)
    assert decision.placeholders["limit_mmhg"] == "20"


def test_a_step_without_a_zone_may_not_press() -> None:
    decision = check_session_start(custom(face_step(Zone.NONE, 1.0)), LIMITS, READY)
    assert refused(decision, RefusalRule.PRESSURE_OVER_LIMIT)
    assert decision.placeholders["limit_mmhg"] == "0"


def test_one_bad_step_refuses_the_whole_routine() -> None:
    request = custom(face_step(Zone.FOREHEAD), face_step(Zone.JAW, 31.0), face_step(Zone.NECK))
    assert refused(check_session_start(request, LIMITS, READY), RefusalRule.PRESSURE_OVER_LIMIT)


def test_a_builtin_routine_over_lowered_limits_is_refused_not_clamped() -> None:
    limits = Limits(face_max_mmhg=20.0)
    assert refused(check_session_start(FULL_FACE, limits, READY), RefusalRule.PRESSURE_OVER_LIMIT)


@pytest.mark.parametrize("pressure", [math.nan, math.inf, -math.inf, -1.0, 1e300])
def test_absurd_step_pressures_are_refused(pressure: float) -> None:
    decision = check_session_start(custom(face_step(Zone.CHEEKS, pressure)), LIMITS, READY)
    assert not decision.allowed
    assert decision.rule in {RefusalRule.INVALID_VALUE, RefusalRule.PRESSURE_OVER_LIMIT}


def test_not_a_number_step_pressure_is_an_invalid_value() -> None:
    decision = check_session_start(custom(face_step(Zone.CHEEKS, math.nan)), LIMITS, READY)
    assert refused(decision, RefusalRule.INVALID_VALUE)
    assert decision.placeholders == {"field": "pressure_mmhg", "value": "nan"}


def test_a_negative_step_pressure_is_an_invalid_value() -> None:
    decision = check_session_start(custom(face_step(Zone.CHEEKS, -1.0)), LIMITS, READY)
    assert refused(decision, RefusalRule.INVALID_VALUE)


def test_a_step_pressure_must_be_a_number() -> None:
    step = face_step(Zone.CHEEKS, True)
    assert refused(check_session_start(custom(step), LIMITS, READY), RefusalRule.INVALID_VALUE)


@pytest.mark.parametrize("zone", [3, 99, "neck", None])
def test_a_step_zone_must_be_a_zone(zone: object) -> None:
    step = face_step(zone, 35.0)  # type: ignore[arg-type]
    decision = check_session_start(custom(step), LIMITS, READY)
    assert refused(decision, RefusalRule.INVALID_VALUE)
    assert decision.placeholders["field"] == "zone"


@pytest.mark.parametrize(
    "step",
    [
        face_step(inflate_s=math.nan),
        face_step(hold_s=-1.0),
        face_step(release_s=math.inf),
        face_step(inflate_s=0.0, hold_s=0.0, release_s=0.0),
        face_step(repetitions=0),
        face_step(repetitions=1000),
        face_step(repetitions=2.5),  # type: ignore[arg-type]
    ],
)
def test_structurally_invalid_steps_are_refused(step: Step) -> None:
    decision = check_session_start(custom(step), LIMITS, READY)
    assert refused(decision, RefusalRule.INVALID_VALUE)
    assert decision.placeholders["field"] == "steps"


def test_a_routine_needs_steps_and_fits_the_wire() -> None:
    assert refused(check_session_start(custom(), LIMITS, READY), RefusalRule.INVALID_VALUE)
    many = custom(*[face_step(repetitions=1)] * (MAX_STEPS + 1))
    assert refused(check_session_start(many, LIMITS, READY), RefusalRule.INVALID_VALUE)


@pytest.mark.parametrize("zone", [Zone.UNDER_EYE, Zone.NECK])
def test_sensitive_zones_hold_at_most_three_seconds(zone: Zone) -> None:
    assert check_session_start(custom(face_step(zone, 10.0, hold_s=3.0)), LIMITS, READY).allowed
    decision = check_session_start(custom(face_step(zone, 10.0, hold_s=3.5)), LIMITS, READY)
    assert refused(decision, RefusalRule.HOLD_OVER_LIMIT)
    assert decision.placeholders == {"zone": zone_name(zone), "hold_s": "3.5", "limit_s": "3"}


def test_face_zones_may_hold_longer() -> None:
    assert check_session_start(custom(face_step(hold_s=10.0)), LIMITS, READY).allowed


def test_no_bladder_stays_pressurised_for_more_than_a_minute() -> None:
    ok = face_step(inflate_s=10.0, hold_s=50.0, repetitions=1)
    assert check_session_start(custom(ok), LIMITS, READY).allowed
    too_long = face_step(inflate_s=10.5, hold_s=50.0, repetitions=1)
    decision = check_session_start(custom(too_long), LIMITS, READY)
    assert refused(decision, RefusalRule.PRESSURISED_TOO_LONG)
    assert decision.placeholders == {"zone": "forehead", "pressurised_s": "60.5", "limit_s": "60"}


def test_a_long_breathing_step_presses_nothing() -> None:
    breathing = Step(Zone.NONE, 0.0, inflate_s=40.0, hold_s=30.0, release_s=5.0, repetitions=1)
    assert check_session_start(custom(breathing), LIMITS, READY).allowed


def test_a_requested_duration_over_the_limit_is_refused() -> None:
    assert check_session_start(replace(FULL_FACE, duration_min=10), LIMITS, READY).allowed
    decision = check_session_start(replace(FULL_FACE, duration_min=10.5), LIMITS, READY)
    assert refused(decision, RefusalRule.DURATION_OVER_LIMIT)
    assert decision.placeholders == {"duration_min": "10.5", "limit_min": "10"}


@pytest.mark.parametrize("duration", [math.nan, math.inf, -5.0, 0.0, 0.5, True, "10"])
def test_absurd_durations_are_refused(duration: object) -> None:
    request = replace(FULL_FACE, duration_min=duration)  # type: ignore[arg-type]
    decision = check_session_start(request, LIMITS, READY)
    assert refused(decision, RefusalRule.INVALID_VALUE)
    assert decision.placeholders["field"] == "duration_min"


def test_a_huge_duration_names_the_limit() -> None:
    decision = check_session_start(replace(FULL_FACE, duration_min=1e9), LIMITS, READY)
    assert refused(decision, RefusalRule.DURATION_OVER_LIMIT)


def test_a_routine_longer_than_the_maximum_session_is_refused() -> None:
    # Full face drainage takes 5.9 minutes.
    limits = Limits(max_session_min=5)
    decision = check_session_start(FULL_FACE, limits, READY)
    assert refused(decision, RefusalRule.ROUTINE_TOO_LONG)
    assert decision.placeholders == {
        "routine": "full_face_drainage",
        "routine_duration": "5 min 54 s",
        "session_duration": "5 min",
    }
    assert check_session_start(FULL_FACE, Limits(max_session_min=6), READY).allowed


def test_a_routine_longer_than_the_requested_duration_is_refused_not_cut_short() -> None:
    # Reject, never clamp: the mask refuses such a start too, so the host must not send it.
    decision = check_session_start(replace(FULL_FACE, duration_min=3), LIMITS, READY)
    assert refused(decision, RefusalRule.ROUTINE_TOO_LONG)
    assert decision.placeholders == {
        "routine": "full_face_drainage",
        "routine_duration": "5 min 54 s",
        "session_duration": "3 min",
    }
    decision = check_session_start(replace(FULL_FACE, duration_min=6), LIMITS, READY)
    assert decision.plan is not None
    assert decision.plan.max_duration_s == 360


# --- Pressure override ------------------------------------------------------------------------


def test_the_override_sets_every_face_step() -> None:
    steps = apply_pressure_override(FULL_FACE_DRAINAGE.steps, 28.0)
    for original, step in zip(FULL_FACE_DRAINAGE.steps, steps, strict=True):
        assert step.zone is original.zone
        assert step.cycle_s == original.cycle_s
        if step.zone in FACE_ZONES:
            assert step.pressure_mmhg == 28.0


def test_the_override_never_raises_sensitive_zones_and_lowers_them_when_lower() -> None:
    raised = apply_pressure_override(FULL_FACE_DRAINAGE.steps, 30.0)
    lowered = apply_pressure_override(FULL_FACE_DRAINAGE.steps, 10.0)
    for original, high, low in zip(FULL_FACE_DRAINAGE.steps, raised, lowered, strict=True):
        if original.zone in {Zone.UNDER_EYE, Zone.NECK}:
            assert high.pressure_mmhg == original.pressure_mmhg
            assert low.pressure_mmhg == 10.0


def test_the_override_leaves_breathing_steps_alone() -> None:
    steps = apply_pressure_override(FULL_FACE_DRAINAGE.steps, 30.0)
    assert steps[0] == FULL_FACE_DRAINAGE.steps[0]
    assert steps[0].pressure_mmhg == 0


def test_without_an_override_the_steps_are_the_routine() -> None:
    assert apply_pressure_override(FULL_FACE_DRAINAGE.steps, None) == FULL_FACE_DRAINAGE.steps


def test_an_allowed_override_is_what_the_mask_receives() -> None:
    decision = check_session_start(replace(FULL_FACE, pressure_mmhg=28.0), LIMITS, READY)
    assert decision.plan is not None
    assert decision.plan.steps == apply_pressure_override(FULL_FACE_DRAINAGE.steps, 28.0)


def test_an_override_over_the_face_limit_is_refused() -> None:
    decision = check_session_start(replace(FULL_FACE, pressure_mmhg=31.0), LIMITS, READY)
    assert refused(decision, RefusalRule.PRESSURE_OVER_LIMIT)
    assert decision.placeholders["limit_mmhg"] == "30"


def test_an_override_applies_to_custom_steps_too() -> None:
    request = custom(face_step(Zone.CHEEKS, 20.0), pressure_mmhg=35.0)
    assert refused(check_session_start(request, LIMITS, READY), RefusalRule.PRESSURE_OVER_LIMIT)


@pytest.mark.parametrize("pressure", [math.nan, math.inf, -1.0, 0.0, True, "20"])
def test_absurd_overrides_are_refused(pressure: object) -> None:
    request = replace(FULL_FACE, pressure_mmhg=pressure)  # type: ignore[arg-type]
    decision = check_session_start(request, LIMITS, READY)
    assert refused(decision, RefusalRule.INVALID_VALUE)
    assert decision.placeholders["field"] == "pressure_mmhg"


# --- Pacing -----------------------------------------------------------------------------------


def test_cooldown_between_sessions() -> None:
    during = replace(READY, last_session_end=NOW - timedelta(minutes=19, seconds=30))
    decision = check_session_start(FULL_FACE, LIMITS, during)
    assert refused(decision, RefusalRule.COOLDOWN_ACTIVE)
    assert decision.placeholders == {
        "cooldown_ends": "09:00",
        "remaining_min": "1",
        "cooldown_min": "20",
    }
    after = replace(READY, last_session_end=NOW - timedelta(minutes=20))
    assert check_session_start(FULL_FACE, LIMITS, after).allowed


def test_cooldown_end_is_shown_in_the_local_time_of_now() -> None:
    # History is stored in UTC; the person reads the message in their own time zone.
    local_now = NOW.astimezone(ZoneInfo("Europe/Berlin"))  # 11:00 local in May
    during = replace(READY, now=local_now, last_session_end=NOW - timedelta(minutes=10))
    decision = check_session_start(FULL_FACE, LIMITS, during)
    assert refused(decision, RefusalRule.COOLDOWN_ACTIVE)
    assert decision.placeholders["cooldown_ends"] == "11:10"


def test_cooldown_follows_the_configured_length() -> None:
    context = replace(READY, last_session_end=NOW - timedelta(minutes=30))
    decision = check_session_start(FULL_FACE, Limits(cooldown_min=60), context)
    assert refused(decision, RefusalRule.COOLDOWN_ACTIVE)
    assert decision.placeholders["cooldown_ends"] == "09:30"
    assert decision.placeholders["remaining_min"] == "30"


def test_cooldown_ends_at() -> None:
    assert cooldown_ends_at(None, LIMITS) is None
    assert cooldown_ends_at(NOW, LIMITS) == NOW + timedelta(minutes=20)


def test_daily_cap() -> None:
    assert check_session_start(FULL_FACE, LIMITS, replace(READY, sessions_today=1)).allowed
    decision = check_session_start(FULL_FACE, LIMITS, replace(READY, sessions_today=2))
    assert refused(decision, RefusalRule.DAILY_CAP_REACHED)
    assert decision.placeholders == {"sessions_today": "2", "max_sessions_per_day": "2"}
    assert check_session_start(
        FULL_FACE, Limits(max_sessions_per_day=3), replace(READY, sessions_today=2)
    ).allowed


def test_session_deadline() -> None:
    assert session_deadline(NOW, 600) == NOW + timedelta(minutes=10)


# --- Live supervision -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "limit_mmhg"),
    [(Zone.FOREHEAD, 30.0), (Zone.CHEEKS, 30.0), (Zone.UNDER_EYE, 15.0), (Zone.NECK, 20.0)],
)
def test_over_pressure_beyond_the_tolerance_vents(zone: Zone, limit_mmhg: float) -> None:
    assert check_status(limit_mmhg + 3.0, zone, LIMITS) is SupervisionVerdict.WITHIN_LIMITS
    verdict = check_status(limit_mmhg + 3.1, zone, LIMITS)
    assert verdict is SupervisionVerdict.OVER_PRESSURE
    assert verdict.vent_now


def test_a_normal_reading_does_not_vent() -> None:
    verdict = check_status(25.0, Zone.JAW, LIMITS)
    assert verdict is SupervisionVerdict.WITHIN_LIMITS
    assert not verdict.vent_now


def test_without_a_zone_pressure_is_held_to_the_highest_limit() -> None:
    # Idle or between steps, residual pressure from the last zone is still draining.
    assert check_status(33.0, Zone.NONE, LIMITS) is SupervisionVerdict.WITHIN_LIMITS
    assert check_status(33.1, Zone.NONE, LIMITS) is SupervisionVerdict.OVER_PRESSURE
    limits = Limits(face_max_mmhg=10.0, neck_max_mmhg=22.0)
    assert check_status(25.1, Zone.NONE, limits) is SupervisionVerdict.OVER_PRESSURE


@pytest.mark.parametrize("reading", [math.nan, math.inf, -math.inf])
def test_an_unreadable_pressure_vents(reading: float) -> None:
    verdict = check_status(reading, Zone.FOREHEAD, LIMITS)
    assert verdict is SupervisionVerdict.UNREADABLE_PRESSURE
    assert verdict.vent_now


# --- Properties -------------------------------------------------------------------------------

odd_numbers = st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -0.0])
finite_or_not = st.floats(min_value=-10, max_value=80) | odd_numbers
seconds = st.floats(min_value=-1, max_value=70) | odd_numbers
minutes = st.floats(min_value=-1, max_value=30) | odd_numbers
zones = st.sampled_from(list(Zone))
steps = st.builds(
    Step,
    zone=zones,
    pressure_mmhg=finite_or_not,
    inflate_s=seconds,
    hold_s=seconds,
    release_s=seconds,
    repetitions=st.integers(min_value=-1, max_value=300),
)
requests = st.one_of(
    st.builds(
        SessionRequest,
        routine_key=st.sampled_from([*BUILTIN_ROUTINES, "unknown"]),
        pressure_mmhg=st.none() | finite_or_not,
        duration_min=st.none() | minutes,
    ),
    st.builds(
        SessionRequest,
        custom_steps=st.lists(steps, min_size=0, max_size=6).map(tuple),
        pressure_mmhg=st.none() | finite_or_not,
        duration_min=st.none() | minutes,
    ),
)


@st.composite
def valid_limits(draw: st.DrawFn) -> Limits:
    """Any limits the options flow accepts."""
    options: dict[str, object] = {}
    for name, bounds in LIMIT_RANGES.items():
        if name in {"face_max_mmhg", "under_eye_max_mmhg", "neck_max_mmhg"}:
            # Pressures in steps of 0.1 mmHg: the only ones that encode exactly.
            tenths = draw(st.integers(round(bounds.minimum * 10), round(bounds.maximum * 10)))
            options[name] = tenths / 10
        else:
            options[name] = draw(
                st.integers(min_value=int(bounds.minimum), max_value=int(bounds.maximum))
            )
    options["require_button_for_remote_start"] = draw(st.booleans())
    assert validate_limits(options) == {}
    return Limits.from_options(options)


@settings(max_examples=400, deadline=None)
@given(request=requests, limits=valid_limits())
def test_no_accepted_request_ever_exceeds_a_limit(request: SessionRequest, limits: Limits) -> None:
    decision = check_session_start(request, limits, READY)
    if not decision.allowed:
        assert decision.rule is not None
        assert decision.plan is None
        return
    plan = decision.plan
    assert plan is not None
    assert decision.rule is None
    validate_routine(replace(FULL_FACE_DRAINAGE, steps=plan.steps))
    for step in plan.steps:
        assert math.isfinite(step.pressure_mmhg)
        assert 0 <= step.pressure_mmhg <= zone_limit_mmhg(limits, step.zone)
        assert step.pressure_mmhg <= LIMIT_CEILINGS["face_max_mmhg"]
        if step.zone in {Zone.UNDER_EYE, Zone.NECK}:
            assert step.hold_s <= 3.0
        if step.zone is not Zone.NONE:
            assert step.inflate_s + step.hold_s <= 60.0
    assert 60 <= plan.max_duration_s <= limits.max_session_s
    # The whole routine fits in its own session (the mask refuses it otherwise).
    assert sum(step.duration_s for step in plan.steps) <= plan.max_duration_s
    assert plan.await_button is limits.require_button_for_remote_start


@settings(max_examples=200, deadline=None)
@given(
    request=requests,
    limits=valid_limits(),
    acknowledged=st.booleans(),
    fault_active=st.booleans(),
    session_running=st.booleans(),
    minutes_since_last=st.none() | st.integers(min_value=0, max_value=2000),
    sessions_today=st.integers(min_value=0, max_value=6),
)
def test_nothing_starts_while_a_gate_is_closed(
    *,
    request: SessionRequest,
    limits: Limits,
    acknowledged: bool,
    fault_active: bool,
    session_running: bool,
    minutes_since_last: int | None,
    sessions_today: int,
) -> None:
    context = SafetyContext(
        now=NOW,
        acknowledged=acknowledged,
        acknowledged_at=NOW,
        last_session_end=None
        if minutes_since_last is None
        else NOW - timedelta(minutes=minutes_since_last),
        sessions_today=sessions_today,
        fault_active=fault_active,
        session_running=session_running,
    )
    if check_session_start(request, limits, context).allowed:
        assert acknowledged
        assert not fault_active
        assert not session_running
        assert minutes_since_last is None or minutes_since_last >= limits.cooldown_min
        assert sessions_today < limits.max_sessions_per_day


@given(pressure=st.floats(allow_nan=True, allow_infinity=True), zone=zones, limits=valid_limits())
def test_supervision_lets_nothing_over_the_tolerance_pass(
    pressure: float, zone: Zone, limits: Limits
) -> None:
    verdict = check_status(pressure, zone, limits)
    if not verdict.vent_now:
        ceiling = max(
            zone_limit_mmhg(limits, z) for z in ((zone,) if zone is not Zone.NONE else Zone)
        )
        assert pressure <= ceiling + OVER_PRESSURE_TOLERANCE_MMHG
