"""Buttons: start a session with the selected settings, stop it, vent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription

from .entity import PressureMaskEntity
from .services import request_source

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import PressureMaskConfigEntry, PressureMaskCoordinator

# No queue between presses: a stop must never wait behind a start that is still connecting.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PressureMaskButtonDescription(ButtonEntityDescription):
    """A button and the coordinator command it sends."""

    # (coordinator, source, the user the press carries) -> the command.
    press_fn: Callable[[PressureMaskCoordinator, str, str | None], Awaitable[None]]
    # Stop and vent work in every state, so they never show as unavailable.
    always_available: bool = False


BUTTONS: tuple[PressureMaskButtonDescription, ...] = (
    PressureMaskButtonDescription(
        key="start_session",
        translation_key="start_session",
        press_fn=lambda coordinator, source, user_id: coordinator.async_start_session(
            source=source, user_id=user_id
        ),
    ),
    PressureMaskButtonDescription(
        key="stop_session",
        translation_key="stop_session",
        always_available=True,
        press_fn=lambda coordinator, source, _user: coordinator.async_stop_session(source=source),
    ),
    PressureMaskButtonDescription(
        key="vent",
        translation_key="vent",
        always_available=True,
        press_fn=lambda coordinator, source, _user: coordinator.async_vent(source=source),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PressureMaskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the session buttons."""
    async_add_entities(
        PressureMaskButton(entry.runtime_data, description) for description in BUTTONS
    )


class PressureMaskButton(PressureMaskEntity, ButtonEntity):
    """A session command."""

    entity_description: PressureMaskButtonDescription

    @property
    @override
    def available(self) -> bool:
        """Stop and vent always; start while the mask is reachable."""
        return self.entity_description.always_available or super().available

    @override
    async def async_press(self) -> None:
        """Send the command; refusals and device failures raise translated errors."""
        context = self._context
        await self.entity_description.press_fn(
            self.coordinator,
            request_source(context),
            None if context is None else context.user_id,
        )
