"""The confirmation of a start from the dashboard: a persistent notification.

A button press has no answer of its own, so a start from the dashboard (or the device page) is
confirmed here: what runs and for how long, and, when the mask waits for its button, until when
a short press begins it. It follows the session (armed, then running) and goes when it ends.
Automations get their answer from the action's response instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components import persistent_notification

from .const import DOMAIN
from .messages import exception_message, format_clock, routine_name
from .safety import format_duration

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from .safety import SessionPlan


def _notification_id(entry_id: str) -> str:
    return f"{DOMAIN}_{entry_id}_session_started"


def notify_start(
    hass: HomeAssistant,
    entry_id: str,
    name: str,
    plan: SessionPlan,
    armed_until: datetime | None,
    *,
    twelve_hour: bool | None = None,
) -> None:
    """Confirm the start: "waits for its button until 7:44 AM", or "runs" once it does."""
    placeholders = {
        "name": name,
        "routine": routine_name(hass, plan.routine_key),
        # What the mask runs (its steps and repetitions) and the longest the person allowed.
        "duration": format_duration(plan.planned_s),
        "chosen": format_duration(plan.max_duration_s),
    }
    key = "session_started"
    if armed_until is not None:
        key = "session_armed"
        placeholders["time"] = format_clock(hass, armed_until, twelve_hour=twelve_hour)
    message = exception_message(hass, key, placeholders)
    persistent_notification.async_create(
        hass,
        # The routine's name opens the sentence: "Custom routine runs…", not "custom routine".
        message[:1].upper() + message[1:],
        title=exception_message(hass, f"{key}_title", placeholders),
        notification_id=_notification_id(entry_id),
    )


def dismiss_start(hass: HomeAssistant, entry_id: str) -> None:
    """The session ended: its confirmation goes."""
    persistent_notification.async_dismiss(hass, _notification_id(entry_id))
