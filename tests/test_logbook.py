"""The logbook, read as the frontend reads it: sessions told in sentences, no phantom entries.

Uses Home Assistant's real recorder (an in-memory SQLite database) and its logbook websocket
API (`logbook/get_events`, behind the logbook panel and the device page's logbook card).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.pressure_mask.coordinator import StartRefusedError
from custom_components.pressure_mask.safety import Limits
from tests.helpers import setup_ready_entry, tick

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import WebSocketGenerator

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

SESSION_EVENT = "event.pmask_ee01_session"


# The recorder must start before Home Assistant (as in test_statistics.py).
@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """Custom integrations enabled, after the recorder."""


@pytest.fixture(autouse=True)
def isolated_config_dir(recorder_mock: Any, hass: HomeAssistant, tmp_path: Path) -> None:
    """A config folder per test (see conftest), after the recorder."""
    hass.config.config_dir = str(tmp_path)


async def _logbook(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, start: datetime
) -> list[dict[str, Any]]:
    """The logbook's entries since `start`, as the frontend receives them.

    Connected only now: after the integration registered its card's path (the HTTP server
    freezes its routes when a client connects), and with no simulated time passing on the line.
    """
    await async_wait_recording_done(hass)
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": start.isoformat(),
            "end_time": (dt_util.utcnow() + timedelta(seconds=1)).isoformat(),
        }
    )
    response = await client.receive_json()
    assert response["success"], response
    entries: list[dict[str, Any]] = response["result"]
    return entries


async def test_the_logbook_tells_sessions_in_sentences(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    *,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert await async_setup_component(hass, "logbook", {})
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    # The logbook's start time is exclusive; the session starts at this very (frozen) moment.
    start = dt_util.utcnow() - timedelta(seconds=1)
    await coordinator.async_start_session(routine_key="full_face_drainage", source="automation")
    await tick(hass, freezer, mask, 360, step_s=1.0)
    with pytest.raises(StartRefusedError):
        await coordinator.async_start_session(routine_key="eye_de_puff", source="automation")
    assert coordinator.cooldown_ends is not None
    ends = dt_util.as_local(coordinator.cooldown_ends)
    # English clock: 7:42 AM, 12:05 PM, no leading zero.
    clock = f"{ends.hour % 12 or 12}:{ends.minute:02d} {'AM' if ends.hour < 12 else 'PM'}"

    entries = [
        entry
        for entry in await _logbook(hass, hass_ws_client, start)
        if entry.get("domain") == "pressure_mask"
    ]
    assert [entry["message"] for entry in entries] == [
        "Session started: Full face drainage, started by an automation",
        "Session completed: Full face drainage, started by an automation",
        f"Start refused: cooling down until {clock}",
    ]
    assert {entry["name"] for entry in entries} == {"PMASK-EE01"}
    assert {entry["entity_id"] for entry in entries} == {SESSION_EVENT}


async def test_each_happening_has_one_sentence_and_the_event_entity_s_own_row(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    *,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Rows counted: per happening one sentence, beside the Session event entity's own row.

    Home Assistant 2026.10's logbook gives an integration no way to describe or hide an entity's
    state change: it leaves out only continuous sensors (with a unit or a state class), counters,
    images and proximity, and exclusions are the person's own configuration (`logbook: exclude:`).
    The event entity's row (the frontend shows its translated event type, "Completed") therefore
    stays beside the sentence; this test keeps it at exactly that, one each, with no repeats.
    """
    assert await async_setup_component(hass, "logbook", {})
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    start = dt_util.utcnow() - timedelta(seconds=1)
    await coordinator.async_start_session(routine_key="neck_and_jaw", source="automation")
    await tick(hass, freezer, mask, 170, step_s=1.0)
    with pytest.raises(StartRefusedError):
        await coordinator.async_start_session(routine_key="neck_and_jaw", source="automation")

    entries = [
        entry
        for entry in await _logbook(hass, hass_ws_client, start)
        if entry.get("entity_id") == SESSION_EVENT
    ]
    sentences = [entry["message"] for entry in entries if entry.get("domain") == "pressure_mask"]
    event_rows = [entry["attributes"]["event_type"] for entry in entries if "state" in entry]
    assert len(sentences) == 3
    assert sentences[0].startswith("Session started: Neck and jaw")
    assert sentences[1].startswith("Session completed: Neck and jaw")
    assert sentences[2].startswith("Start refused: cooling down until")
    assert event_rows == ["started", "completed", "refused"]
    assert len(entries) == len(sentences) + len(event_rows)


async def test_saving_the_options_leaves_no_phantom_entries(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    *,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Saving the limits applies them in place: no "unavailable", no replayed "refused"."""
    assert await async_setup_component(hass, "logbook", {})
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    await coordinator.async_set_acknowledged(on=False)
    with pytest.raises(StartRefusedError):
        await coordinator.async_start_session(routine_key="eye_de_puff")
    assert hass.states.get(SESSION_EVENT).attributes["event_type"] == "refused"  # type: ignore[union-attr]
    await coordinator.async_set_acknowledged(on=True)
    await tick(hass, freezer, mask, 2)
    saved = dt_util.utcnow() - timedelta(seconds=1)  # exclusive; the save happens now

    flow = await hass.config_entries.options.async_init(config_entry.entry_id)
    limits = {**Limits().to_options(), "face_max_mmhg": 25.0}
    del limits["acknowledgement_expiry_days"]  # never: left empty
    result = await hass.config_entries.options.async_configure(flow["flow_id"], limits)
    await hass.async_block_till_done(wait_background_tasks=True)
    await tick(hass, freezer, mask, 2)

    assert result["type"] == "create_entry"
    entries = [
        entry
        for entry in await _logbook(hass, hass_ws_client, saved)
        if entry.get("entity_id", "").startswith(("switch.pmask", "event.pmask", "sensor.pmask"))
        or entry.get("domain") == "pressure_mask"
    ]
    assert not any(entry.get("state") == STATE_UNAVAILABLE for entry in entries)
    # What a person should see: the acknowledgement was withdrawn, so starts need it again.
    assert {(entry["entity_id"], entry.get("state")) for entry in entries} == {
        ("switch.pmask_ee01_contraindications_read_and_accepted", "off"),
        ("sensor.pmask_ee01_status", "needs_acknowledgement"),
        ("sensor.pmask_ee01_start_readiness", "needs_acknowledgement"),
    }
    assert len(entries) == 3
    assert config_entry.runtime_data is coordinator, "applied in place, not by a reload"
    assert coordinator.limits.face_max_mmhg == 25.0
