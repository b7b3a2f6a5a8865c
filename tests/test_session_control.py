"""Session control and host-side safety, end to end through the virtual proxy and mask.

Each test breaks when its rule is removed from the coordinator; each refusal checks that the
mask received nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
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
from custom_components.pressure_mask.mask_ble.virtual import VirtualFault
from custom_components.pressure_mask.safety import Limits
from tests.helpers import MASK_ADDRESS, MASK_TITLE, run_while_time_passes, setup_entry, tick
from tests.mask_ble.conftest import DirectHost

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from custom_components.pressure_mask.mask_ble.codec import Command
    from custom_components.pressure_mask.mask_ble.virtual import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

# One short face step: 2 s inflate, 3 s hold, 3 s release, twice (16 s).
FACE_STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=2)
LONG_FACE_STEP = replace(FACE_STEP, repetitions=60)  # 8 min
MINUTE_FACE_STEP = replace(FACE_STEP, release_s=5.0, repetitions=6)  # exactly 60 s


def _sent(mask: VirtualMask, kind: type[Command]) -> list[Command]:
    return [command for command in mask.received if isinstance(command, kind)]


@pytest.fixture
def events() -> list[SessionEvent]:
    """Session events the coordinator emitted."""
    return []


@pytest.fixture
async def coordinator(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
) -> PressureMaskCoordinator:
    """A set-up mask with the acknowledgement given; sessions start without the button."""
    hass.config_entries.async_update_entry(
        config_entry, options=Limits(require_button_for_remote_start=False).to_options()
    )
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    coordinator.async_subscribe_session_events(events.append)
    return coordinator


async def _unload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)


# --- Refusals: the mask receives nothing -------------------------------------------------------


async def test_automation_start_without_acknowledgement_is_refused(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
) -> None:
    """No acknowledgement: refused, a repair issue appears, the mask receives nothing."""
    await coordinator.async_set_acknowledged(False)
    received = len(mask.received)

    with pytest.raises(ServiceValidationError) as refusal:
        await coordinator.async_start_session(routine_key="quick_morning", source=SOURCE_AUTOMATION)

    assert refusal.value.translation_key == "acknowledgement_required"
    assert len(mask.received) == received
    issue_id = f"{ISSUE_ACKNOWLEDGEMENT_REQUIRED}_{config_entry.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert events == [
        SessionEvent(
            SessionEventType.REFUSED, "quick_morning", SOURCE_AUTOMATION, "acknowledgement_required"
        )
    ]
    # Giving the acknowledgement clears the repair issue.
    await coordinator.async_set_acknowledged(True)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await _unload(hass, config_entry)


async def test_dashboard_start_without_acknowledgement_raises_no_repair(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
) -> None:
    """From the dashboard the person sees the refusal at once; no repair issue is needed."""
    await coordinator.async_set_acknowledged(False)
    with pytest.raises(ServiceValidationError):
        await coordinator.async_start_session()
    assert not _sent(mask, StartSession)
    assert not ir.async_get(hass).issues
    await _unload(hass, config_entry)


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
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    request_kwargs: dict[str, object],
    rule: str,
) -> None:
    """Reject, never clamp: the rule is named and nothing reaches the mask."""
    received = len(mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await coordinator.async_start_session(**request_kwargs)  # type: ignore[arg-type]
    assert refusal.value.translation_key == rule
    assert len(mask.received) == received
    assert [event.type for event in events] == [SessionEventType.REFUSED]
    await _unload(hass, config_entry)


# --- A session, and the host's deadline --------------------------------------------------------


async def test_session_runs_to_completion_and_is_recorded(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Start, follow the mask to the end, record it; the cooldown starts."""
    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, 3.0)
    assert coordinator.session_active
    assert coordinator.status is not None
    assert coordinator.status.phase is Phase.HOLDING

    await tick(hass, freezer, mask, 15.0)
    assert not coordinator.session_active
    assert [event.type for event in events] == [
        SessionEventType.STARTED,
        SessionEventType.COMPLETED,
    ]
    assert coordinator.sessions_today == 1
    assert coordinator.last_session is not None
    cooldown_ends = coordinator.cooldown_ends
    assert cooldown_ends is not None
    assert cooldown_ends > dt_util.utcnow()
    await _unload(hass, config_entry)


