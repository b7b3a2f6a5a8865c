"""Binary sensors: session active, connected, problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory

from .entity import PressureMaskEntityDescription, PressureMaskValueEntity

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import PressureMaskConfigEntry, PressureMaskCoordinator

# Read-only platform: entities never send commands.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PressureMaskBinarySensorDescription(
    BinarySensorEntityDescription, PressureMaskEntityDescription
):
    """A binary sensor and where its value comes from."""

    value_fn: Callable[[PressureMaskCoordinator], bool]


BINARY_SENSORS: tuple[PressureMaskBinarySensorDescription, ...] = (
    PressureMaskBinarySensorDescription(
        key="session_active",
        translation_key="session_active",
        device_class=BinarySensorDeviceClass.RUNNING,
        value_fn=lambda coordinator: coordinator.session_active,
    ),
    PressureMaskBinarySensorDescription(
        key="connected",
        translation_key="connected",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda coordinator: coordinator.connected,
    ),
    PressureMaskBinarySensorDescription(
        key="problem",
        translation_key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda coordinator: coordinator.fault is not None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PressureMaskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the mask's binary sensors."""
    async_add_entities(
        PressureMaskBinarySensor(entry.runtime_data, description) for description in BINARY_SENSORS
    )


class PressureMaskBinarySensor(PressureMaskValueEntity, BinarySensorEntity):
    """A binary sensor of the mask."""

    entity_description: PressureMaskBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool:
        """The value from the coordinator."""
        return self.entity_description.value_fn(self.coordinator)
