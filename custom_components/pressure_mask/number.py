"""Numbers: the target pressure and session duration the start button asks for.

Their maxima are the configured limits, read live from the coordinator: a number can choose a
value within the limits, never move a limit. The session start is checked again by the safety
policy whatever these hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, override

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberMode,
    RestoreNumber,
)
from homeassistant.const import UnitOfPressure, UnitOfTime

from .entity import PressureMaskEntity
from .mask_ble.const import VENT_SAFE_MMHG
from .safety import MIN_SESSION_MIN

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import PressureMaskConfigEntry, PressureMaskCoordinator

# Choosing a value only changes a host-side setting; nothing is sent to the mask.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PressureMaskNumberDescription(NumberEntityDescription):
    """A setting, its ceiling from the limits, and the coordinator's getter and setter."""

    max_fn: Callable[[PressureMaskCoordinator], float]
    value_fn: Callable[[PressureMaskCoordinator], float]
    set_fn: Callable[[PressureMaskCoordinator, float], None]


NUMBERS: tuple[PressureMaskNumberDescription, ...] = (
    PressureMaskNumberDescription(
        key="target_pressure",
        translation_key="target_pressure",
        device_class=NumberDeviceClass.PRESSURE,
        native_unit_of_measurement=UnitOfPressure.MMHG,
        # Below the vented threshold a bladder counts as empty: nothing to ask for.
        native_min_value=VENT_SAFE_MMHG,
        native_step=0.5,
        mode=NumberMode.SLIDER,
        max_fn=lambda coordinator: coordinator.limits.face_max_mmhg,
        value_fn=lambda coordinator: coordinator.target_pressure_mmhg,
        set_fn=lambda coordinator, value: coordinator.async_set_target_pressure_mmhg(value),
    ),
    PressureMaskNumberDescription(
        key="session_duration",
        translation_key="session_duration",
        device_class=NumberDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        native_min_value=MIN_SESSION_MIN,
        native_step=1,
        mode=NumberMode.SLIDER,
        max_fn=lambda coordinator: coordinator.limits.max_session_min,
        value_fn=lambda coordinator: coordinator.session_duration_min,
        set_fn=lambda coordinator, value: coordinator.async_set_session_duration_min(value),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PressureMaskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the session settings."""
    async_add_entities(
        PressureMaskNumber(entry.runtime_data, description) for description in NUMBERS
    )


class PressureMaskNumber(PressureMaskEntity, RestoreNumber):
    """A session setting within the configured limits; restored across restarts."""

    entity_description: PressureMaskNumberDescription

    # A host-side setting: adjustable while the mask is out of reach.
    _always_available = True

    @override
    def _current_value(self) -> tuple[float, float]:
        # The maximum is part of the state: a changed limit must reach the frontend.
        return (self.native_value, self.native_max_value)

    @property
    @override
    def native_value(self) -> float:
        """The coordinator's setting."""
        return self.entity_description.value_fn(self.coordinator)

    @property
    @override
    def native_max_value(self) -> float:
        """The configured limit."""
        return self.entity_description.max_fn(self.coordinator)

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Store the setting (the number platform has refused values outside min..max)."""
        self.entity_description.set_fn(self.coordinator, value)

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the last value if it is still within the current limits.

        A value beyond a limit lowered since is not clamped; the coordinator's default stays.
        """
        await super().async_added_to_hass()
        last = await self.async_get_last_number_data()
        if (
            last is not None
            and last.native_value is not None
            and self.native_min_value <= last.native_value <= self.native_max_value
        ):
            self.entity_description.set_fn(self.coordinator, last.native_value)
