"""Control entities end to end: select, numbers, buttons, acknowledgement switch, session events.

Everything runs through Home Assistant's real Bluetooth manager and the virtual mask; "the mask
received nothing" is read from the virtual mask's own log of commands.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.components import persistent_notification
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.components.select import (
    ATTR_OPTION,
    ATTR_OPTIONS,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    EntityCategory,
    Platform,
)
from homeassistant.core import Context, State
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import mock_restore_cache_with_extra_data

from custom_components.pressure_mask.mask_ble.codec import StartSession, Stop, Vent
from custom_components.pressure_mask.mask_ble.const import Phase
from custom_components.pressure_mask.mask_ble.routines import (
    BUILTIN_ROUTINES,
    EYE_DE_PUFF,
    FULL_FACE_DRAINAGE,
)
from custom_components.pressure_mask.safety import Limits, apply_pressure_override
from custom_components.pressure_mask.services import request_source
from tests.helpers import MASK_ADDRESS, setup_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

ROUTINE = "select.pmask_ee01_routine"
TARGET_PRESSURE = "number.pmask_ee01_target_pressure"
SESSION_DURATION = "number.pmask_ee01_session_duration"
START = "button.pmask_ee01_start_session"
STOP = "button.pmask_ee01_stop_session"
VENT = "button.pmask_ee01_vent"
ACKNOWLEDGEMENT = "switch.pmask_ee01_contraindications_read_and_accepted"
SESSION_EVENT = "event.pmask_ee01_session"


def commands(mask: VirtualMask, kind: type) -> list[object]:
    """The commands of one kind the mask received."""
    return [command for command in mask.received if isinstance(command, kind)]


@pytest.fixture
def person(hass_admin_user: MockUser) -> Context:
    """The context of a person using the frontend."""
    return Context(user_id=hass_admin_user.id)


async def press(hass: HomeAssistant, entity_id: str, context: Context | None = None) -> None:
    """Press a button (without a context: as an automation does)."""
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True, context=context
    )


async def acknowledge(hass: HomeAssistant, *, on: bool = True) -> None:
    """Flip the safety acknowledgement switch."""
    await hass.services.async_call(
        Platform.SWITCH,
        SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: ACKNOWLEDGEMENT},
        blocking=True,
    )


async def start_confirmed_at_the_mask(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mask: VirtualMask, seconds: float
) -> None:
    """Acknowledge, press Start, the wearer confirms at the mask; then `seconds` pass."""
    await acknowledge(hass)
    await press(hass, START)
    mask.press_button()
    await tick(hass, freezer, mask, seconds)


# --- Entities ---------------------------------------------------------------------------------


async def test_controls_on_first_setup(hass: HomeAssistant, mask_entry: MockConfigEntry) -> None:
    routine = hass.states.get(ROUTINE)
    assert routine is not None
    assert routine.state == "full_face_drainage"
    assert routine.attributes[ATTR_OPTIONS] == list(BUILTIN_ROUTINES)

    pressure = hass.states.get(TARGET_PRESSURE)
    assert pressure is not None
    assert pressure.attributes[ATTR_MAX] == 30.0
    assert pressure.attributes[ATTR_MIN] == 5.0
    assert pressure.attributes["unit_of_measurement"] == "mmHg"

    duration = hass.states.get(SESSION_DURATION)
    assert duration is not None
    assert duration.state == "10.0"
    assert duration.attributes[ATTR_MAX] == 10
    assert duration.attributes["unit_of_measurement"] == "min"

    acknowledgement = hass.states.get(ACKNOWLEDGEMENT)
    assert acknowledgement is not None
    assert acknowledgement.state == STATE_OFF
    entry = er.async_get(hass).async_get(ACKNOWLEDGEMENT)
    assert entry is not None
    assert entry.entity_category is EntityCategory.CONFIG

    for button in (START, STOP, VENT):
        state = hass.states.get(button)
        assert state is not None
        assert state.state == STATE_UNKNOWN

    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_types"] == [
        "started",
        "completed",
        "stopped",
        "aborted",
        "refused",
    ]


async def test_the_number_maxima_follow_the_configured_limits(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
) -> None:
    hass.config_entries.async_update_entry(
        config_entry, options={"face_max_mmhg": 36.0, "max_session_min": 15}
    )
    await setup_entry(hass, config_entry, proxy, mask)
    pressure = hass.states.get(TARGET_PRESSURE)
    duration = hass.states.get(SESSION_DURATION)
    assert pressure is not None
    assert duration is not None
    assert pressure.attributes[ATTR_MAX] == 36.0
    assert duration.attributes[ATTR_MAX] == 15


async def test_settings_change_what_start_asks_for(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask, person: Context
) -> None:
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: ROUTINE, ATTR_OPTION: "eye_de_puff"},
        blocking=True,
    )
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: TARGET_PRESSURE, ATTR_VALUE: 11},
        blocking=True,
    )
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: SESSION_DURATION, ATTR_VALUE: 4},
        blocking=True,
    )
    await acknowledge(hass)
    await press(hass, START, person)

    (start,) = commands(mask, StartSession)
    assert isinstance(start, StartSession)
    assert start.steps == apply_pressure_override(EYE_DE_PUFF.steps, 11.0)
    assert start.max_duration_s == 240
    assert start.await_button is True
    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_type"] == "started"
    assert event.attributes["routine"] == "eye_de_puff"
    assert event.attributes["source"] == "ui"


async def test_unknown_select_options_are_refused(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            SELECT_DOMAIN,
            SERVICE_SELECT_OPTION,
            {ATTR_ENTITY_ID: ROUTINE, ATTR_OPTION: "custom"},
            blocking=True,
        )
    state = hass.states.get(ROUTINE)
    assert state is not None
    assert state.state == "full_face_drainage"


# --- Acknowledgement --------------------------------------------------------------------------


async def test_start_without_the_acknowledgement_is_refused_and_sends_nothing(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    with pytest.raises(ServiceValidationError) as refused:
        await press(hass, START)
    assert refused.value.translation_key == "acknowledgement_required"
    assert commands(mask, StartSession) == []
    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_type"] == "refused"
    assert event.attributes["reason"] == "acknowledgement_required"


async def test_the_acknowledgement_switch_gates_starts(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    await acknowledge(hass)
    assert hass.states.get(ACKNOWLEDGEMENT).state == STATE_ON  # type: ignore[union-attr]
    await acknowledge(hass, on=False)
    assert hass.states.get(ACKNOWLEDGEMENT).state == STATE_OFF  # type: ignore[union-attr]
    with pytest.raises(ServiceValidationError):
        await press(hass, START)
    assert commands(mask, StartSession) == []


async def test_the_acknowledgement_switch_keeps_an_existing_entity_id(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
    entity_registry: er.EntityRegistry,
) -> None:
    """Its name changed; masks set up before keep their entity id (found by unique id)."""
    old_entity_id = "switch.pmask_ee01_i_have_read_the_contraindications_and_i_am_fit_for_a_session"
    entity_registry.async_get_or_create(
        Platform.SWITCH,
        "pressure_mask",
        f"{MASK_ADDRESS}-safety_acknowledgement",
        suggested_object_id=old_entity_id.removeprefix("switch."),
        config_entry=config_entry,
    )
    await setup_entry(hass, config_entry, proxy, mask)

    state = hass.states.get(old_entity_id)
    assert state is not None
    assert state.name == "PMASK-EE01 Contraindications read and accepted"
    assert hass.states.get(ACKNOWLEDGEMENT) is None


async def test_the_acknowledgement_survives_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    assert await hass.config_entries.async_reload(mask_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(ACKNOWLEDGEMENT).state == STATE_ON  # type: ignore[union-attr]
    # Let the reloaded coordinator's first poll run before the test ends.
    await tick(hass, freezer, mask, 15, step_s=1)


async def test_a_limit_change_revokes_the_acknowledgement(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    hass.config_entries.async_update_entry(mask_entry, options={"face_max_mmhg": 25.0})
    await hass.async_block_till_done()
    assert hass.states.get(ACKNOWLEDGEMENT).state == STATE_OFF  # type: ignore[union-attr]
    # And after a restart too.
    assert await hass.config_entries.async_reload(mask_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(ACKNOWLEDGEMENT).state == STATE_OFF  # type: ignore[union-attr]
    # Let the reloaded coordinator's first poll run before the test ends.
    await tick(hass, freezer, mask, 15, step_s=1)


async def test_saved_limits_apply_in_place_and_reach_the_mask(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    """No reload: the numbers follow at once, the idle mask stores the new limits."""
    coordinator = mask_entry.runtime_data
    await tick(hass, freezer, mask, 1)
    assert coordinator.connected
    hass.config_entries.async_update_entry(
        mask_entry, options={**Limits().to_options(), "face_max_mmhg": 18.0, "max_session_min": 8}
    )
    await hass.async_block_till_done()
    assert mask_entry.runtime_data is coordinator
    assert hass.states.get(TARGET_PRESSURE).attributes[ATTR_MAX] == 18.0  # type: ignore[union-attr]
    # The settings the new limits no longer allow are not kept.
    assert hass.states.get(TARGET_PRESSURE).state == "18.0"  # type: ignore[union-attr]
    assert hass.states.get(SESSION_DURATION).state == "8.0"  # type: ignore[union-attr]
    assert mask.limits == coordinator.limits.to_device_limits()
    await tick(hass, freezer, mask, 60, step_s=1)


async def test_saved_limits_stop_a_session_and_reach_the_mask_before_the_next(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    """A session checked against the old limits does not go on under the new ones."""
    await start_confirmed_at_the_mask(hass, freezer, mask, 12)
    assert mask.session_active
    hass.config_entries.async_update_entry(
        mask_entry, options={**Limits().to_options(), "face_max_mmhg": 18.0}
    )
    await hass.async_block_till_done()
    await tick(hass, freezer, mask, 5)
    assert not mask.session_active
    assert len(commands(mask, Stop)) == 1
    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert (event.attributes["event_type"], event.attributes["reason"]) == (
        "stopped",
        "limits_changed",
    )
    # The mask refuses limits during a session; they go before the next start.
    assert mask.limits != mask_entry.runtime_data.limits.to_device_limits()
    freezer.tick(timedelta(minutes=Limits().cooldown_min))
    mask.advance(Limits().cooldown_min * 60)
    await tick(hass, freezer, mask, 1)
    await acknowledge(hass)
    await press(hass, START)
    assert mask.limits == mask_entry.runtime_data.limits.to_device_limits()
    mask.press_button()
    await tick(hass, freezer, mask, 2)
    await press(hass, STOP)
    await tick(hass, freezer, mask, 60, step_s=1)


# --- Restored settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("restored_pressure", "expected_pressure"),
    [(12.5, "12.5"), (35.0, "25.0")],
    ids=["within-limits", "beyond-a-lowered-limit-not-clamped"],
)
async def test_settings_are_restored_within_the_limits(
    hass: HomeAssistant,
    *,
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
    restored_pressure: float,
    expected_pressure: str,
) -> None:
    number_data = {
        "native_max_value": 40.0,
        "native_min_value": 5.0,
        "native_step": 0.5,
        "native_unit_of_measurement": "mmHg",
        "native_value": restored_pressure,
    }
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(TARGET_PRESSURE, str(restored_pressure)), number_data),
            (State(ROUTINE, "neck_and_jaw"), {}),
        ],
    )
    await setup_entry(hass, config_entry, proxy, mask)
    assert hass.states.get(TARGET_PRESSURE).state == expected_pressure  # type: ignore[union-attr]
    assert hass.states.get(ROUTINE).state == "neck_and_jaw"  # type: ignore[union-attr]


async def test_an_unknown_restored_routine_is_ignored(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
) -> None:
    mock_restore_cache_with_extra_data(hass, [(State(ROUTINE, "retired_routine"), {})])
    await setup_entry(hass, config_entry, proxy, mask)
    assert hass.states.get(ROUTINE).state == "full_face_drainage"  # type: ignore[union-attr]


# --- Stop and vent always work ----------------------------------------------------------------


@pytest.mark.parametrize(("button", "command"), [(STOP, Stop), (VENT, Vent)])
async def test_stop_and_vent_work_without_the_acknowledgement(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask, button: str, command: type
) -> None:
    await press(hass, button)
    assert len(commands(mask, command)) == 1


@pytest.mark.parametrize(("button", "command"), [(STOP, Stop), (VENT, Vent)])
async def test_stop_and_vent_end_a_running_session(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
    button: str,
    command: type,
) -> None:
    await start_confirmed_at_the_mask(hass, freezer, mask, 12)
    assert mask.phase not in {Phase.IDLE, Phase.ARMED}
    await press(hass, button)
    await tick(hass, freezer, mask, 5)
    assert len(commands(mask, command)) == 1
    assert not mask.session_active
    assert mask.pressure_mmhg < 5
    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_type"] == "stopped"


async def test_stop_works_during_cooldown_and_with_a_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await start_confirmed_at_the_mask(hass, freezer, mask, 5)
    await press(hass, STOP)
    await tick(hass, freezer, mask, 5)
    # Now in cooldown, and the acknowledgement withdrawn.
    await acknowledge(hass, on=False)
    await press(hass, STOP)
    await press(hass, VENT)
    assert len(commands(mask, Stop)) == 2
    assert len(commands(mask, Vent)) == 1


async def test_stop_and_vent_stay_available_when_the_mask_is_out_of_reach(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    coordinator = mask_entry.runtime_data
    coordinator._available = False
    coordinator.async_update_listeners()
    await hass.async_block_till_done()
    assert hass.states.get(START).state == "unavailable"  # type: ignore[union-attr]
    assert hass.states.get(STOP).state != "unavailable"  # type: ignore[union-attr]
    assert hass.states.get(VENT).state != "unavailable"  # type: ignore[union-attr]
    # Host-side settings and the acknowledgement stay usable.
    for entity_id in (ACKNOWLEDGEMENT, ROUTINE, TARGET_PRESSURE, SESSION_DURATION, SESSION_EVENT):
        assert hass.states.get(entity_id).state != "unavailable"  # type: ignore[union-attr]


# --- Session events ---------------------------------------------------------------------------


async def test_a_completed_session_is_an_event(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: ROUTINE, ATTR_OPTION: "neck_and_jaw"},
        blocking=True,
    )
    await press(hass, START)
    mask.press_button()
    await tick(hass, freezer, mask, BUILTIN_ROUTINES["neck_and_jaw"].duration_s + 10, step_s=0.5)
    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_type"] == "completed"
    assert event.attributes["routine"] == "neck_and_jaw"
    assert event.attributes["reason"] is None


def test_request_source() -> None:
    assert request_source(Context(user_id="person")) == "ui"
    assert request_source(Context()) == "automation"
    assert request_source(Context(user_id="person", parent_id="trigger")) == "automation"
    assert request_source(None) == "automation"


def test_the_full_face_routine_is_the_default() -> None:
    assert FULL_FACE_DRAINAGE.key == "full_face_drainage"


# --- The start from the dashboard is confirmed ------------------------------------------------


def _start_notices(hass: HomeAssistant) -> list[tuple[str, str]]:
    notices = persistent_notification._async_get_or_create_notifications(hass)
    return [
        (notice["title"], notice["message"])
        for notice_id, notice in notices.items()
        if notice_id.endswith("_session_started")
    ]


async def test_a_start_from_the_dashboard_is_confirmed_and_says_it_waits_for_the_button(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
    person: Context,
) -> None:
    await acknowledge(hass)
    await press(hass, START, person)
    coordinator = mask_entry.runtime_data
    assert coordinator.armed_until is not None
    armed_until = dt_util.as_local(coordinator.armed_until)
    # English clock, no leading zero: 7:44 AM.
    by = f"{armed_until.hour % 12 or 12}:{armed_until.minute:02d} "
    by += "AM" if armed_until.hour < 12 else "PM"
    assert _start_notices(hass) == [
        (
            "PMASK-EE01 waits for its button",
            (
                "Full face drainage (5 min 54 s: its steps and repetitions, within the 10 min you "
                f"chose) is ready: press the mask's button once (a short press) by {by} to begin. "
                "Nothing inflates until then; without the press the session is cancelled."
            ),
        )
    ]
    mask.press_button()
    await tick(hass, freezer, mask, 3)
    assert _start_notices(hass) == [
        (
            "Session started on PMASK-EE01",
            (
                "Full face drainage runs for 5 min 54 s: that is how long its steps and repetitions "
                "take; the session duration you chose (10 min) is the longest it may run. **Stop "
                "session** or **Vent** end it at any time."
            ),
        )
    ]
    await press(hass, STOP, person)
    await tick(hass, freezer, mask, 3)
    assert _start_notices(hass) == []


async def test_a_start_by_an_automation_gets_its_answer_from_the_action_not_a_notification(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    await press(hass, START)
    assert mask_entry.runtime_data.session_active
    assert _start_notices(hass) == []
    await press(hass, STOP)
    await tick(hass, freezer, mask, 3)
