"""Voice assistants: nothing that starts pressure or vouches for the person is exposed by default.

A misheard phrase, or anyone in the room, must not start a session, give the safety
acknowledgement or move the target pressure and duration. Home Assistant exposes by default only
some domains (switch among them) and never configuration or diagnostic entities; these tests
fail if an entity of ours falls into that default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest

from custom_components.pressure_mask.const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

ASSISTANTS = ("conversation", "cloud.alexa", "cloud.google_assistant")
# (platform, translation key): Start, the acknowledgement, and the values bounded by the limits.
NOT_EXPOSED = (
    ("button", "start_session"),
    ("switch", "safety_acknowledgement"),
    ("number", "target_pressure"),
    ("number", "session_duration"),
    ("select", "routine"),
)


@pytest.mark.parametrize(("platform", "translation_key"), NOT_EXPOSED)
async def test_not_exposed_to_voice_assistants_by_default(
    hass: HomeAssistant, mask_entry: MockConfigEntry, platform: str, translation_key: str
) -> None:
    """Each assistant gets none of them unless the person exposes it on purpose."""
    assert await async_setup_component(hass, "homeassistant", {})
    [entity] = [
        entry
        for entry in er.async_entries_for_config_entry(er.async_get(hass), mask_entry.entry_id)
        if entry.domain == platform and entry.translation_key == translation_key
    ]
    assert entity.platform == DOMAIN
    for assistant in ASSISTANTS:
        assert not async_should_expose(hass, assistant, entity.entity_id), assistant
