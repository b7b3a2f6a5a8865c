"""The harness works end to end: Home Assistant with bluetooth, and our manifest loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component

from custom_components.pressure_mask.mask_ble.const import MASK_SERVICE_UUID

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant


async def test_bluetooth_and_manifest_load(hass: HomeAssistant, enable_bluetooth: None) -> None:
    """Bluetooth is up and the integration's manifest matches the protocol."""
    assert hass.config.components >= {"bluetooth"}
    integration = await async_get_integration(hass, "pressure_mask")
    assert integration.domain == "pressure_mask"
    assert integration.config_flow
    assert integration.dependencies == ["bluetooth_adapters", "http"]
    assert integration.after_dependencies == ["frontend", "lovelace"]
    matchers = integration.manifest["bluetooth"]
    assert {"connectable": True, "service_uuid": MASK_SERVICE_UUID} in matchers
    assert await async_setup_component(hass, "bluetooth_adapters", {})
