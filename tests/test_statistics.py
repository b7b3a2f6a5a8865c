"""Long-term statistics: the totals are counted right across a restart; the recorder stays light.

Uses Home Assistant's real recorder (an in-memory SQLite database) and its statistics compiler,
as the statistics graph card reads them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
    statistics_during_period,
)

from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import Limits
from tests.helpers import setup_ready_entry, tick

if TYPE_CHECKING:
    from pathlib import Path

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy


# The recorder must start before Home Assistant: these replace conftest's autouse fixtures that
# ask for `hass` first.
@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """Custom integrations enabled, after the recorder."""


@pytest.fixture(autouse=True)
def isolated_config_dir(recorder_mock: Any, hass: HomeAssistant, tmp_path: Path) -> None:
    """A config folder per test (see conftest), after the recorder."""
    hass.config.config_dir = str(tmp_path)


SESSIONS = "sensor.pmask_ee01_sessions_in_total"
THERAPY = "sensor.pmask_ee01_therapy_time_in_total"
STATUS = "sensor.pmask_ee01_status"
BREATHING = Step(Zone.NONE, 0.0, inflate_s=4.0, hold_s=1.0, release_s=5.0, repetitions=1)
CHEEKS = Step(Zone.CHEEKS, 25.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=2)
# 10 s of breathing and 20 s of cheeks.
SESSION_S = 30


async def _compile(hass: HomeAssistant, start: datetime) -> None:
    """Compile the five-minute statistics of the period that starts at `start`."""
    await async_wait_recording_done(hass)
    do_adhoc_statistics(hass, start=start)
    await async_wait_recording_done(hass)


async def _session(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    mask: VirtualMask,
    freezer: FrozenDateTimeFactory,
) -> None:
    await config_entry.runtime_data.async_start_session(steps=[BREATHING, CHEEKS])
    await tick(hass, freezer, mask, SESSION_S + 2, step_s=0.5)


def _sums(hass: HomeAssistant, start: datetime, statistic_id: str) -> list[float]:
    rows = statistics_during_period(
        hass, start, statistic_ids={statistic_id}, period="5minute", types={"sum", "state"}
    )[statistic_id]
    return [row["sum"] for row in rows]


async def test_totals_in_long_term_statistics_across_a_restart(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two sessions around a reload: the statistics sum to two sessions and 60 s of therapy."""
    first = dt_util.utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    freezer.move_to(first + timedelta(seconds=5))
    await setup_ready_entry(hass, config_entry, proxy, mask)
    await _session(hass, config_entry, mask, freezer)
    assert hass.states.get(SESSIONS).state == "1"  # type: ignore[union-attr]
    freezer.move_to(first + timedelta(minutes=5))
    await _compile(hass, first)

    # Home Assistant restarts the integration; the totals come back from storage.
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(SESSIONS).state == "1"  # type: ignore[union-attr]

    second = first + timedelta(minutes=Limits().cooldown_min + 5)
    freezer.move_to(second + timedelta(seconds=5))
    mask.advance((second - first).total_seconds())
    await tick(hass, freezer, mask, 1.0)
    await _session(hass, config_entry, mask, freezer)
    freezer.move_to(second + timedelta(minutes=5))
    await _compile(hass, second)

    assert _sums(hass, first, SESSIONS) == [1.0, 2.0]
    assert _sums(hass, first, THERAPY) == [SESSION_S / 60, 2 * SESSION_S / 60]
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_per_second_attributes_are_not_recorded(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The status's step and breath counters change every few seconds: the recorder skips them."""
    start = dt_util.utcnow()
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    await coordinator.async_start_session(steps=[BREATHING, CHEEKS])
    await tick(hass, freezer, mask, 14.0, step_s=0.5)
    live = hass.states.get(STATUS)
    assert live is not None
    assert live.state == "running"
    assert live.attributes["step"] == 2
    await async_wait_recording_done(hass)

    history = await get_instance(hass).async_add_executor_job(
        partial(get_significant_states, significant_changes_only=False),
        hass,
        start,
        None,
        [STATUS],
    )
    recorded = history[STATUS]
    assert {state.state for state in recorded} >= {"breathing", "running"}
    for state in recorded:
        assert not {"step", "repetition", "breath", "breathing_phase"} & set(state.attributes)
    await tick(hass, freezer, mask, SESSION_S, step_s=0.5)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
