"""Select: the routine the start button runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, override

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.helpers.restore_state import RestoreEntity

from .entity import PressureMaskEntity
from .mask_ble.routines import BUILTIN_ROUTINES

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import PressureMaskConfigEntry

# Choosing a routine only changes a host-side setting; nothing is sent to the mask.
PARALLEL_UPDATES = 0

ROUTINE = SelectEntityDescription(
    key="routine",
    translation_key="routine",
    options=list(BUILTIN_ROUTINES),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PressureMaskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the routine select."""
    async_add_entities([RoutineSelect(entry.runtime_data, ROUTINE)])


class RoutineSelect(PressureMaskEntity, SelectEntity, RestoreEntity):
    """The built-in routine the start button runs; restored across restarts."""

    # A host-side setting: choosable while the mask is out of reach.
    _always_available = True

    @override
    def _current_value(self) -> str:
        return self.coordinator.routine_key

    @property
    @override
    def current_option(self) -> str:
        """The coordinator's selected routine."""
        return self._current_value()

    @override
    async def async_select_option(self, option: str) -> None:
        """Select a routine (the select platform has checked it is one of the options)."""
        self.coordinator.async_set_routine_key(option)

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the last choice if it is still a built-in routine."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is not None and last.state in BUILTIN_ROUTINES:
            self.coordinator.async_set_routine_key(last.state)