async def test_host_deadline_stops_the_session(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """At the maximum duration the host stops the session, even if the mask's clock is behind."""
    await coordinator.async_start_session(steps=[MINUTE_FACE_STEP], duration_min=1)
    await tick(hass, freezer, mask, 59.0, step_s=0.5)
    assert coordinator.session_active
    assert not _sent(mask, Stop)

    # Home Assistant's clock reaches the deadline; the mask's lags 0.5 s behind.
    freezer.tick(timedelta(seconds=1.5))
    async_fire_time_changed_exact(hass, dt_util.utcnow())
    await hass.async_block_till_done()
    mask.advance(0.25)
    await hass.async_block_till_done()

    assert len(_sent(mask, Stop)) == 1
    assert mask.stop_reason is StopReason.HOST_STOP
    assert events[-1] == SessionEvent(SessionEventType.STOPPED, "custom", "ui", "deadline")
    await _unload(hass, config_entry)


async def test_mask_that_ignores_stop_gets_vent_and_fault(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Stop not confirmed within 2 s: vent, a fault, a repair issue, the acknowledgement revoked."""
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await tick(hass, freezer, mask, 2.0)
    mask.inject_fault(VirtualFault.IGNORE_STOP)

    await coordinator.async_stop_session()
    await tick(hass, freezer, mask, 1.5)
    assert not _sent(mask, Vent)
    await tick(hass, freezer, mask, 1.0)

    assert len(_sent(mask, Vent)) >= 1
    assert coordinator.fault == HOST_FAULT_STOP_UNCONFIRMED
    assert not coordinator.acknowledged
    issue_id = f"{ISSUE_SAFETY_FAULT}_{config_entry.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert events[-1].type is SessionEventType.ABORTED
    assert events[-1].reason == HOST_FAULT_STOP_UNCONFIRMED
    mask.clear_faults()
    await _unload(hass, config_entry)


# --- Live supervision --------------------------------------------------------------------------


async def test_over_pressure_spike_vents_within_one_notification(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reading above the zone limit + 3 mmHg: vent at once, fault, repair, no acknowledgement.

    The mask here runs with looser limits than the host's (as a mask with stale limits would),
    so only the host's supervision can catch the spike.
    """
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await tick(hass, freezer, mask, 3.0)
    assert coordinator.status is not None
    assert coordinator.status.phase is Phase.HOLDING
    mask.limits = DeviceLimits(40.0, 20.0, 25.0, 20 * 60)
    assert not _sent(mask, Vent)

    mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=12.0)  # ~25 -> ~37 mmHg (> 33)
    await tick(hass, freezer, mask, 0.25)  # one status notification

    assert len(_sent(mask, Vent)) == 1
    assert mask.fault is FaultCode.NONE  # the mask itself saw nothing wrong
    assert coordinator.fault == HOST_FAULT_OVER_PRESSURE
    assert not coordinator.acknowledged
    issue_id = f"{ISSUE_SAFETY_FAULT}_{config_entry.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert events[-1].type is SessionEventType.ABORTED
    assert events[-1].reason == HOST_FAULT_OVER_PRESSURE

    # A new session is refused until the person acknowledges again (which clears the fault).
    with pytest.raises(ServiceValidationError):
        await coordinator.async_start_session(steps=[FACE_STEP])
    await coordinator.async_set_acknowledged(True)
    assert coordinator.fault is None
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await _unload(hass, config_entry)


# --- Link loss and restarts --------------------------------------------------------------------


async def test_link_drop_aborts_and_nothing_resumes(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    proxy: VirtualProxy,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The link drops mid-session: recorded aborted; after reconnecting nothing restarts."""
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await tick(hass, freezer, mask, 2.0)
    mask.inject_fault(VirtualFault.DROP_LINK)
    await hass.async_block_till_done()

    assert events[-1] == SessionEvent(SessionEventType.ABORTED, "custom", "ui", "link_lost")
    assert coordinator.history.last is not None
    assert coordinator.history.last.outcome == "aborted"

    mask.clear_faults()
    proxy.advertise(mask)
    await tick(hass, freezer, mask, 5.0)
    assert len(_sent(mask, StartSession)) == 1
    assert not mask.session_active
    await _unload(hass, config_entry)


async def test_session_left_from_before_a_restart_is_stopped(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """A session the coordinator does not own is stopped as soon as it connects."""
    host = DirectHost(mask)
    host.authenticate()
    host.start(FACE_STEP)
    assert mask.session_active

    await setup_entry(hass, config_entry, proxy, mask)

    assert len(_sent(mask, Stop)) == 1
    assert not mask.session_active
    assert mask.stop_reason is StopReason.HOST_STOP
    await _unload(hass, config_entry)


async def test_limits_the_mask_does_not_take_raise_a_repair(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """A mask that keeps other limits (busy, buggy) raises the limits_mismatch repair issue."""
    host = DirectHost(mask)
    host.authenticate()
    host.start(FACE_STEP)
    mask.inject_fault(VirtualFault.IGNORE_STOP)  # so the session stays and SET_LIMITS is BUSY
    hass.config_entries.async_update_entry(
        config_entry, options=Limits(face_max_mmhg=28.0).to_options()
    )

    await setup_entry(hass, config_entry, proxy, mask)

    issue_id = f"{ISSUE_LIMITS_MISMATCH}_{config_entry.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    mask.clear_faults()
    await _unload(hass, config_entry)


async def test_restart_mid_session_keeps_cooldown_and_daily_cap(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    proxy: VirtualProxy,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """History survives a restart: the interrupted session counts, the cooldown applies."""
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await tick(hass, freezer, mask, 2.0)

    # Home Assistant restarts (the history is written; the new coordinator owns nothing).
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    restarted: PressureMaskCoordinator = config_entry.runtime_data
    assert restarted is not coordinator
    assert restarted.sessions_today == 1
    assert restarted.acknowledged

    received = len(mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await restarted.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "cooldown_active"
    assert len(mask.received) == received
    await _unload(hass, config_entry)


async def test_daily_cap_survives_a_restart(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two sessions today (the default cap), a restart: the third is refused."""
    freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=8))
    for _ in range(2):
        await coordinator.async_start_session(steps=[FACE_STEP])
        await tick(hass, freezer, mask, 20.0, step_s=0.5)
        freezer.tick(timedelta(minutes=21))
        mask.advance(21 * 60)
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    restarted: PressureMaskCoordinator = config_entry.runtime_data

    received = len(mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await restarted.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "daily_cap_reached"
    assert len(mask.received) == received
    await _unload(hass, config_entry)


async def test_options_change_revokes_the_acknowledgement(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
) -> None:
    """Saving new limits revokes the acknowledgement; the mask then gets the new limits."""
    assert coordinator.acknowledged
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    options = {**config_entry.options, "face_max_mmhg": 28.0}
    options.pop("acknowledgement_expiry_days")
    await hass.config_entries.options.async_configure(result["flow_id"], options)
    await hass.async_block_till_done(wait_background_tasks=True)

    restarted: PressureMaskCoordinator = config_entry.runtime_data
    assert not restarted.acknowledged
    assert mask.limits.face_max_mmhg == 28.0
    with pytest.raises(ServiceValidationError) as refusal:
        await restarted.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "acknowledgement_required"
    await _unload(hass, config_entry)


# --- The button on the mask --------------------------------------------------------------------


async def test_remote_start_arms_and_waits_for_the_button(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """With the default options a start only arms; the wearer's button press starts it."""
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    coordinator.async_subscribe_session_events(events.append)

    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, 2.0)
    assert mask.phase is Phase.ARMED
    assert coordinator.sessions_today == 0

    mask.press_button()
    await tick(hass, freezer, mask, 1.0)
    assert mask.phase is Phase.INFLATING
    assert coordinator.sessions_today == 1
    await coordinator.async_stop_session()
    await tick(hass, freezer, mask, 1.0)
    assert events[-1] == SessionEvent(SessionEventType.STOPPED, "custom", "ui", "stop_ui")
    await _unload(hass, config_entry)


async def test_unconfirmed_arm_expires(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Nobody presses the button: the arm ends after 2 minutes and counts for nothing."""
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator: PressureMaskCoordinator = config_entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    coordinator.async_subscribe_session_events(events.append)

    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, ARM_TIMEOUT_S + 1, step_s=1.0)

    assert not mask.session_active
    assert events[-1].type is SessionEventType.ABORTED
    assert events[-1].reason == "arm_expired"
    assert coordinator.sessions_today == 0
    assert coordinator.cooldown_ends is None
    await _unload(hass, config_entry)


# --- Stop and vent always work -----------------------------------------------------------------


@pytest.mark.parametrize("action", ["stop", "vent"])
@pytest.mark.parametrize(
    "state", ["no_acknowledgement", "cooldown", "mask_fault", "host_fault", "idle_link"]
)
async def test_stop_and_vent_work_in_every_state(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    action: str,
    state: str,
) -> None:
    """Whatever refuses a start never holds back a stop or a vent."""
    match state:
        case "no_acknowledgement":
            await coordinator.async_set_acknowledged(False)
        case "cooldown":
            await coordinator.async_start_session(steps=[FACE_STEP])
            await tick(hass, freezer, mask, 20.0, step_s=0.5)
            assert coordinator.cooldown_ends is not None
        case "mask_fault":
            mask.inject_fault(VirtualFault.STUCK_SENSOR)
            await coordinator.async_start_session(steps=[FACE_STEP])
            await tick(hass, freezer, mask, 3.0)
            assert mask.fault is FaultCode.SENSOR_STUCK
        case "host_fault":
            coordinator.host_fault = HOST_FAULT_OVER_PRESSURE
        case "idle_link":
            await tick(hass, freezer, mask, 60.0, step_s=5.0)
            assert not mask.connected
    sent = len(_sent(mask, Stop if action == "stop" else Vent))

    if action == "stop":
        await coordinator.async_stop_session(source=SOURCE_AUTOMATION)
    else:
        await coordinator.async_vent(source=SOURCE_AUTOMATION)

    assert len(_sent(mask, Stop if action == "stop" else Vent)) == sent + 1
    mask.clear_faults()
    await _unload(hass, config_entry)


async def test_stop_works_without_a_valid_key(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """A mask that rejects the key (it was reset) still takes stop and vent."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=MASK_TITLE,
        unique_id=MASK_ADDRESS,
        data={"address": MASK_ADDRESS, CONF_KEY: bytes(16).hex()},
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry, proxy, mask)
    coordinator: PressureMaskCoordinator = entry.runtime_data

    await coordinator.async_stop_session()
    await coordinator.async_vent()

    assert len(_sent(mask, Stop)) == 1
    assert len(_sent(mask, Vent)) == 1
    assert not mask.authenticated
    await _unload(hass, entry)


async def test_unreachable_mask_raises_translated_error(
    hass: HomeAssistant,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A start that cannot reach the mask raises a translated HomeAssistantError."""
    await tick(hass, freezer, mask, 60.0, step_s=5.0)
    mask.inject_fault(VirtualFault.DROP_LINK)
    with pytest.raises(HomeAssistantError) as error:
        await run_while_time_passes(
            hass, freezer, coordinator.async_start_session(steps=[FACE_STEP])
        )
    assert error.value.translation_key == "communication_error"
    assert not _sent(mask, StartSession)
    mask.clear_faults()
    await _unload(hass, config_entry)
    assert config_entry.state is ConfigEntryState.NOT_LOADED
