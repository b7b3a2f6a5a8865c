"""Safety faults told to the person: what happened, where and when, and the way back.

A fault report names the fault, the zone that held pressure at that moment and the pressure the
mask measured then. It goes out at once as a persistent notification and as a fixable repair
issue (repairs.py walks the person back to a session). One report per fault episode: a second
fault while the repair is open adds nothing, and the repair is removed only when its flow has
seen the mask's own fault gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.components import persistent_notification
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, ISSUE_SAFETY_FAULT
from .mask_ble.const import Zone
from .messages import format_clock, translate

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant

# Keys of the repair issue's data (read by the repair flow).
DATA_ENTRY_ID: Final = "entry_id"
DATA_NAME: Final = "name"
DATA_DETAILS: Final = "details"


@dataclass(frozen=True, slots=True)
class FaultDetails:
    """One safety fault as it happened.

    `fault` is a host fault or a FaultCode name in lower case; `zone` is the zone that held
    pressure (NONE when no zone did); `pressure_mmhg` is the mask's reading at that moment (None
    when only an advertisement told of the fault).
    """

    fault: str
    zone: Zone
    pressure_mmhg: float | None
    at: datetime


def safety_fault_issue_id(entry_id: str) -> str:
    """The repair issue of one mask's safety fault."""
    return f"{ISSUE_SAFETY_FAULT}_{entry_id}"


def _notification_id(entry_id: str) -> str:
    return f"{DOMAIN}_{entry_id}_safety_fault"


def describe_fault(hass: HomeAssistant, name: str, details: FaultDetails) -> str:
    """One sentence: 'Over-pressure on the neck: 38 mmHg at 7:12 AM. PMASK-EE01 vented.'"""
    placeholders = {
        "name": name,
        "fault": translate(hass, "selector", f"fault_name.options.{details.fault}"),
        "time": format_clock(hass, details.at),
    }
    if details.pressure_mmhg is None:
        return translate(hass, "exceptions", "fault_details.message", placeholders)
    placeholders["pressure_mmhg"] = f"{details.pressure_mmhg:.0f}"
    if details.zone is Zone.NONE:
        return translate(hass, "exceptions", "fault_details_pressure.message", placeholders)
    placeholders["zone"] = translate(
        hass, "selector", f"zone_name.options.{details.zone.name.lower()}"
    )
    return translate(hass, "exceptions", "fault_details_zone.message", placeholders)


def safety_fault_repair_open(hass: HomeAssistant, entry_id: str) -> bool:
    """A safety fault of this mask waits for its repair (it survives restarts)."""
    return ir.async_get(hass).async_get_issue(DOMAIN, safety_fault_issue_id(entry_id)) is not None


def report_fault(hass: HomeAssistant, entry_id: str, name: str, details: FaultDetails) -> None:
    """Tell the person at once: a persistent notification and a fixable repair issue."""
    sentence = describe_fault(hass, name, details)
    persistent_notification.async_create(
        hass,
        translate(hass, "exceptions", "fault_notification.message", {"details": sentence}),
        title=translate(hass, "exceptions", "fault_notification_title.message", {"name": name}),
        notification_id=_notification_id(entry_id),
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        safety_fault_issue_id(entry_id),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key=ISSUE_SAFETY_FAULT,
        translation_placeholders={"name": name, "details": sentence},
        data={DATA_ENTRY_ID: entry_id, DATA_NAME: name, DATA_DETAILS: sentence},
    )


def dismiss_fault_notification(hass: HomeAssistant, entry_id: str) -> None:
    """The fault was repaired: its notification goes (the repair flow removes the issue)."""
    persistent_notification.async_dismiss(hass, _notification_id(entry_id))
