"""No entity and no service can raise a limit: each route is tried, and every limit is unchanged.

Limits are set only in the options flow. This test tries every other way in: every number entity
above its maximum, every service with more than a limit allows, and every service with a limit
among its fields. Afterwards the options, the coordinator's limits and the limits stored on the
mask are exactly as before, and the mask received no start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import probatio
import pytest

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.codec import StartSession
from custom_components.pressure_mask.safety import LIMIT_CEILINGS, Limits
from tests.test_controls import (
    acknowledge,
    commands,
)
from tests.test_services import CHEEK_STEP, NECK_STEP, device_id

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask


async def _attempts(hass: HomeAssistant, entry: MockConfigEntry) -> list[tuple[str, Any]]:
    """Try every route; return (route, outcome) for each, where outcome is the exception."""
    outcomes: list[tuple[str, Any]] = []

    async def attempt(route: str, domain: str, service: str, data: dict[str, Any]) -> None:
        try:
            await hass.services.async_call(domain, service, data, blocking=True)
        except (ServiceValidationError, probatio.Invalid) as err:
            outcomes.append((route, err))
        else:
            outcomes.append((route, None))

    registry = er.async_get(hass)
    numbers = [
        entity.entity_id
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.domain == Platform.NUMBER
    ]
    assert numbers, "the number entities are set up"
    for entity_id in numbers:
        state = hass.states.get(entity_id)
        assert state is not None
        for value in (state.attributes["max"] + 0.5, max(LIMIT_CEILINGS.values()) + 1, 1e9):
            await attempt(
                f"{entity_id} = {value}",
                Platform.NUMBER,
                "set_value",
                {ATTR_ENTITY_ID: entity_id, "value": value},
            )

    mask = device_id(hass)
    for pressure in (30.5, 40, 1000):
        await attempt(
            f"start_session pressure {pressure}",
            DOMAIN,
            "start_session",
            {"device_id": mask, "routine": "quick_morning", "pressure": pressure},
        )
    for duration in (10.5, 20, 1440):
        await attempt(
            f"start_session duration {duration}",
            DOMAIN,
            "start_session",
            {"device_id": mask, "routine": "quick_morning", "duration": duration},
        )
    for step in (
        {**CHEEK_STEP, "pressure": 40},
        {**NECK_STEP, "pressure": 25},
        {**NECK_STEP, "zone": "under_eye", "pressure": 20},
    ):
        await attempt(
            f"run_custom_routine {step['zone']} {step['pressure']}",
            DOMAIN,
            "run_custom_routine",
            {"device_id": mask, "steps": [step]},
        )
    for service, base in (
        ("start_session", {"device_id": mask, "routine": "quick_morning"}),
        ("run_custom_routine", {"device_id": mask, "steps": [CHEEK_STEP]}),
        ("stop_session", {"device_id": mask}),
        ("stop_all", {}),
    ):
        for limit, ceiling in LIMIT_CEILINGS.items():
            await attempt(f"{service} with {limit}", DOMAIN, service, {**base, limit: ceiling})
    return outcomes


@pytest.mark.parametrize("acknowledged", [True, False])
async def test_no_entity_or_service_can_raise_a_limit(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask, acknowledged: bool
) -> None:
    if acknowledged:
        await acknowledge(hass)
    coordinator = mask_entry.runtime_data
    options_before = dict(mask_entry.options)
    limits_before = coordinator.limits
    stored_before = mask.limits

    outcomes = await _attempts(hass, mask_entry)

    accepted = [route for route, error in outcomes if error is None]
    assert accepted == []
    assert dict(mask_entry.options) == options_before
    assert coordinator.limits == limits_before == Limits()
    assert mask.limits == stored_before
    assert commands(mask, StartSession) == []


async def test_number_maxima_are_the_limits_not_the_ceilings(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    limits = mask_entry.runtime_data.limits
    pressure = hass.states.get("number.pmask_ee01_target_pressure")
    duration = hass.states.get("number.pmask_ee01_session_duration")
    assert pressure is not None
    assert duration is not None
    assert pressure.attributes["max"] == limits.face_max_mmhg < LIMIT_CEILINGS["face_max_mmhg"]
    assert duration.attributes["max"] == limits.max_session_min
