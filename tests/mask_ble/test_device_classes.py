"""Device-side defect classes of issue 10, through the protocol (docs/protocol.md section 9).

Each test drives the virtual mask's control point and its button as a host and a wearer would,
and fails when the mask's rule is removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.pressure_mask.mask_ble.const import (
    MAX_CONTINUOUS_PRESSURE_S,
    SENSITIVE_MAX_CONTINUOUS_S,
    VENT_SAFE_MMHG,
    FaultCode,
    ResultCode,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step

if TYPE_CHECKING:
    from .conftest import DirectHost

NECK = Step(Zone.NECK, 15.0, inflate_s=1.5, hold_s=3.0, release_s=3.5, repetitions=3)


# --- 6. Continuous pressure on sensitive zones -----------------------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        Step(Zone.NECK, 15.0, 1.5, 3.0, 0.0, 5),  # release 0 between repetitions
        Step(Zone.UNDER_EYE, 12.0, 1.5, 3.0, 2.9, 5),  # release shorter than the hold
        Step(Zone.NECK, 15.0, 1.0, 2.0, 2.0, 5),  # release shorter than the vent deadline
        Step(Zone.NECK, 15.0, 3.0, 3.0, 4.0, 5),  # 6 s pressurised per repetition
    ],
    ids=["release-0", "release-under-hold", "release-under-3s", "pressurised-6s"],
)
def test_a_sensitive_step_that_holds_pressure_is_refused(host: DirectHost, step: Step) -> None:
    """The mask refuses such a start itself, whatever the host checked."""
    assert host.start(step) is ResultCode.LIMIT_EXCEEDED
    assert not host.mask.session_active


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
