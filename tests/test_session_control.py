"""Session control and host-side safety, end to end through the virtual proxy and mask.

Each test breaks when its rule is removed from the coordinator; each refusal checks that the
mask received nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed_exact,
)

from custom_components.pressure_mask.const import (
    CONF_KEY,
    DOMAIN,
    ISSUE_ACKNOWLEDGEMENT_REQUIRED,
    ISSUE_LIMITS_MISMATCH,
    ISSUE_SAFETY_FAULT,
    SOURCE_AUTOMATION,
)
from custom_components.pressure_mask.coordinator import (
    HOST_FAULT_OVER_PRESSURE,
    HOST_FAULT_STOP_UNCONFIRMED,
    PressureMaskCoordinator,
    SessionEvent,
    SessionEventType,
)
from custom_components.pressure_mask.mask_ble.codec import (
    DeviceLimits,
    StartSession,
    Stop,
    Vent,
)
from custom_components.pressure_mask.mask_ble.const import (
    ARM_TIMEOUT_S,
    FaultCode,
    Phase,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import Limits
from devtools.virtual_mask import VirtualFault
from tests.helpers import SessionRig, run_while_time_passes
from tests.mask_ble.conftest import DirectHost

# One short face step: 2 s inflate, 3 s hold, 3 s release, twice (16 s).
FACE_STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=2)
LONG_FACE_STEP = replace(FACE_STEP, repetitions=60)  # 8 min
MINUTE_FACE_STEP = replace(FACE_STEP, release_s=5.0, repetitions=6)  # exactly 60 s


Rig = SessionRig


# --- Refusals: the mask receives nothing -------------------------------------------------------


async def test_automation_start_without_acknowledgement_is_refused(ready: Rig) -> None:
    """No acknowledgement: refused, a repair issue appears, the mask receives nothing."""
    await ready.coordinator.async_set_acknowledged(False)
    received = len(ready.mask.received)

    with pytest.raises(ServiceValidationError) as refusal:
        await ready.coordinator.async_start_session(
            routine_key="quick_morning", source=SOURCE_AUTOMATION
        )

    assert refusal.value.translation_key == "acknowledgement_required"
    assert len(ready.mask.received) == received
    issue_id = f"{ISSUE_ACKNOWLEDGEMENT_REQUIRED}_{ready.config_entry.entry_id}"
    assert ir.async_get(ready.hass).async_get_issue(DOMAIN, issue_id) is not None
    assert ready.events == [
        SessionEvent(
            SessionEventType.REFUSED,
            "quick_morning",
            SOURCE_AUTOMATION,
            "acknowledgement_required",
            "Not started: the safety acknowledgement is off. Read the contraindications, then "
            'turn on "Contraindications read and accepted".',
        )
    ]
    # Giving the acknowledgement clears the repair issue.
    await ready.coordinator.async_set_acknowledged(True)
    assert ir.async_get(ready.hass).async_get_issue(DOMAIN, issue_id) is None
    await ready.unload()


async def test_dashboard_start_without_acknowledgement_raises_no_repair(ready: Rig) -> None:
    """From the dashboard the person sees the refusal at once; no repair issue is needed."""
    await ready.coordinator.async_set_acknowledged(False)
    with pytest.raises(ServiceValidationError):
        await ready.coordinator.async_start_session()
    assert not ready.sent(StartSession)
    assert not ir.async_get(ready.hass).issues
    await ready.unload()


@pytest.mark.parametrize(
    ("request_kwargs", "rule"),
    [
        ({"routine_key": "quick_morning", "pressure_mmhg": 31.0}, "pressure_over_limit"),
        ({"routine_key": "quick_morning", "duration_min": 11}, "duration_over_limit"),
        ({"routine_key": "no_such_routine"}, "unknown_routine"),
        ({"routine_key": "quick_morning", "pressure_mmhg": float("nan")}, "invalid_value"),
        (
            {"steps": [replace(FACE_STEP, zone=Zone.NECK, pressure_mmhg=21.0)]},
            "pressure_over_limit",
        ),
    ],
    ids=["pressure", "duration", "unknown_routine", "nan", "neck_step"],
)
async def test_requests_over_the_limits_are_refused(
    ready: Rig, request_kwargs: dict[str, object], rule: str
) -> None:
    """Reject, never clamp: the rule is named and nothing reaches the mask."""
    received = len(ready.mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await ready.coordinator.async_start_session(**request_kwargs)  # type: ignore[arg-type]
    assert refusal.value.translation_key == rule
    assert len(ready.mask.received) == received
    assert [event.type for event in ready.events] == [SessionEventType.REFUSED]
    await ready.unload()


# --- A session, and the host's deadline --------------------------------------------------------


async def test_session_runs_to_completion_and_is_recorded(ready: Rig) -> None:
    """Start, follow the mask to the end, record it; the cooldown starts."""
    await ready.coordinator.async_start_session(steps=[FACE_STEP])
    await ready.tick(3.0)
    assert ready.coordinator.session_active
    assert ready.coordinator.status is not None
    assert ready.coordinator.status.phase is Phase.HOLDING

    await ready.tick(15.0)
    assert not ready.coordinator.session_active
    assert [event.type for event in ready.events] == [
        SessionEventType.STARTED,
        SessionEventType.COMPLETED,
    ]
    assert ready.coordinator.sessions_today == 1
    assert ready.coordinator.last_session is not None
    cooldown_ends = ready.coordinator.cooldown_ends
    assert cooldown_ends is not None
    assert cooldown_ends > dt_util.utcnow()
    await ready.unload()


async def test_host_deadline_stops_the_session(ready: Rig) -> None:
    """At the maximum duration the host stops the session, even if the mask's clock is behind."""
    await ready.coordinator.async_start_session(steps=[MINUTE_FACE_STEP], duration_min=1)
    await ready.tick(59.0, step_s=0.5)
    assert ready.coordinator.session_active
    assert not ready.sent(Stop)

    # Home Assistant's clock reaches the deadline; the mask's lags 0.5 s behind.
    ready.freezer.tick(timedelta(seconds=1.5))
    async_fire_time_changed_exact(ready.hass, dt_util.utcnow())
    await ready.hass.async_block_till_done()
    ready.mask.advance(0.25)
    await ready.hass.async_block_till_done()

    assert len(ready.sent(Stop)) == 1
    assert ready.mask.stop_reason is StopReason.HOST_STOP
    assert ready.events[-1] == SessionEvent(SessionEventType.STOPPED, "custom", "ui", "deadline")
    await ready.unload()


