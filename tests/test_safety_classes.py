"""The safety defect classes of issue 10, end to end through the virtual proxy and mask.

Each test drives public surfaces (the coordinator's API, services, entities, the options flow,
reloads, simulated time, the virtual mask's faults) and fails when its rule is removed. A refused
request checks that the mask received nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
import math
from typing import TYPE_CHECKING, Any

from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest

from custom_components.pressure_mask.const import DOMAIN, ISSUE_SAFETY_FAULT
from custom_components.pressure_mask.coordinator import (
    HOST_FAULT_STOP_UNCONFIRMED,
    SessionEvent,
    SessionEventType,
)
from custom_components.pressure_mask.mask_ble.codec import Heartbeat, StartSession
from custom_components.pressure_mask.mask_ble.const import (
    HEARTBEAT_TIMEOUT_S,
    VENT_DEADLINE_S,
    VENT_SAFE_MMHG,
    FaultCode,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import (
    SAFETY_FAULT_CODES,
    STOP_CONFIRM_TIMEOUT_S,
    Limits,
)
from devtools.virtual_mask import VirtualFault
from tests.helpers import SessionRig, run_while_time_passes

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry


ACKNOWLEDGEMENT = "switch.pmask_ee01_contraindications_read_and_accepted"
FACE_STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=2)
LONG_FACE_STEP = replace(FACE_STEP, repetitions=60)  # 8 min


class Rig(SessionRig):
    """The shared session rig, and the acknowledgement switch as the frontend sees it."""

    def switch_state(self) -> str:
        """The acknowledgement switch as the frontend sees it."""
        state = self.hass.states.get(ACKNOWLEDGEMENT)
        assert state is not None
        return state.state


@pytest.fixture
def rig(rig: SessionRig) -> Rig:
    """The shared rig (tests/conftest.py) with the switch as the frontend sees it; not set up."""
    return Rig(rig.hass, rig.proxy, rig.mask, rig.config_entry, rig.freezer)


# --- 1. No heartbeat for a session the host gave up on ------------------------------------------


async def test_after_giving_up_on_a_stop_no_heartbeat_keeps_the_session_alive(ready: Rig) -> None:
    """The mask ignores stop and vent: the host stops heartbeating, closes the link, the mask vents."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(3.0)
    ready.mask.inject_fault(VirtualFault.IGNORE_STOP)
    await ready.coordinator.async_stop_session()
    await ready.tick(STOP_CONFIRM_TIMEOUT_S + 0.5)
    assert ready.coordinator.fault == HOST_FAULT_STOP_UNCONFIRMED
    heartbeats = len(ready.sent(Heartbeat))

    await ready.tick(HEARTBEAT_TIMEOUT_S + VENT_DEADLINE_S)

    assert len(ready.sent(Heartbeat)) == heartbeats
    assert not ready.coordinator.client.heartbeats_running
    assert not ready.mask.connected  # so the mask's link-loss rule vents too
    assert not ready.mask.session_active
    assert ready.mask.pressure_mmhg < VENT_SAFE_MMHG
    ready.mask.clear_faults()
    await ready.unload()


async def test_a_status_showing_a_session_does_not_restart_heartbeats(ready: Rig) -> None:
    """Heartbeats stopped by the owner stay stopped, however many statuses show a session."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)
    ready.coordinator.client.stop_heartbeats()
    await ready.tick(2.0)  # eight statuses that show the session
    assert not ready.coordinator.client.heartbeats_running
    await ready.tick(HEARTBEAT_TIMEOUT_S)
    assert ready.mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    await ready.unload()


# --- 2. Heartbeats on schedule, responses matched by seq ----------------------------------------


async def test_one_lost_heartbeat_response_does_not_end_the_session(ready: Rig) -> None:
    """A damaged response must not delay the next heartbeat past the mask's 3 s timeout."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)
    for _ in range(3):
        ready.mask.inject_fault(VirtualFault.CORRUPT_FRAMES, count=1)
        await ready.tick(1.0)
        ready.mask.clear_faults()
        await ready.tick(4.0)
    assert ready.mask.fault is FaultCode.NONE
    assert ready.mask.session_active
    await ready.unload()


