"""Safety timing: over-pressure reaction and the host's session deadline, with 50/s statuses.

Reaction: a session runs with status notifications at 50/s; a pressure spike is injected into
the virtual mask; the time is measured (real clock) from the moment the over-pressure status
reaches the coordinator to the moment the mask receives the vent command.

Deadline: the mask's clock runs 1% slow (clock drift), so its own deadline comes after the
host's and the host's stop is what ends the session. Measured in simulated time: when the stop
reaches the mask, relative to the session start (the mask received StartSession) plus the
session's maximum duration. Ticks are 20 ms around the deadline, so 20 ms is the resolution.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchmarks.report import median, percentile, report
from custom_components.pressure_mask.mask_ble.codec import StartSession, Stop, Vent
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import OVER_PRESSURE_TOLERANCE_MMHG
from devtools.virtual_mask import VirtualFault
from tests.fuzz_rig import MaskRig, real_perf_counter

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from custom_components.pressure_mask.mask_ble.codec import Status

REACTION_TRIALS = 60
DEADLINE_TRIALS = 40
OPTIONS: dict[str, Any] = {
    "require_button_for_remote_start": False,
    "max_sessions_per_day": 4,
    "cooldown_min": 20,
}
# One minute of forehead presses: exactly the 1-minute session.
ONE_MINUTE = (Step(Zone.FOREHEAD, 25.0, 1.5, 4.0, 4.5, repetitions=6),)
GAP_S = 6 * 3600  # between sessions: past the cooldown, at most four a day


async def _next_session(rig: MaskRig) -> None:
    """Idle gap between sessions: the link idles out, the mask's cooldown passes."""
    await rig.jump(GAP_S)
    rig.mask.advance(21 * 60)  # no link now: nothing is notified
    if rig.mask.fault:
        rig.mask.press_button()
    rig.advertise()
    await rig.settle()
    await rig.coordinator.async_set_acknowledged(on=True)


async def test_over_pressure_reaction(
    hass: HomeAssistant, enable_bluetooth: None, freezer: FrozenDateTimeFactory
) -> None:
    """p50 and p99 of notification-to-vent latency."""
    rig = MaskRig(hass, freezer, options=OPTIONS, status_interval_s=0.02)
    assert await rig.setup()
    coordinator = rig.coordinator
    threshold = coordinator.limits.face_max_mmhg + OVER_PRESSURE_TOLERANCE_MMHG
    handle = coordinator.client._on_status
    assert handle is not None
    arrivals: list[float] = []

    def stamp(status: Status) -> None:
        if status.pressure_mmhg > threshold:
            arrivals.append(real_perf_counter())
        handle(status)

    coordinator.client._on_status = stamp
    latencies_ms: list[float] = []
    for _ in range(REACTION_TRIALS):
        await _next_session(rig)
        await coordinator.async_start_session(steps=ONE_MINUTE, duration_min=1)
        await rig.run(3.0)
        arrivals.clear()
        vents_before = len(rig.commands(Vent))
        rig.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=20)
        await rig.run(0.1)
        vents = rig.commands(Vent)[vents_before:]
        assert arrivals, "the spike never reached the coordinator"
        assert vents, "no vent after an over-pressure status"
        latencies_ms.append((vents[0].real_time_s - arrivals[0]) * 1000)
        await rig.run(6.0)
    coordinator.client._on_status = handle
    await rig.close()
    p99 = percentile(latencies_ms, 99)
    report(
        "over-pressure reaction (50/s stream)",
        f"status -> vent at mask, p50 / p99 / max (n={len(latencies_ms)})",
        f"{median(latencies_ms):.2f} / {p99:.2f} / {max(latencies_ms):.2f} ms",
        "p99 < 20 ms",
        ok=p99 < 20,
    )


async def test_host_deadline_precision(
    hass: HomeAssistant, enable_bluetooth: None, freezer: FrozenDateTimeFactory
) -> None:
    """The host's stop leaves after the deadline, and within 1 s of it."""
    rig = MaskRig(hass, freezer, options=OPTIONS, status_interval_s=0.02, mask_clock_rate=0.99)
    assert await rig.setup()
    coordinator = rig.coordinator
    lateness_s: list[float] = []
    for _ in range(DEADLINE_TRIALS):
        await _next_session(rig)
        starts_before, stops_before = len(rig.commands(StartSession)), len(rig.commands(Stop))
        await coordinator.async_start_session(steps=ONE_MINUTE, duration_min=1)
        start = rig.commands(StartSession)[starts_before]
        await rig.run(58.0, tick_s=0.5)
        await rig.run(4.0)
        stops = rig.commands(Stop)[stops_before:]
        assert stops, "the host did not stop the session at its deadline"
        lateness_s.append(stops[0].ha_time - (start.ha_time + 60))
        await rig.run(6.0)
    await rig.close()
    p99 = percentile(lateness_s, 99)
    report(
        "host session deadline",
        f"stop after deadline, min / p50 / p99 (n={len(lateness_s)}, 20 ms ticks)",
        f"{min(lateness_s) * 1000:.0f} / {median(lateness_s) * 1000:.0f} / {p99 * 1000:.0f} ms",
        "0 <= t, p99 <= 1 s",
        ok=min(lateness_s) >= 0 and p99 <= 1,
    )
