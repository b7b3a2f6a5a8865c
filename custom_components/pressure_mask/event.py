"""Event: what happened to sessions (started, completed, stopped, aborted, refused).

Each event carries the routine, the source ("ui" or "automation") and, for stopped, aborted and
refused, the reason (a stop reason, a fault, or the refusal rule); a refusal also carries its
full message with the numbers ("Not started: ... runs until 7:42 ..."). Automations follow this
entity; every event also goes on the bus as `pressure_mask_session_event`, which the logbook
tells in a sentence (logbook.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, ATTR_NAME, Platform
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import DOMAIN, EVENT_SESSION
from .entity import PressureMaskEntity
from .safety import RefusalRule
from .session import SessionEvent, SessionEventType

if TYPE_CHECKING:
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant
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
    """Add the session event entity; put the session events on the bus for the logbook."""
    async_add_entities([SessionEventEntity(entry.runtime_data, SESSION_EVENTS)])
    entry.async_on_unload(async_track_session_events(hass, entry))


# The data of a `pressure_mask_session_event` (besides name, device_id and entity_id).
ATTR_TYPE: Final = "type"
ATTR_ROUTINE: Final = "routine"
ATTR_SOURCE: Final = "source"
ATTR_REASON: Final = "reason"
ATTR_UNTIL: Final = "until"


@callback
def async_track_session_events(
    hass: HomeAssistant, entry: PressureMaskConfigEntry
) -> CALLBACK_TYPE:
    """Fire a bus event for every session event of the entry's mask, as it happens.

    Only real events: nothing is fired when the entity restores its last event after a restart.
    """
    coordinator = entry.runtime_data

    @callback
    def fire(event: SessionEvent) -> None:
        device = dr.async_get(hass).async_get_device_by_identifier(
            (DOMAIN, coordinator.address), entry.entry_id
        )
        data: dict[str, Any] = {
            ATTR_NAME: coordinator.title,
            ATTR_DEVICE_ID: None if device is None else device.id,
            ATTR_ENTITY_ID: er.async_get(hass).async_get_entity_id(
                Platform.EVENT, DOMAIN, f"{coordinator.address}-{SESSION_EVENTS.key}"
            ),
            ATTR_TYPE: event.type.value,
            ATTR_ROUTINE: event.routine,
            ATTR_SOURCE: event.source,
            ATTR_REASON: event.reason,
        }
        cooldown_ends = coordinator.cooldown_ends
        if event.reason == RefusalRule.COOLDOWN_ACTIVE and cooldown_ends is not None:
            # Told as it was then: the end of the cooldown that refused the start.
            data[ATTR_UNTIL] = cooldown_ends.isoformat()
        hass.bus.async_fire(EVENT_SESSION, data)

    return coordinator.async_subscribe_session_events(fire)


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
