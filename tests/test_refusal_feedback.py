"""A refused start tells automations why, with its numbers, and logs a warning, not an error.

The refused event carries the full message; asked for a response, the start actions answer a
refusal instead of failing; the mask receives nothing in every case.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.codec import StartSession
from tests.test_controls import SESSION_EVENT, acknowledge, commands
from tests.test_services import device_id

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask

OVER_LIMIT_MESSAGE = (
    "Not started: the forehead step asks for 35 mmHg, above the forehead limit of 30 mmHg."
)


async def test_the_refused_event_carries_the_full_reason(
    hass: HomeAssistant,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The event's message is the whole sentence with its numbers; the log has it as a warning."""
    await acknowledge(hass)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "start_session",
            {ATTR_DEVICE_ID: device_id(hass), "routine": "quick_morning", "pressure": 35},
            blocking=True,
        )

    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_type"] == "refused"
    assert event.attributes["reason"] == "pressure_over_limit"
    assert event.attributes["message"] == OVER_LIMIT_MESSAGE
    assert commands(mask, StartSession) == []
    [warning] = [record for record in caplog.records if "start refused" in record.getMessage()]
    assert warning.levelno == logging.WARNING
    assert OVER_LIMIT_MESSAGE in warning.getMessage()


@pytest.mark.parametrize("service", ["start_session", "run_custom_routine"])
async def test_asked_for_a_response_a_refusal_is_answered(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask, service: str
) -> None:
    """started: false, the rule and the message; the action itself does not fail."""
    await acknowledge(hass)
    data = (
        {"routine": "quick_morning", "pressure": 35}
        if service == "start_session"
        else {
            "steps": [
                {
                    "zone": "forehead",
                    "pressure": 35,
                    "inflate": 1.5,
                    "hold": 3,
                    "release": 3.5,
                    "repetitions": 1,
                }
            ]
        }
    )
    response = await hass.services.async_call(
        DOMAIN,
        service,
        {ATTR_DEVICE_ID: device_id(hass), **data},
        blocking=True,
        return_response=True,
    )
    assert response == {
        "started": False,
        "reason": "pressure_over_limit",
        "message": OVER_LIMIT_MESSAGE,
    }
    assert commands(mask, StartSession) == []


async def test_asked_for_a_response_a_start_says_so(
    hass: HomeAssistant, mask_entry: MockConfigEntry, mask: VirtualMask
) -> None:
    """A start that reached the mask answers started: true."""
    await acknowledge(hass)
    response = await hass.services.async_call(
        DOMAIN,
        "start_session",
        {ATTR_DEVICE_ID: device_id(hass), "routine": "quick_morning"},
        blocking=True,
        return_response=True,
    )
    assert response == {"started": True, "reason": None, "message": None}
    assert len(commands(mask, StartSession)) == 1
    await hass.services.async_call(
        DOMAIN, "stop_session", {ATTR_DEVICE_ID: device_id(hass)}, blocking=True
    )
