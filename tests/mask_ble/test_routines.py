"""Routine model: structural validation and the built-in routines."""

from __future__ import annotations

import math

import pytest

from custom_components.pressure_mask.mask_ble.codec import FACTORY_LIMITS
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import (
    BUILTIN_ROUTINES,
    Routine,
    RoutineError,
    Step,
    validate_routine,
)

GOOD = Step(Zone.FOREHEAD, 20.0, 1.5, 3.0, 3.0, 5)


def test_durations() -> None:
    assert GOOD.cycle_s == 7.5
    assert GOOD.duration_s == 37.5
    assert Routine("r", (GOOD, GOOD)).duration_s == 75.0


@pytest.mark.parametrize(
    "step",
    [
        Step(Zone.FOREHEAD, math.nan, 1, 1, 1, 1),
        Step(Zone.FOREHEAD, math.inf, 1, 1, 1, 1),
        Step(Zone.FOREHEAD, -1.0, 1, 1, 1, 1),
        Step(Zone.FOREHEAD, 300.0, 1, 1, 1, 1),
        Step(Zone.NONE, 5.0, 1, 1, 1, 1),
        Step(Zone.FOREHEAD, 20.0, -1, 1, 1, 1),
        Step(Zone.FOREHEAD, 20.0, 1, math.nan, 1, 1),
        Step(Zone.FOREHEAD, 20.0, 1, 1, 70.0, 1),
        Step(Zone.FOREHEAD, 20.0, 0, 0, 0, 1),
        Step(Zone.FOREHEAD, 20.0, 1, 1, 1, 0),
        Step(Zone.FOREHEAD, 20.0, 1, 1, 1, 256),
        Step(Zone.FOREHEAD, 20.0, 1, 1, 1, True),
        Step(7, 20.0, 1, 1, 1, 1),  # type: ignore[arg-type]
    ],
)
def test_structurally_invalid_steps(step: Step) -> None:
    with pytest.raises(RoutineError):
        validate_routine(Routine("bad", (step,)))


@pytest.mark.parametrize(
    "routine", [Routine("", (GOOD,)), Routine("empty", ()), Routine("long", (GOOD,) * 25)]
)
def test_structurally_invalid_routines(routine: Routine) -> None:
    with pytest.raises(RoutineError):
        validate_routine(routine)


def test_high_but_encodable_pressure_is_structurally_valid() -> None:
    # Policy (limits) is not the routine model's business.
    validate_routine(Routine("strong", (Step(Zone.FOREHEAD, 100.0, 1, 1, 1, 1),)))


def test_builtin_keys() -> None:
    assert set(BUILTIN_ROUTINES) == {
        "full_face_drainage",
        "eye_de_puff",
        "quick_morning",
        "neck_and_jaw",
    }


@pytest.mark.parametrize("routine", BUILTIN_ROUTINES.values(), ids=lambda routine: routine.key)
def test_builtins_fit_default_limits(routine: Routine) -> None:
    validate_routine(routine)
    assert routine.duration_s <= FACTORY_LIMITS.max_session_s
    for step in routine.steps:
        assert step.pressure_mmhg <= FACTORY_LIMITS.max_mmhg(step.zone)
        if step.zone in (Zone.UNDER_EYE, Zone.NECK):
            assert step.hold_s <= 3.0
        # Release at least as long as the hold.
        assert step.release_s >= step.hold_s


def test_full_face_follows_the_guidance() -> None:
    steps = BUILTIN_ROUTINES["full_face_drainage"].steps
    assert steps[0].zone is Zone.NONE
    assert steps[0].pressure_mmhg == 0
    zones = [step.zone for step in steps]
    assert zones.index(Zone.FOREHEAD) < zones.index(Zone.UNDER_EYE) < zones.index(Zone.JAW)
    assert zones[-1] is Zone.NECK
    assert {step.zone for step in steps} == set(Zone)


def test_quick_morning_is_about_five_minutes() -> None:
    assert 240 <= BUILTIN_ROUTINES["quick_morning"].duration_s <= 360


def test_eye_de_puff_is_under_eye_only() -> None:
    zones = {step.zone for step in BUILTIN_ROUTINES["eye_de_puff"].steps}
    assert zones == {Zone.NONE, Zone.UNDER_EYE}
