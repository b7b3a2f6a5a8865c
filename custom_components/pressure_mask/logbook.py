"""The logbook tells session events in sentences.

"Session completed: Full face drainage, started by an automation"; "Start refused: cooling down
until 7:42 AM". Each session event also goes on the event bus as `pressure_mask_session_event`,
with the mask's device and its session event entity, when it happens (event.py); this module
turns it into a sentence in the server's language when the logbook is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.const import ATTR_ENTITY_ID, ATTR_NAME
from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EVENT_SESSION
from .coordinator import HOST_FAULT_OVER_PRESSURE, HOST_FAULT_STOP_UNCONFIRMED
from .event import ATTR_REASON, ATTR_ROUTINE, ATTR_SOURCE, ATTR_TYPE, ATTR_UNTIL
from .mask_ble.const import FaultCode
from .messages import format_clock, routine_name, translate
from .safety import RefusalRule
from .session import SessionEventType

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.core import Event, HomeAssistant


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the session events of every mask."""

    @callback
    def describe(event: Event) -> dict[str, str]:
        data = event.data
        described = {
            LOGBOOK_ENTRY_NAME: data[ATTR_NAME],
            LOGBOOK_ENTRY_MESSAGE: describe_session_event(hass, data),
        }
        if data.get(ATTR_ENTITY_ID):
            described[LOGBOOK_ENTRY_ENTITY_ID] = data[ATTR_ENTITY_ID]
        return described

    async_describe_event(DOMAIN, EVENT_SESSION, describe)


def describe_session_event(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """The sentence for one session event."""
    event_type = SessionEventType(data[ATTR_TYPE])
    reason = data.get(ATTR_REASON) or "unknown"
    if event_type is SessionEventType.REFUSED:
        if until := data.get(ATTR_UNTIL):
            moment = dt_util.parse_datetime(until)
            if moment is not None:
                return _sentence(hass, "refused_cooldown", {"time": format_clock(hass, moment)})
        return _sentence(
            hass, "refused", {"reason": translate(hass, "selector", _refusal_key(reason))}
        )
    placeholders = {
        "routine": routine_name(hass, data.get(ATTR_ROUTINE)),
        "source": _sentence(hass, f"source_{_source(data)}"),
    }
    if event_type in (SessionEventType.STARTED, SessionEventType.COMPLETED):
        return _sentence(hass, event_type.value, placeholders)
    placeholders["reason"] = translate(hass, "selector", _end_key(reason))
    return _sentence(hass, event_type.value, placeholders)


def _sentence(hass: HomeAssistant, key: str, placeholders: dict[str, str] | None = None) -> str:
    return translate(hass, "exceptions", f"logbook_{key}.message", placeholders)


def _source(data: Mapping[str, Any]) -> str:
    return "ui" if data.get(ATTR_SOURCE) == "ui" else "automation"


def _refusal_key(rule: str) -> str:
    known = rule in RefusalRule.__members__.values()
    return f"refusal_reason.options.{rule if known else RefusalRule.INVALID_VALUE}"


# A session a fault ended (the mask's or this host's) names the fault.
_FAULTS: Final = frozenset(
    {code.name.lower() for code in FaultCode if code is not FaultCode.NONE}
    | {HOST_FAULT_OVER_PRESSURE, HOST_FAULT_STOP_UNCONFIRMED}
)


def _end_key(reason: str) -> str:
    if reason in _FAULTS:
        return f"fault_name.options.{reason}"
    return f"stop_reason.options.{reason}"
