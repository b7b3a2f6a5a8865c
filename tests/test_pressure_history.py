"""The pressure history keeps what matters for safety: every over-limit reading, every maximum.

The pressure sensor writes at most once per PRESSURE_WRITE_INTERVAL_S; these tests check that
the thinning never drops a reading above its zone's limit, nor a session's maximum, and that the
state still settles on the latest reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.pressure_mask.const import PRESSURE_WRITE_INTERVAL_S
from custom_components.pressure_mask.mask_ble.codec import DeviceLimits
from custom_components.pressure_mask.mask_ble.const import Phase, Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualFault

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from tests.helpers import SessionRig

PRESSURE = "sensor.pmask_ee01_pressure"
STEP = Step(Zone.CHEEKS, 25.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=3)
NOTIFY_S = 0.05  # 20 notifications a second: most readings are not written


def _follow(hass: HomeAssistant, written: list[float]) -> None:
    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        state = event.data["new_state"]
        if state is not None and state.state not in ("unknown", "unavailable"):
            written.append(float(state.state))

    async_track_state_change_event(hass, [PRESSURE], record)


async def test_a_session_maximum_is_written_and_the_state_settles(ready: SessionRig) -> None:
    """The highest reading of the session is in the history; writes stay within the interval."""
    coordinator = ready.coordinator
    ready.mask.status_interval_s = NOTIFY_S
    written: list[float] = []
    _follow(ready.hass, written)
    notified = len(ready.mask.notified_status)

    await coordinator.async_start_session(steps=[STEP])

    # A short peak below the limit, while the valve releases: gone within a fraction of a second.
    while coordinator.status is None or coordinator.status.phase is not Phase.RELEASING:
        await ready.tick(NOTIFY_S, step_s=NOTIFY_S)
    ready.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=4.5)
    await ready.tick(2.0, step_s=NOTIFY_S)

    readings = [status.pressure_mmhg for status in ready.mask.notified_status[notified:]]
    assert max(readings) < coordinator.limits.face_max_mmhg
    assert len(readings) >= 8.0 / NOTIFY_S * 0.9
    assert max(written) == max(readings)
    assert len(written) <= 10.0 / PRESSURE_WRITE_INTERVAL_S + 2
    # Between writes the state settles on the latest reading.
    await coordinator.async_stop_session()
    await ready.tick(5.0, step_s=NOTIFY_S)
    state = ready.hass.states.get(PRESSURE)
    assert state is not None
    assert coordinator.status is not None
    assert float(state.state) == coordinator.status.pressure_mmhg
    await ready.unload()


async def test_a_reading_over_its_zone_limit_is_written_at_once(ready: SessionRig) -> None:
    """A spike between two throttled writes is written as it arrives, not thinned away."""
    coordinator = ready.coordinator
    ready.mask.status_interval_s = NOTIFY_S
    # The mask with looser limits than the host's, so the spike stays on the mask for a while.
    ready.mask.limits = DeviceLimits(40.0, 20.0, 25.0, 20 * 60, require_button=False)
    await coordinator.async_start_session(steps=[STEP])
    await ready.tick(3.0, step_s=NOTIFY_S)
    written: list[float] = []
    _follow(ready.hass, written)
    notified = len(ready.mask.notified_status)

    ready.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=6.0)  # ~25 -> ~31 (limit 30)
    await ready.tick(NOTIFY_S, step_s=NOTIFY_S)

    over = [
        status.pressure_mmhg
        for status in ready.mask.notified_status[notified:]
        if status.pressure_mmhg > coordinator.limits.face_max_mmhg
    ]
    assert over
    # Written within the same notification, though the last write was less than an interval ago.
    assert over[0] in written
    await coordinator.async_stop_session()
    await ready.tick(2.0)
    await ready.unload()
