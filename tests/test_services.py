"""Services end to end: start_session, run_custom_routine, stop_session, stop_all.

Every refusal is checked twice: the error names the rule and the limit, and the virtual mask's
own command log shows it received no start.
"""

from __future__ import annotations

from datetime import UTC
import math
from typing import TYPE_CHECKING, Any

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import Context
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.codec import StartSession, Stop
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import QUICK_MORNING, Step
from custom_components.pressure_mask.safety import apply_pressure_override
from devtools.virtual_mask import VirtualFault
from tests.helpers import MASK_ADDRESS, tick
from tests.test_controls import (
    SESSION_EVENT,
    acknowledge,
    commands,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

    from devtools.virtual_mask import VirtualMask


NECK_STEP: dict[str, Any] = {
    "zone": "neck",
    "pressure": 18,
    "inflate": 1.5,
    "hold": 3,
    "release": 3.5,
    "repetitions": 3,
}
CHEEK_STEP: dict[str, Any] = {
    "zone": "cheeks",
    "pressure": 25,
    "inflate": 1.5,
    "hold": 4,
    "release": 4.5,
    "repetitions": 5,
}


def device_id(hass: HomeAssistant) -> str:
    """The mask's device id, as the device selector gives it."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, MASK_ADDRESS), entry.entry_id
    )
    assert device is not None
    return device.id


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any], context: Context | None = None
) -> None:
    """Call one of the integration's services (without a context: as an automation does)."""
    await hass.services.async_call(DOMAIN, service, data, blocking=True, context=context)


async def test_an_automation_start_without_the_acknowledgement_is_refused_with_a_repair(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    with pytest.raises(ServiceValidationError) as refused:
        await call(
            hass,
            "start_session",
            {ATTR_DEVICE_ID: device_id(hass), "routine": "quick_morning"},
            Context(parent_id="automation-trigger"),
        )
    assert refused.value.translation_key == "acknowledgement_required"
    assert "acknowledgement is off" in str(refused.value)
    assert commands(mask, StartSession) == []
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"acknowledgement_required_{mask_entry.entry_id}"
    )
    assert issue is not None
    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_type"] == "refused"
    assert event.attributes["source"] == "automation"


async def test_a_person_starting_without_the_acknowledgement_gets_no_repair(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask, hass_admin_user: MockUser
) -> None:
    with pytest.raises(ServiceValidationError):
        await call(
            hass,
            "start_session",
            {ATTR_DEVICE_ID: device_id(hass), "routine": "quick_morning"},
            Context(user_id=hass_admin_user.id),
        )
    assert commands(mask, StartSession) == []
    assert not ir.async_get(hass).issues


async def test_start_session_runs_the_routine_with_overrides(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    await acknowledge(hass)
    await call(
        hass,
        "start_session",
        {ATTR_DEVICE_ID: device_id(hass), "routine": "quick_morning", "pressure": 27.5},
    )
    (start,) = commands(mask, StartSession)
    assert isinstance(start, StartSession)
    assert start.steps == apply_pressure_override(QUICK_MORNING.steps, 27.5)
    assert start.max_duration_s == 600


async def test_an_over_limit_pressure_is_refused_and_names_the_limit(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    await acknowledge(hass)
    with pytest.raises(ServiceValidationError) as refused:
        await call(
            hass,
            "start_session",
            {ATTR_DEVICE_ID: device_id(hass), "routine": "quick_morning", "pressure": 35},
        )
    assert refused.value.translation_key == "pressure_over_limit"
    assert refused.value.translation_placeholders == {
        "zone": "forehead",
        "pressure_mmhg": "35",
        "limit_mmhg": "30",
    }
    assert "35 mmHg, above the forehead limit of 30 mmHg" in str(refused.value)
    assert commands(mask, StartSession) == []


async def test_an_over_limit_duration_is_refused(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    await acknowledge(hass)
    with pytest.raises(ServiceValidationError) as refused:
        await call(
            hass,
            "start_session",
            {ATTR_DEVICE_ID: device_id(hass), "routine": "quick_morning", "duration": 15},
        )
    assert refused.value.translation_key == "duration_over_limit"
    assert "maximum session duration of 10 min" in str(refused.value)
    assert commands(mask, StartSession) == []


async def test_an_unknown_routine_is_refused(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    await acknowledge(hass)
    with pytest.raises(ServiceValidationError) as refused:
        await call(hass, "start_session", {ATTR_DEVICE_ID: device_id(hass), "routine": "turbo"})
    assert refused.value.translation_key == "unknown_routine"
    assert commands(mask, StartSession) == []


async def test_cooldown_refuses_the_next_start(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    data = {ATTR_DEVICE_ID: device_id(hass), "routine": "neck_and_jaw"}
    await call(hass, "start_session", data)
    mask.press_button()
    await tick(hass, freezer, mask, 5)
    await call(hass, "stop_session", {ATTR_DEVICE_ID: device_id(hass)})
    await tick(hass, freezer, mask, 5)
    with pytest.raises(ServiceValidationError) as refused:
        await call(hass, "start_session", data)
    assert refused.value.translation_key == "cooldown_active"
    # The end of the cooldown is given in Home Assistant's time zone, not UTC.
    cooldown_ends = mask_entry.runtime_data.cooldown_ends
    assert cooldown_ends is not None
    ends = dt_util.as_local(cooldown_ends)
    # In English's clock: 7:42 AM, 12:05 PM.
    expected = f"{ends.hour % 12 or 12}:{ends.minute:02d} {'AM' if ends.hour < 12 else 'PM'}"
    assert refused.value.translation_placeholders["cooldown_ends"] == expected
    assert dt_util.get_default_time_zone() != UTC
    assert len(commands(mask, StartSession)) == 1


async def test_a_custom_routine_runs_exactly_as_given(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    await acknowledge(hass)
    await call(
        hass,
        "run_custom_routine",
        {ATTR_DEVICE_ID: device_id(hass), "steps": [NECK_STEP, CHEEK_STEP], "duration": 5},
    )
    (start,) = commands(mask, StartSession)
    assert isinstance(start, StartSession)
    assert start.steps == (
        Step(Zone.NECK, 18.0, 1.5, 3.0, 3.5, 3),
        Step(Zone.CHEEKS, 25.0, 1.5, 4.0, 4.5, 5),
    )
    assert start.max_duration_s == 300


@pytest.mark.parametrize(
    ("step", "rule"),
    [
        ({**CHEEK_STEP, "pressure": 31}, "pressure_over_limit"),
        ({**NECK_STEP, "pressure": 21}, "pressure_over_limit"),
        ({**NECK_STEP, "zone": "under_eye", "pressure": 16}, "pressure_over_limit"),
        ({**NECK_STEP, "hold": 5}, "hold_over_limit"),
        ({**CHEEK_STEP, "inflate": 30, "hold": 40}, "pressurised_too_long"),
        ({**CHEEK_STEP, "repetitions": 100}, "routine_too_long"),
    ],
)
async def test_one_step_over_a_limit_refuses_the_custom_routine(
    hass: HomeAssistant,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
    step: dict[str, Any],
    rule: str,
) -> None:
    await acknowledge(hass)
    with pytest.raises(ServiceValidationError) as refused:
        await call(
            hass,
            "run_custom_routine",
            {ATTR_DEVICE_ID: device_id(hass), "steps": [NECK_STEP, step]},
        )
    assert refused.value.translation_key == rule
    assert commands(mask, StartSession) == []


@pytest.mark.parametrize(
    "steps",
    [
        [],
        [{**CHEEK_STEP, "zone": "nose"}],
        [{**CHEEK_STEP, "pressure": math.nan}],
        [{**CHEEK_STEP, "pressure": math.inf}],
        [{**CHEEK_STEP, "pressure": -1}],
        [{**CHEEK_STEP, "pressure": True}],
        [{**CHEEK_STEP, "pressure": "hard"}],
        [{**CHEEK_STEP, "hold": -1}],
        [{**CHEEK_STEP, "hold": 70}],
        [{**CHEEK_STEP, "repetitions": 0}],
        [{**CHEEK_STEP, "repetitions": 2.5}],
        [{**CHEEK_STEP, "repetitions": True}],
        [{**CHEEK_STEP, "max_pressure": 40}],
        [{key: value for key, value in CHEEK_STEP.items() if key != "hold"}],
        [CHEEK_STEP] * 25,
        "forehead",
    ],
    ids=[
        "empty",
        "unknown-zone",
        "nan",
        "infinite",
        "negative",
        "boolean",
        "text",
        "negative-time",
        "time-beyond-the-wire",
        "no-repetitions",
        "fractional-repetitions",
        "boolean-repetitions",
        "unknown-key",
        "missing-key",
        "too-many-steps",
        "not-a-list",
    ],
)
async def test_malformed_custom_routines_are_refused_before_anything_happens(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask, steps: object
) -> None:
    await acknowledge(hass)
    received_before = list(mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await call(hass, "run_custom_routine", {ATTR_DEVICE_ID: device_id(hass), "steps": steps})
    assert refusal.value.translation_key == "invalid_service_data"
    assert mask.received == received_before
    assert hass.states.get(SESSION_EVENT).state == "unknown"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "data",
    [
        {"routine": "quick_morning", "pressure": math.nan},
        {"routine": "quick_morning", "pressure": True},
        {"routine": "quick_morning", "duration": -1},
        {"routine": "quick_morning", "face_max_mmhg": 40},
        {},
    ],
    ids=["nan-pressure", "boolean-pressure", "negative-duration", "a-limit", "no-routine"],
)
async def test_malformed_starts_are_refused_before_anything_happens(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask, data: dict[str, Any]
) -> None:
    await acknowledge(hass)
    with pytest.raises(ServiceValidationError) as refusal:
        await call(hass, "start_session", {ATTR_DEVICE_ID: device_id(hass), **data})
    assert refusal.value.translation_key == "invalid_service_data"
    assert commands(mask, StartSession) == []


async def test_a_device_of_another_integration_is_refused(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    with pytest.raises(ServiceValidationError):
        await call(hass, "stop_session", {ATTR_DEVICE_ID: "not-a-device"})


async def test_stop_session_and_stop_all_always_send_stop(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    # No acknowledgement, no session: stop still goes out.
    await call(hass, "stop_session", {ATTR_DEVICE_ID: device_id(hass)})
    await call(hass, "stop_all", {})
    assert len(commands(mask, Stop)) == 2


async def test_stop_all_stops_a_running_session(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    await call(hass, "start_session", {ATTR_DEVICE_ID: device_id(hass), "routine": "eye_de_puff"})
    mask.press_button()
    await tick(hass, freezer, mask, 8)
    assert mask.session_active
    await call(hass, "stop_all", {})
    await tick(hass, freezer, mask, 5)
    assert not mask.session_active
    assert mask.pressure_mmhg < 5


async def test_stop_all_reports_masks_it_could_not_reach(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    mask.inject_fault(VirtualFault.DROP_LINK)
    mask.drop_link()
    with pytest.raises(HomeAssistantError) as failed:
        await call(hass, "stop_all", {})
    assert failed.value.translation_key == "stop_all_failed"
    assert "PMASK-EE01" in str(failed.value)


async def test_stop_all_does_not_hide_unexpected_errors(
    hass: HomeAssistant, mask_entry: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*, source: str) -> None:
        raise RuntimeError(source)

    monkeypatch.setattr(mask_entry.runtime_data, "async_stop_session", broken)
    with pytest.raises(RuntimeError):
        await call(hass, "stop_all", {})