async def test_mask_that_ignores_stop_gets_vent_and_fault(ready: Rig) -> None:
    """Stop not confirmed within 2 s: vent, a fault, a repair issue, the acknowledgement revoked."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)
    ready.mask.inject_fault(VirtualFault.IGNORE_STOP)

    await ready.coordinator.async_stop_session()
    await ready.tick(1.5)
    assert not ready.sent(Vent)
    await ready.tick(1.0)

    assert len(ready.sent(Vent)) >= 1
    assert ready.coordinator.fault == HOST_FAULT_STOP_UNCONFIRMED
    assert not ready.coordinator.acknowledged
    issue_id = f"{ISSUE_SAFETY_FAULT}_{ready.config_entry.entry_id}"
    assert ir.async_get(ready.hass).async_get_issue(DOMAIN, issue_id) is not None
    assert ready.events[-1].type is SessionEventType.ABORTED
    assert ready.events[-1].reason == HOST_FAULT_STOP_UNCONFIRMED
    ready.mask.clear_faults()
    await ready.unload()


# --- Live supervision --------------------------------------------------------------------------


async def test_over_pressure_spike_vents_within_one_notification(ready: Rig) -> None:
    """A reading above the zone limit + 3 mmHg: vent at once, fault, repair, no acknowledgement.

    The mask here runs with looser limits than the host's (as a mask with stale limits would),
    so only the host's supervision can catch the spike.
    """
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(3.0)
    assert ready.coordinator.status is not None
    assert ready.coordinator.status.phase is Phase.HOLDING
    ready.mask.limits = DeviceLimits(40.0, 20.0, 25.0, 20 * 60)
    assert not ready.sent(Vent)

    ready.mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=12.0)  # ~25 -> ~37 mmHg (> 33)
    await ready.tick(0.25)  # one status notification

    assert len(ready.sent(Vent)) == 1
    # Later notifications while it vents change nothing more: one fault, one event.
    await ready.tick(1.0)
    assert [event.type for event in ready.events].count(SessionEventType.ABORTED) == 1
    assert ready.mask.fault is FaultCode.NONE  # the mask itself saw nothing wrong
    assert ready.coordinator.fault == HOST_FAULT_OVER_PRESSURE
    assert not ready.coordinator.acknowledged
    issue_id = f"{ISSUE_SAFETY_FAULT}_{ready.config_entry.entry_id}"
    assert ir.async_get(ready.hass).async_get_issue(DOMAIN, issue_id) is not None
    assert ready.events[-1].type is SessionEventType.ABORTED
    assert ready.events[-1].reason == HOST_FAULT_OVER_PRESSURE

    # A new session is refused; the acknowledgement comes back only through the repair flow
    # (tests/test_repairs.py), so turning it on neither works nor removes the repair.
    with pytest.raises(ServiceValidationError):
        await ready.coordinator.async_start_session(steps=[FACE_STEP])
    with pytest.raises(ServiceValidationError):
        await ready.coordinator.async_set_acknowledged(True)
    assert ready.coordinator.fault == HOST_FAULT_OVER_PRESSURE
    assert ir.async_get(ready.hass).async_get_issue(DOMAIN, issue_id) is not None
    await ready.unload()


# --- Link loss and restarts --------------------------------------------------------------------


async def test_link_drop_aborts_and_nothing_resumes(ready: Rig) -> None:
    """The link drops mid-session: recorded aborted; after reconnecting nothing restarts."""
    await ready.coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)
    ready.mask.inject_fault(VirtualFault.DROP_LINK)
    await ready.hass.async_block_till_done()

    assert ready.events[-1] == SessionEvent(SessionEventType.ABORTED, "custom", "ui", "link_lost")
    assert ready.coordinator.history.last is not None
    assert ready.coordinator.history.last.outcome == "aborted"

    ready.mask.clear_faults()
    ready.proxy.advertise(ready.mask)
    await ready.tick(5.0)
    assert len(ready.sent(StartSession)) == 1
    assert not ready.mask.session_active
    await ready.unload()


async def test_session_left_from_before_a_restart_is_stopped(rig: Rig) -> None:
    """A session the coordinator does not own is stopped as soon as it connects."""
    host = DirectHost(rig.mask)
    host.authenticate()
    host.start(FACE_STEP, await_button=True)
    rig.mask.press_button()
    assert rig.mask.session_active

    await rig.setup()

    assert len(rig.sent(Stop)) == 1
    assert not rig.mask.session_active
    assert rig.mask.stop_reason is StopReason.HOST_STOP
    # Stopped before the limits were written, so the mask took them.
    assert rig.mask.limits == Limits().to_device_limits()
    assert not ir.async_get(rig.hass).issues
    await rig.unload()


async def test_limits_the_mask_does_not_take_raise_a_repair(rig: Rig) -> None:
    """A mask that keeps other limits (busy, buggy) raises the limits_mismatch repair issue."""
    host = DirectHost(rig.mask)
    host.authenticate()
    host.start(FACE_STEP, await_button=True)
    rig.mask.press_button()
    rig.mask.inject_fault(VirtualFault.IGNORE_STOP)  # so the session stays and SET_LIMITS is BUSY
    rig.hass.config_entries.async_update_entry(
        rig.config_entry, options=Limits(face_max_mmhg=28.0).to_options()
    )

    await rig.setup()

    issue_id = f"{ISSUE_LIMITS_MISMATCH}_{rig.config_entry.entry_id}"
    assert ir.async_get(rig.hass).async_get_issue(DOMAIN, issue_id) is not None
    rig.mask.clear_faults()
    await rig.unload()


async def test_restart_mid_session_stops_it_and_keeps_the_cooldown(ready: Rig) -> None:
    """A restart stops the running session; the history survives, so the cooldown applies."""
    before = ready.coordinator
    await before.async_start_session(steps=[LONG_FACE_STEP])
    await ready.tick(2.0)

    # Home Assistant restarts (the history is written; the new coordinator owns nothing).
    assert await ready.hass.config_entries.async_reload(ready.config_entry.entry_id)
    await ready.hass.async_block_till_done(wait_background_tasks=True)
    restarted: PressureMaskCoordinator = ready.config_entry.runtime_data
    assert restarted is not before
    assert ready.events[-1] == SessionEvent(SessionEventType.STOPPED, "custom", "ui", "unload")
    assert not ready.mask.session_active
    assert restarted.sessions_today == 1
    assert restarted.acknowledged

    received = len(ready.mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await restarted.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "cooldown_active"
    assert len(ready.mask.received) == received
    await ready.unload()


async def test_daily_cap_survives_a_restart(ready: Rig) -> None:
    """Two sessions today (the default cap), a restart: the third is refused."""
    ready.freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=8))
    for _ in range(2):
        await ready.coordinator.async_start_session(steps=[FACE_STEP])
        await ready.tick(20.0, step_s=0.5)
        ready.freezer.tick(timedelta(minutes=21))
        ready.mask.advance(21 * 60)
    assert await ready.hass.config_entries.async_reload(ready.config_entry.entry_id)
    await ready.hass.async_block_till_done(wait_background_tasks=True)
    restarted: PressureMaskCoordinator = ready.config_entry.runtime_data

    received = len(ready.mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await restarted.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "daily_cap_reached"
    assert len(ready.mask.received) == received
    await ready.unload()


async def test_options_change_revokes_the_acknowledgement(ready: Rig) -> None:
    """Saving new limits revokes the acknowledgement; the mask then gets the new limits."""
    assert ready.coordinator.acknowledged
    result = await ready.hass.config_entries.options.async_init(ready.config_entry.entry_id)
    options = {**ready.config_entry.options, "face_max_mmhg": 28.0}
    options.pop("acknowledgement_expiry_days")
    await ready.hass.config_entries.options.async_configure(result["flow_id"], options)
    await ready.hass.async_block_till_done(wait_background_tasks=True)

    restarted: PressureMaskCoordinator = ready.config_entry.runtime_data
    assert not restarted.acknowledged
    assert ready.mask.limits.face_max_mmhg == 28.0
    with pytest.raises(ServiceValidationError) as refusal:
        await restarted.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "acknowledgement_required"
    await ready.unload()


# --- The button on the mask --------------------------------------------------------------------


async def test_remote_start_arms_and_waits_for_the_button(rig: Rig) -> None:
    """With the default options a start only arms; the wearer's button press starts it."""
    await rig.setup()

    await rig.coordinator.async_start_session(steps=[FACE_STEP])
    await rig.tick(2.0)
    assert rig.mask.phase is Phase.ARMED
    assert rig.coordinator.sessions_today == 0

    rig.mask.press_button()
    await rig.tick(1.0)
    assert rig.mask.phase is Phase.INFLATING
    assert rig.coordinator.sessions_today == 1
    await rig.coordinator.async_stop_session()
    await rig.tick(1.0)
    assert rig.events[-1] == SessionEvent(SessionEventType.STOPPED, "custom", "ui", "stop_ui")
    await rig.unload()


