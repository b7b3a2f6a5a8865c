"""The Lymphatic Pressure Mask integration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import Platform
from homeassistant.helpers import config_validation as cv

from .card import async_register_card, async_serve_card, async_unregister_card
from .const import DOMAIN
from .coordinator import PressureMaskConfigEntry, async_prepare_coordinator
from .history import SessionHistory
from .safety import Limits
from .services import async_setup_services

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration: services and the dashboard card's file, once, here."""
    async_setup_services(hass)
    await async_serve_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PressureMaskConfigEntry) -> bool:
    """Set up a mask: find it, build its coordinator, start listening."""
    # Every mask makes sure dashboards load the card (after the last one is removed and a
    # new one added, the resource comes back).
    await async_register_card(hass)
    coordinator = await async_prepare_coordinator(hass, entry)
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(coordinator.async_start())
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    return True


async def _async_options_updated(hass: HomeAssistant, entry: PressureMaskConfigEntry) -> None:
    """Saved limits apply in place (coordinator.async_apply_limits says why not by a reload)."""
    await entry.runtime_data.async_apply_limits(Limits.from_options(entry.options))


async def async_unload_entry(hass: HomeAssistant, entry: PressureMaskConfigEntry) -> bool:
    """Unload a mask: end its session (its event still reaches the entities), then unload."""
    entry.runtime_data.async_end_session_for_unload()
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_shutdown()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: PressureMaskConfigEntry) -> None:
    """Delete the session history of a removed mask; the card goes with the last mask."""
    await SessionHistory(hass, entry.entry_id).async_remove()
    if not any(
        other.entry_id != entry.entry_id for other in hass.config_entries.async_entries(DOMAIN)
    ):
        await async_unregister_card(hass)
