"""Diagnostics: useful, and without the key, the address or the name."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from syrupy.filters import props

from tests.helpers import MASK_ADDRESS, MASK_KEY, MASK_TITLE, setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The mask's entry, set up."""
    await setup_entry(hass, config_entry, proxy, mask)
    return config_entry


async def test_diagnostics_without_secrets(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
    mask: VirtualMask,
    snapshot: SnapshotAssertion,
) -> None:
    """The snapshot shows state and limits; the key, address and name never appear."""
    config_entry = loaded_entry
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, config_entry)

    text = json.dumps(diagnostics)
    for secret in (MASK_KEY.hex(), MASK_ADDRESS, MASK_TITLE, mask.info.serial):
        assert secret not in text
    assert diagnostics == snapshot(
        exclude=props("created_at", "modified_at", "entry_id", "time", "rssi")
    )
    assert await hass.config_entries.async_unload(config_entry.entry_id)