async def test_unconfirmed_arm_expires(rig: Rig) -> None:
    """Nobody presses the button: the arm ends after 2 minutes and counts for nothing."""
    await rig.setup()

    await rig.coordinator.async_start_session(steps=[FACE_STEP])
    await rig.tick(ARM_TIMEOUT_S + 1, step_s=1.0)

    assert not rig.mask.session_active
    assert rig.events[-1].type is SessionEventType.ABORTED
    assert rig.events[-1].reason == "arm_expired"
    assert rig.coordinator.sessions_today == 0
    assert rig.coordinator.cooldown_ends is None
    await rig.unload()


# --- Stop and vent always work -----------------------------------------------------------------


@pytest.mark.parametrize("action", ["stop", "vent"])
@pytest.mark.parametrize(
    "state", ["no_acknowledgement", "cooldown", "mask_fault", "host_fault", "idle_link"]
)
async def test_stop_and_vent_work_in_every_state(ready: Rig, action: str, state: str) -> None:
    """Whatever refuses a start never holds back a stop or a vent."""
    match state:
        case "no_acknowledgement":
            await ready.coordinator.async_set_acknowledged(False)
        case "cooldown":
            await ready.coordinator.async_start_session(steps=[FACE_STEP])
            await ready.tick(20.0, step_s=0.5)
            assert ready.coordinator.cooldown_ends is not None
        case "mask_fault":
            ready.mask.inject_fault(VirtualFault.STUCK_SENSOR)
            await ready.coordinator.async_start_session(steps=[FACE_STEP])
            await ready.tick(3.0)
            assert ready.mask.fault is FaultCode.SENSOR_STUCK
        case "host_fault":
            ready.coordinator.host_fault = HOST_FAULT_OVER_PRESSURE
        case "idle_link":
            await ready.tick(60.0, step_s=5.0)
            assert not ready.mask.connected
    sent = len(ready.sent(Stop if action == "stop" else Vent))

    if action == "stop":
        await ready.coordinator.async_stop_session(source=SOURCE_AUTOMATION)
    else:
        await ready.coordinator.async_vent(source=SOURCE_AUTOMATION)

    assert len(ready.sent(Stop if action == "stop" else Vent)) == sent + 1
    ready.mask.clear_faults()
    await ready.unload()


