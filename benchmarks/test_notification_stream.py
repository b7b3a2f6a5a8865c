"""A 10-minute session at 50 status notifications per second, in simulated time.

Figures per entity: state writes per simulated second (state_changed + state_reported events)
and recorder rows (state_changed events: the recorder is not loaded, and it writes one states
row per state_changed event). CPU time per notification is measured around the coordinator's
status handler, which runs the safety check, updates the state and calls every entity.

The naive variant replaces the entity classes with subclasses that write on every coordinator
update (no throttling, no write-on-change); it exists only here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
import time
from typing import TYPE_CHECKING, Any

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback

from benchmarks.report import median, percentile, report
from custom_components.pressure_mask import binary_sensor, coordinator as coordinator_module, sensor
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from tests.fuzz_rig import MaskRig

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    import pytest

    from custom_components.pressure_mask.mask_ble.codec import Status

NOTIFICATIONS_PER_S = 50
SESSION_MIN = 10
# Ten face steps of ten 6 s repetitions: exactly the 10-minute session.
ROUTINE = tuple(
    Step(zone, 25.0, inflate_s=1.5, hold_s=2.0, release_s=2.5, repetitions=10)
    for zone in (Zone.FOREHEAD, Zone.TEMPLES, Zone.CHEEKS, Zone.JAW, Zone.FOREHEAD) * 2
)


@callback
def _write_every_update(entity: Any) -> None:
    entity.async_write_ha_state()


class NaivePressureSensor(sensor.PressureSensor):
    """Writes every notification."""

    _handle_coordinator_update = _write_every_update


class NaiveSensor(sensor.PressureMaskSensor):
    """Writes every coordinator update, changed or not."""

    _handle_coordinator_update = _write_every_update


class NaiveBinarySensor(binary_sensor.PressureMaskBinarySensor):
    """Writes every coordinator update, changed or not."""

    _handle_coordinator_update = _write_every_update


@dataclass
class StreamFigures:
    """What one variant's session produced."""

    notifications: int = 0
    safety_checks: int = 0
    handler_cpu_s: list[float] = field(default_factory=list)
    process_cpu_s: float = 0.0
    simulated_s: float = 0.0
    writes: Counter[str] = field(default_factory=Counter)
    changes: Counter[str] = field(default_factory=Counter)


RESULTS: dict[str, StreamFigures] = {}


async def _run_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> StreamFigures:
    figures = StreamFigures()
    real_check = coordinator_module.check_status

    def counting_check(*args: Any) -> Any:
        figures.safety_checks += 1
        return real_check(*args)

    monkeypatch.setattr(coordinator_module, "check_status", counting_check)
    rig = MaskRig(
        hass,
        freezer,
        options={"require_button_for_remote_start": False},
        status_interval_s=1 / NOTIFICATIONS_PER_S,
    )
    assert await rig.setup()
    coordinator = rig.coordinator
    await coordinator.async_set_acknowledged(on=True)
    client = coordinator.client
    handle = client._on_status
    assert handle is not None

    def timed_handle(status: Status) -> None:
        start = time.thread_time()
        handle(status)
        figures.handler_cpu_s.append(time.thread_time() - start)
        figures.notifications += 1

    @callback
    def count(event: Event[Any]) -> None:
        entity_id = event.data["entity_id"]
        figures.writes[entity_id] += 1
        if event.event_type == EVENT_STATE_CHANGED:
            figures.changes[entity_id] += 1

    @callback
    def ours(event_data: Any) -> bool:
        return str(event_data["entity_id"]).startswith(("sensor.pmask", "binary_sensor.pmask"))

    await coordinator.async_start_session(steps=ROUTINE, duration_min=SESSION_MIN)
    client._on_status = timed_handle
    unsubscribe = [
        hass.bus.async_listen(kind, count, event_filter=ours)
        for kind in (EVENT_STATE_CHANGED, EVENT_STATE_REPORTED)
    ]
    cpu_start = time.process_time()
    await rig.run(SESSION_MIN * 60)
    figures.process_cpu_s = time.process_time() - cpu_start
    figures.simulated_s = SESSION_MIN * 60
    for cancel in unsubscribe:
        cancel()
    client._on_status = handle
    await rig.run(6)  # let the mask finish venting
    await rig.close()
    return figures


