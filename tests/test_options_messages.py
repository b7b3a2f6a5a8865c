"""The options flow says what it does: ranges in its errors, the consequences of saving."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.pressure_mask.safety import LIMIT_RANGES, Limits
from tests.test_controls import acknowledge

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

EN = json.loads(
    (Path(__file__).parents[1] / "custom_components/pressure_mask/translations/en.json").read_text()
)


def _form_text(result: Any, key: str) -> str:
    """An error text as the frontend shows it: the translation with the step's placeholders."""
    text: str = EN["options"]["error"][key]
    return text.format(**result["description_placeholders"])


async def _submit(hass: HomeAssistant, entry: MockConfigEntry, **changes: Any) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    data = {**Limits().to_options(), **changes}
    if data["acknowledgement_expiry_days"] is None:
        del data["acknowledgement_expiry_days"]
    return await hass.config_entries.options.async_configure(result["flow_id"], data)


@pytest.mark.parametrize("name", list(LIMIT_RANGES))
async def test_errors_name_the_allowed_range(
    hass: HomeAssistant, config_entry: MockConfigEntry, name: str
) -> None:
    """Below the minimum and above the ceiling, each field's error says the bound."""
    bounds = LIMIT_RANGES[name]
    for value, bound, kind in (
        (bounds.minimum - 1, bounds.minimum, "below_minimum"),
        (bounds.maximum + 1, bounds.maximum, "above_ceiling"),
    ):
        result = await _submit(hass, config_entry, **{name: value})
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {name: f"{name}_{kind}"}
        text = _form_text(result, f"{name}_{kind}")
        assert f"{bound:g}" in text
        assert ("At least" if kind == "below_minimum" else "At most") in text


async def test_the_cooldown_error_reads_at_least_20_minutes(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    result = await _submit(hass, config_entry, cooldown_min=10)
    assert _form_text(result, result["errors"]["cooldown_min"]) == (
        "At least 20 minutes between sessions."
    )


async def test_saving_says_the_acknowledgement_was_withdrawn_and_the_target_lowered(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    """A lower face limit: withdrawn acknowledgement and the replaced target are both said."""
    await acknowledge(hass)
    coordinator = mask_entry.runtime_data
    coordinator.async_set_target_pressure_mmhg(28.0)
    coordinator.async_set_session_duration_min(10.0)

    result = await _submit(hass, mask_entry, face_max_mmhg=22.0, max_session_min=8)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["description"] == "acknowledgement_withdrawn"
    assert result["description_placeholders"] == {
        "adjusted": "\n\nYour target pressure of 28 mmHg is above the new face limit of 22 mmHg: "
        "the start button now asks for 22 mmHg."
        "\n\nYour session duration of 10 min is longer than the new maximum: "
        "the start button now asks for 8 min."
    }
    await hass.async_block_till_done()
    # What was said is what happened.
    coordinator = mask_entry.runtime_data
    assert not coordinator.acknowledged
    assert coordinator.target_pressure_mmhg == 22.0
    assert coordinator.session_duration_min == 8.0


async def test_saving_unchanged_limits_says_nothing_was_withdrawn(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    await acknowledge(hass)
    result = await _submit(hass, mask_entry)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result.get("description") is None
    await hass.async_block_till_done()
    assert mask_entry.runtime_data.acknowledged


async def test_saving_without_the_acknowledgement_just_says_saved(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    result = await _submit(hass, mask_entry, cooldown_min=30)
    assert result["description"] == "limits_saved"
    assert result["description_placeholders"] == {"adjusted": ""}
