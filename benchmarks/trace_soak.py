"""What grows in the soak: tracemalloc snapshots compared by traceback (docs/performance.md).

Not a benchmark (not collected by scripts/bench); run it by path:
    scripts/bench benchmarks/trace_soak.py -s
It runs the soak's sessions, snapshots the heap after 100, 250 and 400 sessions (30 frames a
trace, so it is slow: about 10 minutes) and prints the top growth between snapshots.
"""

from __future__ import annotations

import gc
import itertools
import tracemalloc
from typing import TYPE_CHECKING

from benchmarks.test_soak import ENDINGS, OPTIONS, clear_test_doubles, one_session
from tests.fuzz_rig import MaskRig

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

MARKS = (100, 250, 400)
TOP = 12


async def test_trace_soak(
    hass: HomeAssistant, enable_bluetooth: None, freezer: FrozenDateTimeFactory
) -> None:
    """Print the allocations that grow between the snapshots, with their tracebacks."""
    rig = MaskRig(hass, freezer, options=OPTIONS)
    assert await rig.setup()
    await rig.run(1.0)
    tracemalloc.start(30)
    snapshots: dict[int, tracemalloc.Snapshot] = {}
    for index in range(MARKS[-1]):
        await one_session(rig, ENDINGS[index % len(ENDINGS)])
        clear_test_doubles(rig)
        if index + 1 in MARKS:
            gc.collect()
            snapshots[index + 1] = tracemalloc.take_snapshot().filter_traces(
                (tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__),)
            )
    tracemalloc.stop()
    for before, after in itertools.pairwise(MARKS):
        print(f"\n===== after {before} -> after {after} sessions =====")
        for stat in snapshots[after].compare_to(snapshots[before], "traceback")[:TOP]:
            print(f"\n{stat.size_diff:+d} B {stat.count_diff:+d} blocks (now {stat.size} B)")
            for line in stat.traceback.format(most_recent_first=True)[:24]:
                print("   ", line)
    await rig.close()
