"""Texts Home Assistant writes itself (notifications, repair details, event reasons).

Translated exceptions and entity states are translated by the frontend; a persistent
notification, a repair issue's placeholders and an event's reason are plain text, so they are
written here in the server's language from the integration's own translations (cached when the
integration was set up, English when a language lacks a key).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.helpers.translation import async_get_cached_translations

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

_LOGGER = logging.getLogger(__name__)


def translate(
    hass: HomeAssistant, category: str, key: str, placeholders: Mapping[str, str] | None = None
) -> str:
    """The text at `<category>.<key>` in the server's language, with its placeholders filled.

    `key` is the dotted path below the category, e.g. "fault_notification.message".
    """
    path = f"component.{DOMAIN}.{category}.{key}"
    # Home Assistant caches English under every language, so a missing translation reads English.
    text = async_get_cached_translations(hass, hass.config.language, category, DOMAIN).get(path)
    if not text:
        # A bug the translation tests catch; a fault report must still go out, so no raise here.
        _LOGGER.error("Missing translation %s", path)
        return key
    return text.format(**placeholders) if placeholders else text


def exception_message(
    hass: HomeAssistant, key: str, placeholders: Mapping[str, str] | None = None
) -> str:
    """A translated exception's message, e.g. the full reason of a refused start."""
    return translate(hass, "exceptions", f"{key}.message", placeholders)