async def test_heartbeats_go_out_every_second(ready: Rig) -> None:
    """One heartbeat per second of session, on schedule."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(0.5)
    before = len(ready.sent(Heartbeat))
    await ready.tick(10.0)
    assert len(ready.sent(Heartbeat)) - before in (10, 11)
    await ready.unload()


# --- 8. Every safety fault revokes the acknowledgement; the switch always agrees ------------------


@pytest.mark.parametrize(
    ("fault", "params", "after_s", "code"),
    [
        (VirtualFault.STUCK_SENSOR, {}, 0.5, FaultCode.SENSOR_STUCK),
        (VirtualFault.SLOW_LEAK, {"rate_mmhg_s": 6.0}, 2.5, FaultCode.LEAK),
    ],
)
async def test_a_safety_fault_the_mask_detects_revokes_the_acknowledgement(
    ready: Rig, fault: VirtualFault, params: dict[str, float], after_s: float, code: FaultCode
) -> None:
    """The mask alone sees the fault: the acknowledgement goes off, and stays off after a restart."""
    assert code in SAFETY_FAULT_CODES
    assert ready.switch_state() == "on"
    await ready.coordinator.async_start_session(steps=[FACE_STEP])
    await ready.tick(after_s)
    ready.mask.inject_fault(fault, **params)
    await ready.tick(3.0)

    assert ready.mask.fault is code
    assert ready.coordinator.host_fault is None  # the host itself saw nothing wrong
    assert not ready.coordinator.acknowledged
    assert ready.switch_state() == "off"
    issue_id = f"{ISSUE_SAFETY_FAULT}_{ready.config_entry.entry_id}"
    assert ir.async_get(ready.hass).async_get_issue(DOMAIN, issue_id) is not None

    ready.mask.clear_faults()
    await ready.restart()
    assert not ready.coordinator.acknowledged
    assert ready.switch_state() == "off"
    await ready.unload()


async def test_a_fault_that_says_nothing_about_pressure_keeps_the_acknowledgement(
    ready: Rig,
) -> None:
    """A heartbeat timeout is the link's fault, not the person's: the acknowledgement stays."""
    assert FaultCode.HEARTBEAT_TIMEOUT not in SAFETY_FAULT_CODES
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(1.0)
    ready.coordinator.client.stop_heartbeats()
    await ready.tick(HEARTBEAT_TIMEOUT_S + 1)
    assert ready.mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    assert ready.coordinator.acknowledged
    await ready.unload()


async def test_an_expired_acknowledgement_shows_off_at_once_and_after_a_restart(rig: Rig) -> None:
    """The switch turns off the moment the acknowledgement expires; a start is refused."""
    await rig.setup(Limits(acknowledgement_expiry_days=1, require_button_for_remote_start=False))
    await rig.ha_clock_only(timedelta(days=1).total_seconds() - 60)
    assert rig.switch_state() == "on"
    await rig.ha_clock_only(61)
    assert not rig.coordinator.acknowledged
    assert rig.switch_state() == "off"
    received = len(rig.mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await rig.coordinator.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "acknowledgement_expired"
    assert len(rig.mask.received) == received

    await rig.restart()
    assert rig.switch_state() == "off"
    await rig.coordinator.async_set_acknowledged(True)
    assert rig.switch_state() == "on"
    await rig.unload()


# --- 5. The daily cap counts what ran, by time ---------------------------------------------------


async def run_one_session(rig: Rig) -> None:
    """Arm, confirm with the mask's button, run to completion."""
    await rig.coordinator.async_start_session(steps=[FACE_STEP], source="automation")
    await rig.tick(0.5)
    rig.mask.press_button(hold_s=0.2)
    await rig.tick(FACE_STEP.duration_s + 2)


async def wait_out_the_cooldown(rig: Rig, limits: Limits) -> None:
    """Both clocks past the cooldown (the mask keeps its own)."""
    await rig.ha_clock_only(limits.cooldown_min * 60 + 60)
    rig.mask.advance(limits.cooldown_min * 60 + 60)
    rig.proxy.advertise(rig.mask)
    await rig.hass.async_block_till_done(wait_background_tasks=True)