async def test_stop_works_without_a_valid_key(rig: Rig) -> None:
    """A mask that rejects the key still takes stop and vent."""
    rig.hass.config_entries.async_update_entry(
        rig.config_entry, data={**rig.config_entry.data, CONF_KEY: bytes(32).hex()}
    )
    await rig.setup(acknowledged=False)

    await rig.coordinator.async_stop_session()
    await rig.coordinator.async_vent()

    assert len(rig.sent(Stop)) == 1
    assert len(rig.sent(Vent)) == 1
    assert not rig.mask.authenticated
    await rig.unload()


async def test_unreachable_mask_raises_translated_error(ready: Rig) -> None:
    """A start that cannot reach the mask raises a translated HomeAssistantError."""
    await ready.tick(60.0, step_s=5.0)
    ready.mask.inject_fault(VirtualFault.DROP_LINK)
    with pytest.raises(HomeAssistantError) as error:
        await run_while_time_passes(
            ready.hass, ready.freezer, ready.coordinator.async_start_session(steps=[FACE_STEP])
        )
    assert error.value.translation_key == "communication_error"
    with pytest.raises(HomeAssistantError) as error:
        await run_while_time_passes(ready.hass, ready.freezer, ready.coordinator.async_vent())
    assert error.value.translation_key == "communication_error"
    assert not ready.sent(StartSession)
    ready.mask.clear_faults()
    await ready.unload()
    assert ready.config_entry.state is ConfigEntryState.NOT_LOADED
