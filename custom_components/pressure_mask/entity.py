"""Base entity: device info, availability, and writes only when the value changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override

from homeassistant.components.bluetooth.passive_update_coordinator import (
    PassiveBluetoothCoordinatorEntity,
)
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription

from .const import DOMAIN, MANUFACTURER
from .coordinator import PressureMaskCoordinator

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True, kw_only=True)
class PressureMaskEntityDescription(EntityDescription):
    """An entity and where its value comes from."""

    value_fn: Callable[[PressureMaskCoordinator], Any]
    # Host-side values (history, limits, readiness) stay available while the mask is away.
    host_side: bool = False


class PressureMaskEntity(PassiveBluetoothCoordinatorEntity[PressureMaskCoordinator]):
    """An entity of one mask, identified by its address and description key."""

    _attr_has_entity_name = True
    # Host-side entities (settings, the acknowledgement, session events) set this: they work
    # while the mask is out of reach.
    _always_available = False

    def __init__(
        self, coordinator: PressureMaskCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the mask's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.address}-{description.key}"
        info = coordinator.device_info
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, coordinator.address)},
            connections={(dr.CONNECTION_BLUETOOTH, coordinator.address)},
            manufacturer=MANUFACTURER,
            name=coordinator.title,
            model=None if info is None else info.model,
            sw_version=None if info is None else info.firmware,
            serial_number=None if info is None else info.serial,
        )
        self._written: tuple[bool, Any] | None = None

    @property
    @override
    def available(self) -> bool:
        """While the mask is reachable, or always for a host-side entity."""
        return self._always_available or super().available

    def _current_value(self) -> Any:
        """The value the entity shows now; None for those without one (buttons, events)."""
        return None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only when availability or the value changed."""
        snapshot = (self.available, self._current_value())
        if snapshot != self._written:
            self._written = snapshot
            self.async_write_ha_state()


class PressureMaskValueEntity(PressureMaskEntity):
    """An entity whose description reads its value from the coordinator."""

    entity_description: PressureMaskEntityDescription

    def __init__(
        self, coordinator: PressureMaskCoordinator, description: PressureMaskEntityDescription
    ) -> None:
        """Attach the entity; a host-side one is always available."""
        super().__init__(coordinator, description)
        self._always_available = description.host_side

    @override
    def _current_value(self) -> Any:
        return self.entity_description.value_fn(self.coordinator)