async def refused_by_the_daily_cap(rig: Rig) -> None:
    """A start now is refused by the daily cap, and the mask receives nothing."""
    received = len(rig.mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await rig.coordinator.async_start_session(steps=[FACE_STEP], source="automation")
    assert refusal.value.translation_key == "daily_cap_reached"
    assert len(rig.mask.received) == received


async def test_unconfirmed_arms_never_push_todays_sessions_out(rig: Rig) -> None:
    """Sixty arms nobody confirms between two sessions: the cap of 2 still holds."""
    rig.freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=9))
    limits = Limits(max_sessions_per_day=2)
    await rig.setup(limits)
    await run_one_session(rig)
    assert rig.coordinator.sessions_today == 1
    await wait_out_the_cooldown(rig, limits)

    for _ in range(60):
        await rig.coordinator.async_start_session(steps=[FACE_STEP], source="automation")
        await rig.coordinator.async_stop_session()
        await rig.tick(0.5)
    assert rig.coordinator.sessions_today == 1
    assert len(rig.coordinator.history.ran_on(dt_util.utcnow())) == 1

    await run_one_session(rig)
    assert rig.coordinator.sessions_today == 2
    await wait_out_the_cooldown(rig, limits)
    await refused_by_the_daily_cap(rig)
    await rig.restart()
    assert rig.coordinator.sessions_today == 2
    await rig.unload()


async def test_a_session_early_in_the_day_still_counts_late_at_night(rig: Rig) -> None:
    """History is kept for at least the day: a 01:00 session counts towards the cap at 21:00."""
    rig.freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=1))
    limits = Limits(max_sessions_per_day=2)
    await rig.setup(limits)
    await run_one_session(rig)
    await rig.ha_clock_only(timedelta(hours=20).total_seconds())
    await wait_out_the_cooldown(rig, limits)
    await run_one_session(rig)
    assert rig.coordinator.sessions_today == 2
    await wait_out_the_cooldown(rig, limits)
    assert dt_util.as_local(dt_util.utcnow()).hour == 21  # the same local day, 20 h on
    await refused_by_the_daily_cap(rig)
    await rig.unload()


async def test_a_start_whose_answer_was_lost_counts_and_is_explained(ready: Rig) -> None:
    """The start reached the mask, its answer did not come back: it counts, it is stopped."""
    ready.mask.inject_fault(VirtualFault.CORRUPT_FRAMES, count=1)
    with pytest.raises(HomeAssistantError) as failure:
        await run_while_time_passes(
            ready.hass,
            ready.freezer,
            ready.coordinator.async_start_session(steps=[FACE_STEP]),
            step_s=0.5,
        )
    assert failure.value.translation_key == "start_unanswered"
    assert len(ready.sent(StartSession)) == 1
    await ready.tick(2.0)
    assert not ready.mask.session_active
    assert ready.coordinator.sessions_today == 1
    assert ready.coordinator.cooldown_ends is not None
    await ready.unload()


# --- 7. What the host checks is what it sends ---------------------------------------------------

MINUTE_FACE_STEP = replace(FACE_STEP, release_s=5.0, repetitions=6)  # exactly 60 s
BREATH = Step(Zone.NONE, 0.0, inflate_s=0.2, hold_s=0.0, release_s=0.2, repetitions=1)


