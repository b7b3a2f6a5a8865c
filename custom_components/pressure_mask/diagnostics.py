"""Diagnostics: state, limits and history, with the key, address and name redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from homeassistant.components import bluetooth
from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_ADDRESS

from .const import CONF_KEY

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import PressureMaskConfigEntry

TO_REDACT = {
    CONF_KEY,
    CONF_ADDRESS,
    "address",
    "discovery_keys",
    "name",
    "serial",
    "source",
    "title",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: PressureMaskConfigEntry
) -> dict[str, Any]:
    """What support needs to understand a mask's state, without its secrets."""
    coordinator = entry.runtime_data
    service_info = bluetooth.async_last_service_info(hass, coordinator.address, connectable=True)
    return async_redact_data(
        {
            "entry": entry.as_dict(),
            "advertisement": (
                None if coordinator.advertisement is None else asdict(coordinator.advertisement)
            ),
            "last_service_info": (
                None
                if service_info is None
                else {
                    "name": service_info.name,
                    "address": service_info.address,
                    "rssi": service_info.rssi,
                    "source": service_info.source,
                    "manufacturer_data": {
                        str(k): v.hex() for k, v in service_info.manufacturer_data.items()
                    },
                }
            ),
            "connected": coordinator.connected,
            "device_info": (
                None if coordinator.device_info is None else asdict(coordinator.device_info)
            ),
            "status": None if coordinator.status is None else asdict(coordinator.status),
            "fault": coordinator.fault,
            "limits": coordinator.limits.to_options(),
            "acknowledged": coordinator.acknowledged,
            "sessions": [record.as_dict() for record in coordinator.history.sessions],
        },
        TO_REDACT,
    )
