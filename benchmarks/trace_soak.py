"""What grows in the soak: tracemalloc snapshots compared by traceback (docs/performance.md).

Not a benchmark (not collected by scripts/bench); run it by path:
    scripts/bench benchmarks/trace_soak.py -s
test_object_counts (about a minute, no tracemalloc): objects the garbage collector tracks, by
type, and allocated memory blocks after 200, 600, 1,000 and 1,400 sessions.
test_trace_soak (slow, about 10 minutes: 30 frames a trace): tracemalloc snapshots after 100, 250
and 400 sessions, the top growth between them with its traceback.
"""

from __future__ import annotations

from collections import Counter
import gc
import itertools
import sys
import tracemalloc
from typing import TYPE_CHECKING

from benchmarks.test_soak import ENDINGS, OPTIONS, clear_test_doubles, one_session
from tests.fuzz_rig import MaskRig

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

MARKS = (100, 250, 400)
COUNT_MARKS = (200, 600, 1000, 1400)
TOP = 12


async def test_object_counts(
    hass: HomeAssistant, enable_bluetooth: None, freezer: FrozenDateTimeFactory
) -> None:
    """Print the object types whose count changes between the marks."""
    rig = MaskRig(hass, freezer, options=OPTIONS)
    assert await rig.setup()
    await rig.run(1.0)
    counts: dict[int, Counter[str]] = {}
    for index in range(COUNT_MARKS[-1]):
        await one_session(rig, ENDINGS[index % len(ENDINGS)])
        clear_test_doubles(rig)
        if index + 1 in COUNT_MARKS:
            gc.collect()
            counts[index + 1] = Counter(type(obj).__qualname__ for obj in gc.get_objects())
            print(  # the counter above is one object more each mark
                f"after {index + 1}: {counts[index + 1].total()} objects,"
                f" {sys.getallocatedblocks()} blocks"
            )
    for before, after in itertools.pairwise(COUNT_MARKS):
        changed = {
            name: counts[after][name] - counts[before][name]
            for name in counts[after] | counts[before]
            if counts[after][name] != counts[before][name]
        }
        print(f"{before} -> {after}: {sorted(changed.items())}")
    await rig.close()


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
