"""Routines: what the mask does during a session, and the built-in ones.

A routine is an ordered list of steps; each step inflates one zone to a target pressure, holds,
releases, and repeats. Validation here is structural only (what the wire format can carry and
what is physically meaningful). Whether a routine is *allowed* is the integration's policy.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from .const import MAX_PHASE_MS, MAX_REPETITIONS, MAX_STEPS, MAX_TARGET_MMHG, Zone

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

MAX_PHASE_S: Final = MAX_PHASE_MS / 1000


class RoutineError(ValueError):
    """A routine is structurally invalid (cannot be sent to a mask)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One zone, pressed `repetitions` times: inflate, hold, release."""

    zone: Zone
    pressure_mmhg: float
    inflate_s: float
    hold_s: float
    release_s: float
    repetitions: int

    @property
    def cycle_s(self) -> float:
        """Duration of one repetition."""
        return self.inflate_s + self.hold_s + self.release_s

    @property
    def duration_s(self) -> float:
        """Duration of all repetitions."""
        return self.cycle_s * self.repetitions


@dataclass(frozen=True, slots=True)
class Routine:
    """An ordered sequence of steps, identified by a key."""

    key: str
    steps: tuple[Step, ...]

    @property
    def duration_s(self) -> float:
        """Duration of the whole routine without pauses."""
        return steps_duration_s(self.steps)


def steps_duration_s(steps: Sequence[Step]) -> float:
    """How long steps take: every repetition of every step, breathing steps included."""
    return sum(step.duration_s for step in steps)


def validate_step(step: Step) -> None:
    """Raise RoutineError if the step cannot travel on the wire or makes no physical sense."""
    if not isinstance(step.zone, Zone):
        raise RoutineError(f"unknown zone {step.zone!r}")
    if not math.isfinite(step.pressure_mmhg) or not 0 <= step.pressure_mmhg <= MAX_TARGET_MMHG:
        raise RoutineError(f"pressure {step.pressure_mmhg!r} mmHg is not a valid target")
    if step.zone is Zone.NONE and step.pressure_mmhg != 0:
        raise RoutineError("a step without a zone cannot have a pressure")
    for name, value in (
        ("inflate_s", step.inflate_s),
        ("hold_s", step.hold_s),
        ("release_s", step.release_s),
    ):
        if not math.isfinite(value) or not 0 <= value <= MAX_PHASE_S:
            raise RoutineError(f"{name} {value!r} is outside 0..{MAX_PHASE_S} s")
    if step.cycle_s <= 0:
        raise RoutineError("a step must take time")
    if (
        isinstance(step.repetitions, bool)
        or not isinstance(step.repetitions, int)
        or not 1 <= step.repetitions <= MAX_REPETITIONS
    ):
        raise RoutineError(f"repetitions {step.repetitions!r} is outside 1..{MAX_REPETITIONS}")


def validate_routine(routine: Routine) -> None:
    """Raise RoutineError if the routine cannot be sent to a mask."""
    if not routine.key:
        raise RoutineError("a routine needs a key")
    if not routine.steps:
        raise RoutineError("a routine needs at least one step")
    if len(routine.steps) > MAX_STEPS:
        raise RoutineError(f"a routine has at most {MAX_STEPS} steps")
    for step in routine.steps:
        validate_step(step)


def _breathing(repetitions: int) -> Step:
    # Breathe in while the mask "inflates", out while it "releases": no bladder moves.
    return Step(Zone.NONE, 0.0, inflate_s=4.0, hold_s=1.0, release_s=5.0, repetitions=repetitions)


def _face(zone: Zone, pressure_mmhg: float, repetitions: int = 5) -> Step:
    # Ramp, hold, and release at least as long as the hold.
    return Step(
        zone, pressure_mmhg, inflate_s=1.5, hold_s=4.0, release_s=4.5, repetitions=repetitions
    )


def _short_hold(zone: Zone, pressure_mmhg: float, repetitions: int = 5) -> Step:
    # Under-eye and neck: at most 3 s of hold (eye pressure, carotid sinus).
    return Step(
        zone, pressure_mmhg, inflate_s=1.5, hold_s=3.0, release_s=3.5, repetitions=repetitions
    )


UNDER_EYE_MMHG: Final = 12.0
NECK_MMHG: Final = 18.0
FACE_MMHG: Final = 25.0
TEMPLES_MMHG: Final = 22.0

FULL_FACE_DRAINAGE: Final = Routine(
    "full_face_drainage",
    (
        _breathing(5),
        # Clear the neck first so the face has somewhere to drain to.
        _short_hold(Zone.NECK, NECK_MMHG, repetitions=3),
        _face(Zone.FOREHEAD, FACE_MMHG),
        _face(Zone.TEMPLES, TEMPLES_MMHG),
        _short_hold(Zone.UNDER_EYE, UNDER_EYE_MMHG),
        _face(Zone.CHEEKS, FACE_MMHG),
        _face(Zone.JAW, FACE_MMHG),
        _short_hold(Zone.NECK, NECK_MMHG),
    ),
)

EYE_DE_PUFF: Final = Routine(
    "eye_de_puff",
    (
        _breathing(3),
        _short_hold(Zone.UNDER_EYE, 10.0),
        _short_hold(Zone.UNDER_EYE, UNDER_EYE_MMHG, repetitions=10),
    ),
)

QUICK_MORNING: Final = Routine(
    "quick_morning",
    (
        _breathing(3),
        _face(Zone.FOREHEAD, FACE_MMHG),
        _face(Zone.TEMPLES, TEMPLES_MMHG, repetitions=4),
        _short_hold(Zone.UNDER_EYE, UNDER_EYE_MMHG),
        _face(Zone.CHEEKS, FACE_MMHG),
        _face(Zone.JAW, FACE_MMHG),
        _short_hold(Zone.NECK, NECK_MMHG),
    ),
)

NECK_AND_JAW: Final = Routine(
    "neck_and_jaw",
    (
        _breathing(3),
        _short_hold(Zone.NECK, NECK_MMHG),
        _face(Zone.JAW, FACE_MMHG),
        _short_hold(Zone.NECK, NECK_MMHG),
    ),
)

BUILTIN_ROUTINES: Final[Mapping[str, Routine]] = MappingProxyType(
    {
        routine.key: routine
        for routine in (FULL_FACE_DRAINAGE, EYE_DE_PUFF, QUICK_MORNING, NECK_AND_JAW)
    }
)
