"""The Lymphatic Pressure Mask integration."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.components import bluetooth
from homeassistant.const import CONF_ADDRESS, Platform
from homeassistant.helpers import config_validation as cv, issue_registry as ir

from .card import async_register_card, async_serve_card, async_unregister_card
from .const import CONF_KEY, DOMAIN, ISSUE_SLOT_NOT_REVOKED
from .coordinator import PressureMaskConfigEntry, async_prepare_coordinator, entry_credentials
from .history import SessionHistory
from .mask_ble.client import MaskClient
from .mask_ble.errors import MaskError
from .safety import Limits
from .services import async_setup_services

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .mask_ble.secure import HostCredentials

_LOGGER = logging.getLogger(__name__)

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


async def async_migrate_entry(hass: HomeAssistant, entry: PressureMaskConfigEntry) -> bool:
    """Version 1 entries hold a key that crossed the air in clear: drop it, pair again.

    Setting up the migrated entry raises ConfigEntryAuthFailed, which starts the reauth flow
    that says why (protocol version 2) and pairs again.
    """
    if entry.version == 1:
        data = {name: value for name, value in entry.data.items() if name != CONF_KEY}
        hass.config_entries.async_update_entry(entry, data=data, version=2)
        _LOGGER.warning(
            "%s was paired with protocol version 1, whose key travelled in clear; pair it again",
            entry.title,
        )
    return entry.version == 2


async def async_remove_entry(hass: HomeAssistant, entry: PressureMaskConfigEntry) -> None:
    """Revoke this host's key slot, delete the history; the card goes with the last mask.

    A mask out of reach keeps the slot: a repair issue tells the person how to clear it.
    """
    credentials = entry_credentials(entry)
    if credentials is not None and not await _async_revoke_own_slot(hass, entry, credentials):
        ir.async_create_issue(
            hass,
            DOMAIN,
            f"{ISSUE_SLOT_NOT_REVOKED}_{entry.entry_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_SLOT_NOT_REVOKED,
            translation_placeholders={"name": entry.title, "slot": str(credentials.slot + 1)},
        )
    await SessionHistory(hass, entry.entry_id).async_remove()
    if not any(
        other.entry_id != entry.entry_id for other in hass.config_entries.async_entries(DOMAIN)
    ):
        await async_unregister_card(hass)


async def _async_revoke_own_slot(
    hass: HomeAssistant, entry: PressureMaskConfigEntry, credentials: HostCredentials
) -> bool:
    """True once the mask confirmed it forgot this host's key."""
    ble_device = bluetooth.async_ble_device_from_address(
        hass, entry.data[CONF_ADDRESS], connectable=True
    )
    if ble_device is None:
        return False
    client = MaskClient(ble_device, credentials=credentials)
    try:
        await client.connect()
        await client.authenticate()
        await client.revoke_slot(credentials.slot)
    except MaskError as err:
        _LOGGER.warning("%s: could not revoke this host's key slot: %s", entry.title, err)
        return False
    finally:
        await client.disconnect()
    _LOGGER.info("%s: this host's key slot %d is revoked", entry.title, credentials.slot + 1)
    return True
