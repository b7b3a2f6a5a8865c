"""Event: what happened to sessions (started, completed, stopped, aborted, refused).

Each event carries the routine, the source ("ui" or "automation") and, for stopped, aborted and
refused, the reason (a stop reason, a fault, or the refusal rule); a refusal also carries its
full message with the numbers ("Not started: ... runs until 7:42 ..."). Automations and the logbook
follow this entity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import callback

from .entity import PressureMaskEntity
from .session import SessionEvent, SessionEventType

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import PressureMaskConfigEntry

PARALLEL_UPDATES = 0

SESSION_EVENTS = EventEntityDescription(
    key="session_event",
    translation_key="session_event",
    event_types=[event_type.value for event_type in SessionEventType],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PressureMaskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the session event entity."""
    async_add_entities([SessionEventEntity(entry.runtime_data, SESSION_EVENTS)])


class SessionEventEntity(PressureMaskEntity, EventEntity):
    """Session events of the mask."""

    # An abort because the mask went out of reach must still be recorded.
    _always_available = True

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the coordinator's session events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_subscribe_session_events(self._async_on_event))

    @callback
    def _async_on_event(self, event: SessionEvent) -> None:
        self._trigger_event(
            event.type.value,
            {
                "routine": event.routine,
                "source": event.source,
                "reason": None if event.reason is None else str(event.reason),
                "message": event.message,
            },
        )
        self.async_write_ha_state()