async def test_a_routine_that_fits_only_the_unrounded_deadline_is_refused(ready: Rig) -> None:
    """60.4 s of routine, duration 1.008 min: the mask gets 60 s, so the host refuses."""
    received = len(ready.mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await ready.coordinator.async_start_session(
            steps=[MINUTE_FACE_STEP, BREATH], duration_min=1.008
        )
    assert refusal.value.translation_key == "routine_too_long"
    assert refusal.value.translation_placeholders["routine_duration"] == "1 min 1 s"
    assert refusal.value.translation_placeholders["session_duration"] == "1 min"
    assert len(ready.mask.received) == received


async def test_steps_are_checked_and_sent_as_encoded(ready: Rig) -> None:
    """The steps the mask receives are the steps the host checked, to the millisecond."""
    step = Step(Zone.CHEEKS, 24.96, inflate_s=1.0004, hold_s=2.0, release_s=2.0, repetitions=1)
    await ready.coordinator.async_start_session(steps=[step])
    (sent,) = ready.sent(StartSession)
    assert isinstance(sent, StartSession)
    assert sent.steps[0].pressure_mmhg == 25.0
    assert sent.steps[0].inflate_s == 1.0
    assert ready.coordinator._session is not None
    assert ready.coordinator._session.plan.steps == sent.steps
    await ready.unload()


async def test_limits_that_do_not_encode_exactly_are_refused(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    """20.06 mmHg would be stored as 20.1: the options flow refuses it, nothing changes."""
    before = dict(mask_entry.options)
    result = await hass.config_entries.options.async_init(mask_entry.entry_id)
    user_input = {**Limits().to_options(), "face_max_mmhg": 20.06, "neck_max_mmhg": 17.5}
    user_input.pop("acknowledgement_expiry_days")
    result = await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"face_max_mmhg": "too_precise"}
    assert dict(mask_entry.options) == before
    await hass.config_entries.async_unload(mask_entry.entry_id)


# --- 10. Malformed service input: a translated validation error, nothing sent --------------------

WRONG_VALUES: tuple[object, ...] = (None, [], [25], {}, {"a": 1}, True, math.inf, math.nan, "abc")
GOOD_STEP = {"zone": "forehead", "pressure": 20, "inflate": 1, "hold": 2, "release": 2}


def malformed_calls(device_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Every field of every service given every wrong type (names keep their string type)."""
    good: dict[str, dict[str, Any]] = {
        "start_session": {"device_id": device_id, "routine": "quick_morning", "duration": 10},
        "run_custom_routine": {
            "device_id": device_id,
            "steps": [{**GOOD_STEP, "repetitions": 1}],
            "duration": 10,
        },
        "stop_session": {"device_id": device_id},
    }
    calls: list[tuple[str, dict[str, Any]]] = []
    for service, data in good.items():
        for name in [*data, "pressure"] if service == "start_session" else data:
            for value in WRONG_VALUES:
                if name in {"device_id", "routine"} and isinstance(value, str):
                    continue
                calls.append((service, {**data, name: value}))
    for name in [*GOOD_STEP, "repetitions"]:
        for value in (*WRONG_VALUES, 1.5) if name == "repetitions" else WRONG_VALUES:
            if name == "zone" and value == "abc":
                value = "nose"  # noqa: PLW2901 - a name that is not a zone
            step = {**GOOD_STEP, "repetitions": 1, name: value}
            calls.append(("run_custom_routine", {"device_id": device_id, "steps": [step]}))
    calls.append(("stop_all", {"device_id": device_id}))
    return calls


async def test_every_wrong_type_in_every_field_is_a_translated_refusal(ready: Rig) -> None:
    """null, lists, mappings, booleans, inf, NaN and words where numbers or names belong."""
    (device,) = dr.async_entries_for_config_entry(
        dr.async_get(ready.hass), ready.config_entry.entry_id
    )
    received = len(ready.mask.received)
    calls = malformed_calls(device.id)
    assert len(calls) > 100
    for service, data in calls:
        with pytest.raises(ServiceValidationError) as refusal:
            await ready.hass.services.async_call(DOMAIN, service, data, blocking=True)
        assert refusal.value.translation_domain == DOMAIN, (service, data)
        assert refusal.value.translation_key == "invalid_service_data", (service, data)
        assert len(ready.mask.received) == received, (service, data)
    assert not any(event.type for event in ready.events)
    await ready.unload()


# --- 9. One terminal event per session, after its start -------------------------------------------

SESSION_EVENT = "event.pmask_ee01_session"


def event_entity(rig: Rig) -> tuple[str, str | None]:
    """The session event entity's last event type and reason."""
    state = rig.hass.states.get(SESSION_EVENT)
    assert state is not None
    return state.attributes["event_type"], state.attributes.get("reason")


def lifecycle(events: list[SessionEvent]) -> list[str]:
    """The event types of sessions (refusals are not sessions)."""
    return [event.type.value for event in events if event.type is not SessionEventType.REFUSED]


async def test_a_stop_that_wins_against_an_in_flight_start_is_told_after_it(ready: Rig) -> None:
    """Stop while the start is in flight: started, then stopped; the entity ends on stopped."""
    start = ready.hass.async_create_task(ready.coordinator.async_start_session(steps=[FACE_STEP]))
    for _ in range(100):  # until the start has reached the mask, its answer not yet back
        if ready.sent(StartSession):
            break
        await asyncio.sleep(0)
    assert not start.done()
    await ready.coordinator.async_stop_session()
    await start
    await ready.tick(1.0)
    assert not ready.mask.session_active
    assert lifecycle(ready.events) == ["started", "stopped"]
    assert event_entity(ready)[0] == "stopped"
    await ready.unload()


@pytest.mark.parametrize(("how", "reason"), [("reload", "unload"), ("options", "limits_changed")])
async def test_a_session_ended_by_a_reload_or_an_options_change_is_told(
    ready: Rig, how: str, reason: str
) -> None:
    """The event entity hears the end of a session a reload or new options stop.

    New options apply in place (no reload): the session checked against the old ones stops.
    """
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)
    assert event_entity(ready) == ("started", None)
    if how == "reload":
        await ready.hass.config_entries.async_reload(ready.config_entry.entry_id)
    else:
        flow = await ready.hass.config_entries.options.async_init(ready.config_entry.entry_id)
        user_input = Limits(require_button_for_remote_start=False, cooldown_min=30).to_options()
        user_input.pop("acknowledgement_expiry_days")
        flow = await ready.hass.config_entries.options.async_configure(flow["flow_id"], user_input)
        assert flow["type"] is FlowResultType.CREATE_ENTRY
    await ready.hass.async_block_till_done(wait_background_tasks=True)
    await ready.tick(1.0)
    assert event_entity(ready) == ("stopped", reason)
    assert lifecycle(ready.events) == ["started", "stopped"]
    assert not ready.mask.session_active
    await ready.unload()


# --- 6. Sensitive zones are never held continuously ---------------------------------------------


@pytest.mark.parametrize(
    ("steps", "rule", "placeholders"),
    [
        (
            [{"zone": "neck", "pressure": 18, "inflate": 1.5, "hold": 3, "release": 0}],
            "release_too_short",
            {"zone": "neck", "release_s": "0", "min_release_s": "3"},
        ),
        (
            [{"zone": "under_eye", "pressure": 12, "inflate": 1, "hold": 3, "release": 2.5}],
            "release_too_short",
            {"zone": "under-eye area", "release_s": "2.5", "min_release_s": "3"},
        ),
        (
            [
                {"zone": "neck", "pressure": 18, "inflate": 1.5, "hold": 3, "release": 0.1},
                {"zone": "neck", "pressure": 18, "inflate": 1.5, "hold": 3, "release": 3.5},
            ],
            "release_too_short",
            {"zone": "neck", "release_s": "0.1", "min_release_s": "3"},
        ),
        (
            [
                {"zone": "jaw", "pressure": 15, "inflate": 1.5, "hold": 4, "release": 0.1},
                {"zone": "neck", "pressure": 15, "inflate": 1.5, "hold": 3, "release": 3.5},
            ],
            "continuous_pressure_too_long",
            {"zone": "neck", "pressurised_s": "32.5", "limit_s": "5", "min_release_s": "3"},
        ),
        (
            [{"zone": "neck", "pressure": 18, "inflate": 3, "hold": 3, "release": 3}],
            "continuous_pressure_too_long",
            {"zone": "neck", "pressurised_s": "6", "limit_s": "5", "min_release_s": "3"},
        ),
    ],
    ids=["neck-release-0", "eye-release-under-3s", "neck-steps-0.1s", "jaw-into-neck", "6s"],
)
async def test_a_sensitive_zone_held_continuously_is_refused(
    ready: Rig, steps: list[dict[str, Any]], rule: str, placeholders: dict[str, str]
) -> None:
    """Refused with the zone and the numbers; the mask receives nothing."""
    (device,) = dr.async_entries_for_config_entry(
        dr.async_get(ready.hass), ready.config_entry.entry_id
    )
    received = len(ready.mask.received)
    data = {"device_id": device.id, "steps": [{**step, "repetitions": 5} for step in steps]}
    with pytest.raises(ServiceValidationError) as refusal:
        await ready.hass.services.async_call(DOMAIN, "run_custom_routine", data, blocking=True)
    assert refusal.value.translation_key == rule
    assert refusal.value.translation_placeholders == placeholders
    assert len(ready.mask.received) == received
    await ready.unload()
