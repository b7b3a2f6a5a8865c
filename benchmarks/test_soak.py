"""Soak: 1,000 back-to-back sessions in simulated time; nothing may grow.

Each session connects (the link idled out since the last one), authenticates, mirrors the
limits, starts a short routine, and ends one of four ways in turn: it completes, the host stops
it, an over-pressure spike makes the host vent, or the link drops. Between sessions Home
Assistant's clock jumps six and a half hours (past the cooldown, within the daily cap), and the
virtual mask is factory-reset and given the same host key again, so its own 20-minute cooldown need not be
simulated tick by tick.

Resources are sampled after a warm-up and at the end: Python heap (tracemalloc), asyncio tasks,
scheduled timers (loop._scheduled, not cancelled), event bus listeners, Home Assistant
background tasks.
"""

from __future__ import annotations

import asyncio
from collections import Counter
import gc
import os
import tracemalloc
from typing import TYPE_CHECKING, Any
from unittest.mock import Mock

from homeassistant.helpers import storage

from benchmarks.report import report
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualFault
from tests.fuzz_rig import MaskRig, real_perf_counter

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

SESSIONS = int(os.environ.get("PM_BENCH") or 1000)
# Past the warm-up the session history is at its plateau (history.RETENTION, 7 days: about 26
# sessions 6.5 h apart). The same warm-up for every length, so soaks of 1,000 and 2,000
# sessions compare (PM_BENCH >= 100).
WARM_UP = min(100, SESSIONS // 2)
OPTIONS: dict[str, Any] = {
    "require_button_for_remote_start": False,
    "max_sessions_per_day": 4,
    "cooldown_min": 20,
}
SHORT = (Step(Zone.CHEEKS, 22.0, 1.0, 2.0, 2.0, repetitions=1),)
ENDINGS = ("completed", "stopped", "over_pressure", "link_lost")
# Over a quarter of the longest local day (25 h when daylight saving time ends), so the daily
# cap of 4 never refuses a start: 6 h gaps put 5 starts in that day on a 2,000-session soak.
SESSION_GAP_S = 6.5 * 3600


def _sample(hass: HomeAssistant) -> dict[str, float]:
    gc.collect()
    loop = asyncio.get_running_loop()
    scheduled = [h for h in loop._scheduled if not h.cancelled()]  # type: ignore[attr-defined]
    return {
        "heap_kib": tracemalloc.get_traced_memory()[0] / 1024,
        "tasks": len(asyncio.all_tasks()),
        "timers": len(scheduled),
        "listeners": sum(hass.bus.async_listeners().values()),
        "background_tasks": len(hass._background_tasks),
    }


def clear_test_doubles(rig: MaskRig) -> None:
    """Clear the records the test doubles keep: they are not the integration's memory."""
    # The virtual mask's and the rig's logs of every frame and status.
    rig.received.clear()
    for record in (
        rig.mask.received,
        rig.mask.written_frames,
        rig.mask.sent_frames,
        rig.mask.notified_status,
    ):
        record.clear()
    # The test harness's mock storage keeps every payload it was asked to write.
    mock_write = getattr(storage.Store._async_write_data, "mock", None)
    if isinstance(mock_write, Mock):
        mock_write.reset_mock()


async def one_session(rig: MaskRig, ending: str) -> None:
    coordinator = rig.coordinator
    await rig.jump(SESSION_GAP_S)
    for _ in range(3):
        if not rig.mask.connected:
            break
        await rig.jump(60)
    assert not rig.mask.connected, f"the link did not idle out before a {ending} session"
    rig.mask.factory_reset()
    rig.provision_mask()
    rig.advertise()
    await coordinator.async_set_acknowledged(on=True)
    await coordinator.async_start_session(steps=SHORT, duration_min=1)
    await rig.run(2.0, tick_s=0.1)
    if ending == "stopped":
        await coordinator.async_stop_session()
    elif ending == "over_pressure":
        rig.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=20)
    elif ending == "link_lost":
        rig.mask.inject_fault(VirtualFault.DROP_LINK)
        await rig.run(1.0, tick_s=0.1)
        rig.mask.clear_faults()
    await rig.run(6.0, tick_s=0.1)


async def test_soak(
    hass: HomeAssistant, enable_bluetooth: None, freezer: FrozenDateTimeFactory
) -> None:
    """Resources after the warm-up equal resources after the last session."""
    rig = MaskRig(hass, freezer, options=OPTIONS)
    assert await rig.setup()
    # The first poll's link set-up (device information, status, limits) takes more loop turns
    # than rig.setup() waits; let it finish before the first six-hour jump times it out.
    await rig.run(1.0)
    # Counted, not kept: a list of every event grew by ~160 B a session (it was most of the
    # heap growth this soak measures).
    events: Counter[str] = Counter()
    unsubscribe = rig.coordinator.async_subscribe_session_events(
        lambda event: events.update((event.type,))
    )
    tracemalloc.start()
    start = real_perf_counter()
    before: dict[str, float] = {}
    for index in range(SESSIONS):
        await one_session(rig, ENDINGS[index % len(ENDINGS)])
        clear_test_doubles(rig)
        if index + 1 == WARM_UP:
            before = _sample(hass)
    after = _sample(hass)
    elapsed_s = real_perf_counter() - start
    tracemalloc.stop()
    unsubscribe()
    await rig.close()
    started = events["started"]
    name = f"soak {SESSIONS} sessions"
    report(
        name,
        "sessions started / ended",
        f"{started} / {events.total() - started}",
        str(SESSIONS),
        ok=started == SESSIONS,
    )
    report(
        name,
        "real time",
        f"{elapsed_s:.0f} s ({elapsed_s / SESSIONS * 1000:.0f} ms/session, tracemalloc on)",
    )
    for key in ("tasks", "timers", "listeners", "background_tasks"):
        report(
            name,
            f"{key} after {WARM_UP} -> after {SESSIONS}",
            f"{before[key]:.0f} -> {after[key]:.0f}",
            "no growth",
            ok=after[key] <= before[key],
        )
    growth = after["heap_kib"] - before["heap_kib"]
    report(
        name,
        f"Python heap after {WARM_UP} -> after {SESSIONS}",
        f"{before['heap_kib']:.0f} -> {after['heap_kib']:.0f} KiB ({growth / (SESSIONS - WARM_UP) * 1024:+.0f} B/session)",
        "no growth (< 64 KiB)",
        ok=growth < 64,
    )
