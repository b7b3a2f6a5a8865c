"""Switch: the safety acknowledgement, without which no session starts.

"Contraindications read and accepted." Off on first setup. The
coordinator persists it in the session history store together with the limits it was given
under, so it survives restarts and a limit change (or a safety fault) revokes it. The store is
the single source of truth, so this entity restores nothing itself: a restored "on" could
resurrect an acknowledgement the coordinator revoked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory

from .entity import PressureMaskEntity

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import PressureMaskConfigEntry

# Host-side state only; nothing is sent to the mask.
PARALLEL_UPDATES = 0

ACKNOWLEDGEMENT = SwitchEntityDescription(
    key="safety_acknowledgement",
    translation_key="safety_acknowledgement",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PressureMaskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the acknowledgement switch."""
    async_add_entities([AcknowledgementSwitch(entry.runtime_data, ACKNOWLEDGEMENT)])


class AcknowledgementSwitch(PressureMaskEntity, SwitchEntity):
    """The person's acknowledgement of the contraindications."""

    # Host-side: it can be withdrawn (or given) while the mask is out of reach.
    _always_available = True

    @override
    def _current_value(self) -> bool:
        return self.coordinator.acknowledged

    @property
    @override
    def is_on(self) -> bool:
        """The coordinator's acknowledgement."""
        return self._current_value()

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Acknowledge the contraindications."""
        await self.coordinator.async_set_acknowledged(on=True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Withdraw the acknowledgement: no session starts until it is given again."""
        await self.coordinator.async_set_acknowledged(on=False)