async def test_stream_throttled(
    hass: HomeAssistant,
    enable_bluetooth: None,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The integration as shipped."""
    RESULTS["shipped"] = await _run_session(hass, freezer, monkeypatch)


async def test_stream_naive(
    hass: HomeAssistant,
    enable_bluetooth: None,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same session with entities that write on every update, then the comparison."""
    monkeypatch.setattr(sensor, "PressureSensor", NaivePressureSensor)
    monkeypatch.setattr(sensor, "PressureMaskSensor", NaiveSensor)
    monkeypatch.setattr(binary_sensor, "PressureMaskBinarySensor", NaiveBinarySensor)
    RESULTS["naive"] = await _run_session(hass, freezer, monkeypatch)
    _report()


def _report() -> None:
    shipped, naive = RESULTS["shipped"], RESULTS["naive"]
    name = "stream 10 min @ 50/s"
    expected = NOTIFICATIONS_PER_S * SESSION_MIN * 60
    report(
        name,
        "notifications delivered (shipped / naive)",
        f"{shipped.notifications} / {naive.notifications}",
        f"~{expected}",
    )
    report(
        name,
        "notifications safety-checked",
        f"{shipped.safety_checks}/{shipped.notifications}",
        "all",
        ok=shipped.safety_checks >= shipped.notifications > 0,
    )
    for label, fig in (("shipped", shipped), ("naive", naive)):
        cpu = [s * 1e6 for s in fig.handler_cpu_s]
        report(
            name,
            f"CPU/notification, handler p50 / p99 ({label})",
            f"{median(cpu):.0f} / {percentile(cpu, 99):.0f} us",
        )
        report(
            name,
            f"CPU/notification, whole process ({label})",
            f"{fig.process_cpu_s / max(fig.notifications, 1) * 1e6:.0f} us",
        )
    ratio = (sum(naive.handler_cpu_s) / max(naive.notifications, 1)) / (
        sum(shipped.handler_cpu_s) / max(shipped.notifications, 1)
    )
    report(name, "handler CPU naive / shipped", f"{ratio:.1f}x")
    pressure = next(e for e in shipped.writes if e.endswith("_pressure"))
    pressure_rate = shipped.writes[pressure] / shipped.simulated_s
    report(
        name, "pressure writes/s (shipped)", f"{pressure_rate:.2f}", "<= 2", ok=pressure_rate <= 2
    )
    entities = sorted(set(shipped.writes) | set(naive.writes))
    unchanged_writes = sum(
        shipped.writes[e] - shipped.changes[e] for e in entities if e != pressure
    )
    report(
        name,
        "writes without a change, other entities (shipped)",
        str(unchanged_writes),
        "0",
        ok=unchanged_writes == 0,
    )
    for entity in entities:
        short = entity.split(".", 1)[1].removeprefix("pmask_ee77_")
        s_rate = shipped.writes[entity] / shipped.simulated_s
        n_rate = naive.writes[entity] / naive.simulated_s
        report(
            name,
            f"{short}: writes/s, shipped vs naive",
            f"{s_rate:.3f} vs {n_rate:.1f}",
            "<= 2" if entity == pressure else "on change",
        )
    rows_s, rows_n = sum(shipped.changes.values()), sum(naive.changes.values())
    report(
        name,
        "recorder rows/session (state_changed), shipped vs naive",
        f"{rows_s} vs {rows_n} ({rows_n / rows_s:.1f}x)",
    )
    writes_s, writes_n = sum(shipped.writes.values()), sum(naive.writes.values())
    report(
        name,
        "state writes/session, shipped vs naive",
        f"{writes_s} vs {writes_n} ({writes_n / writes_s:.0f}x)",
    )
