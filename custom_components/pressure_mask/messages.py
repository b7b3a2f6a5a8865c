"""Texts Home Assistant writes itself (notifications, repair details, event reasons).

Translated exceptions and entity states are translated by the frontend; a persistent
notification, a repair issue's placeholders and an event's reason are plain text, so they are
written here in the server's language from the integration's own translations (cached when the
integration was set up, English when a language lacks a key).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from homeassistant.components.frontend.storage import async_user_store
from homeassistant.helpers.translation import async_get_cached_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .mask_ble.routines import BUILTIN_ROUTINES

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

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


# Languages whose people read the clock in 12 hours, as Home Assistant's frontend shows it for
# the language (its "time format: language" setting): "en" is American English there.
_TWELVE_HOUR_LANGUAGES = frozenset({"en", "en-US"})


# The time formats a person can choose in their profile (Home Assistant's frontend keeps them in
# its user data store, key "language", field "time_format"): "12" and "24" hours. "language" and
# "system" (the browser's, which the server cannot know) follow the language.
_PROFILE_TWELVE_HOUR: Final = {"12": True, "24": False}


async def async_reader_twelve_hour(hass: HomeAssistant, user_id: str | None) -> bool | None:
    """Whether the person a text answers reads the clock in 12 hours; None: as the language.

    A text answers a person when the call that caused it carries their user (a press in the
    dashboard, an action run from the UI); automations and faults answer nobody in particular.
    """
    if user_id is None:
        return None
    settings = (await async_user_store(hass, user_id)).data.get("language")
    if not isinstance(settings, dict):
        return None
    return _PROFILE_TWELVE_HOUR.get(str(settings.get("time_format")))


def format_clock(hass: HomeAssistant, moment: datetime, *, twelve_hour: bool | None = None) -> str:
    """A time of day as its reader writes it: 7:42 AM in English, 07:42 elsewhere.

    `twelve_hour` is the reader's own time format (async_reader_twelve_hour); without one (a
    notification nobody in particular asked for, the logbook) the server's language decides.
    """
    local = dt_util.as_local(moment)
    if twelve_hour is None:
        twelve_hour = hass.config.language in _TWELVE_HOUR_LANGUAGES
    if twelve_hour:
        return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    return f"{local.hour:02d}:{local.minute:02d}"


def routine_name(hass: HomeAssistant, routine_key: str | None) -> str:
    """A built-in routine's translated name ("Full face drainage"), or "custom routine"."""
    if routine_key in BUILTIN_ROUTINES:
        return translate(hass, "selector", f"routine.options.{routine_key}")
    return exception_message(hass, "logbook_custom_routine")


def readable_placeholders(
    hass: HomeAssistant,
    placeholders: Mapping[str, str],
    cooldown_ends: datetime | None,
    *,
    twelve_hour: bool | None = None,
) -> dict[str, str]:
    """A refusal's names and times as people read them, in the server's language.

    The safety policy writes its placeholders in no language (zone "under eye", routine
    "full_face_drainage", cooldown end "07:42"): the zone and the routine are translated, the
    cooldown's end follows the reader's clock (or the language's). An unknown routine keeps the name asked for.
    """
    readable = dict(placeholders)
    if (zone := readable.get("zone")) and zone != "none":
        readable["zone"] = translate(
            hass, "selector", f"zone_name.options.{zone.replace(' ', '_')}"
        )
    if "routine" in readable and "routine_duration" in readable:
        readable["routine"] = routine_name(hass, readable["routine"])
    if "cooldown_ends" in readable and cooldown_ends is not None:
        readable["cooldown_ends"] = format_clock(hass, cooldown_ends, twelve_hour=twelve_hour)
    return readable
