"""The way back after a safety fault: a repair flow that ends with the acknowledgement.

Steps: what happened and what to check (with one short press of the mask's button); Home
Assistant checks that the mask's own fault is gone, asking the mask to clear it where the
protocol allows (the mask refuses while the cause remains); the contraindications again; only
then is the acknowledgement given back and the repair removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import HomeAssistantError
import probatio

from .const import DOMAIN
from .faults import DATA_DETAILS, DATA_ENTRY_ID, DATA_NAME
from .messages import translate

if TYPE_CHECKING:
    from homeassistant.components.repairs import RepairsFlowResult
    from homeassistant.core import HomeAssistant

    from .coordinator import PressureMaskCoordinator


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Only the safety fault's issue is fixable."""
    return SafetyFaultRepairFlow(dict(data or {}))


class SafetyFaultRepairFlow(RepairsFlow):
    """Explain, check the mask, show the contraindications, give the acknowledgement back."""

    def __init__(self, issue_data: dict[str, Any]) -> None:
        """Keep the fault as the issue recorded it."""
        self._entry_id = str(issue_data.get(DATA_ENTRY_ID, ""))
        self._placeholders = {
            "name": str(issue_data.get(DATA_NAME, "")),
            "details": str(issue_data.get(DATA_DETAILS, "")),
        }

    def _coordinator(self) -> PressureMaskCoordinator | None:
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
            return None
        coordinator: PressureMaskCoordinator = entry.runtime_data
        return coordinator

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """The flow starts here (with the issue id as input): explain first."""
        return await self.async_step_what_happened()

    async def async_step_what_happened(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """What happened, what to check, and one short press of the mask's button."""
        if user_input is not None:
            return await self.async_step_check_mask()
        return self._form("what_happened", {})

    async def async_step_check_mask(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """The mask's own fault must be gone (cleared here where its cause has gone)."""
        if (coordinator := self._coordinator()) is None:
            return self.async_abort(reason="mask_removed")
        try:
            mask_fault = await coordinator.async_clear_mask_fault()
        except HomeAssistantError:
            return self._form("what_happened", {"base": "cannot_connect"})
        if mask_fault:
            return self._form(
                "what_happened",
                {"base": "mask_fault_remains"},
                mask_fault=translate(
                    self.hass, "selector", f"fault_name.options.{mask_fault.name.lower()}"
                ),
            )
        return await self.async_step_contraindications()

    async def async_step_contraindications(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Read the contraindications again; submitting gives the acknowledgement back."""
        if user_input is None:
            return self._form("contraindications", {})
        if (coordinator := self._coordinator()) is None:
            return self.async_abort(reason="mask_removed")
        try:
            await coordinator.async_finish_fault_repair()
        except HomeAssistantError:
            return await self.async_step_check_mask()
        return self.async_create_entry(data={})

    def _form(self, step_id: str, errors: dict[str, str], **placeholders: str) -> RepairsFlowResult:
        return self.async_show_form(
            step_id=step_id,
            data_schema=probatio.Schema({}),
            errors=errors,
            description_placeholders={**self._placeholders, **placeholders},
        )
