"""Guided fault recovery: the notification, the repair issue and its flow, end to end.

A safety fault is told at once in plain words (what, where, when); its repair cannot be skipped
by turning the acknowledgement back on; the repair flow checks the mask's own fault, clears it
where the protocol allows, shows the contraindications, and gives the acknowledgement back only
at its very end.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.coordinator import HOST_FAULT_OVER_PRESSURE
from custom_components.pressure_mask.faults import safety_fault_issue_id
from custom_components.pressure_mask.mask_ble.codec import ClearFault, StartSession
from custom_components.pressure_mask.mask_ble.const import FaultCode, Phase, Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualFault
from tests.helpers import MASK_TITLE, run_while_time_passes, setup_ready_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import (
        ClientSessionGenerator,
        WebSocketGenerator,
    )

    from custom_components.pressure_mask.coordinator import PressureMaskCoordinator
    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

# A neck step within the default neck limit (20 mmHg): 2 s inflate, 3 s hold, 3 s release.
NECK_STEP = Step(Zone.NECK, 15.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=10)
FACE_STEP = Step(Zone.CHEEKS, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=10)
ACKNOWLEDGEMENT = "switch.pmask_ee01_contraindications_read_and_accepted"


# The repairs HTTP API, as Home Assistant's own tests drive it (tests/components/repairs).
async def start_repair_fix_flow(client: Any, handler: str, issue_id: str) -> dict[str, Any]:
    """Start a fix flow through the repairs API."""
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": handler, "issue_id": issue_id}
    )
    assert response.status == HTTPStatus.OK
    result: dict[str, Any] = await response.json()
    return result


async def process_repair_fix_flow(
    client: Any, flow_id: str, json: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Submit the current step of a fix flow through the repairs API."""
    response = await client.post(f"/api/repairs/issues/fix/{flow_id}", json=json or {})
    assert response.status == HTTPStatus.OK
    result: dict[str, Any] = await response.json()
    return result


@pytest.fixture
async def coordinator(
    hass: HomeAssistant, config_entry: MockConfigEntry, proxy: VirtualProxy, mask: VirtualMask
) -> PressureMaskCoordinator:
    """A ready mask (acknowledged, no button) with the repairs API set up."""
    assert await async_setup_component(hass, REPAIRS_DOMAIN, {})
    assert await async_setup_component(hass, "persistent_notification", {})
    return await setup_ready_entry(hass, config_entry, proxy, mask)


async def _notifications(hass_ws_client: WebSocketGenerator) -> list[dict[str, Any]]:
    client = await hass_ws_client()
    await client.send_json_auto_id({"type": "persistent_notification/get"})
    response = await client.receive_json()
    assert response["success"]
    notifications: list[dict[str, Any]] = response["result"]
    return notifications


async def _neck_spike(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask: VirtualMask,
    coordinator: PressureMaskCoordinator,
) -> None:
    """A session on the neck, then a spike to about 38 mmHg during the hold."""
    await coordinator.async_start_session(steps=[NECK_STEP])
    await tick(hass, freezer, mask, 3.0)
    assert coordinator.status is not None
    assert coordinator.status.phase is Phase.HOLDING
    assert coordinator.status.zone is Zone.NECK
    mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=23.0)
    await tick(hass, freezer, mask, 0.25)


async def test_a_neck_spike_is_repaired_through_the_flow(
    freezer: FrozenDateTimeFactory,
    mask: VirtualMask,
    coordinator: PressureMaskCoordinator,
    hass_client: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """From the fault to a fixed repair: the acknowledgement comes back only at the end."""
    hass = coordinator.hass
    await _neck_spike(hass, freezer, mask, coordinator)
    now = dt_util.as_local(dt_util.utcnow())
    at = (
        f"{now.hour % 12 or 12}:{now.minute:02d} {'AM' if now.hour < 12 else 'PM'}"  # English clock
    )

    # The mask vented on its own fault; the host saw the reading too.
    assert mask.fault is FaultCode.OVER_PRESSURE
    assert coordinator.host_fault == HOST_FAULT_OVER_PRESSURE
    assert not coordinator.acknowledged
    details = coordinator.fault_details
    assert details is not None
    assert details.zone is Zone.NECK  # not "none": the status after the fault names no zone
    assert details.pressure_mmhg is not None
    assert round(details.pressure_mmhg) == 38
    sentence = f"Over-pressure on the neck: 38 mmHg at {at}. {MASK_TITLE} vented."

    # A persistent notification at once, in plain words.
    [notification] = await _notifications(hass_ws_client)
    assert notification["title"] == f"Safety fault on {MASK_TITLE}"
    assert notification["message"].startswith(sentence)
    assert "_" not in notification["message"]

    # A fixable repair issue with the same words.
    issue_id = safety_fault_issue_id(coordinator.entry.entry_id)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders == {"name": MASK_TITLE, "details": sentence}

    # The switch cannot skip the repair, and trying leaves the repair in place.
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            "switch", "turn_on", {"entity_id": ACKNOWLEDGEMENT}, blocking=True
        )
    assert refused.value.translation_key == "acknowledgement_needs_repair"
    assert not coordinator.acknowledged
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    # The repair flow: what happened and what to check.
    client = await hass_client()
    flow = await start_repair_fix_flow(client, DOMAIN, issue_id)
    assert flow["step_id"] == "what_happened"
    assert flow["description_placeholders"]["details"] == sentence

    # The person presses the mask's button once: the mask clears its own fault.
    await tick(hass, freezer, mask, 5.0)
    mask.press_button()
    await hass.async_block_till_done()
    assert mask.fault is FaultCode.NONE
    flow = await process_repair_fix_flow(client, flow["flow_id"])

    # The mask's fault is gone; the contraindications come next, the acknowledgement is not back.
    assert flow["step_id"] == "contraindications"
    assert not coordinator.acknowledged
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    flow = await process_repair_fix_flow(client, flow["flow_id"])
    assert flow["type"] == "create_entry"
    assert coordinator.acknowledged
    assert coordinator.fault is None
    assert coordinator.fault_details is None
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert await _notifications(hass_ws_client) == []

    # A session starts again (after the cooldown the aborted one began).
    freezer.tick(21 * 60)
    mask.advance(21 * 60)
    await coordinator.async_start_session(steps=[FACE_STEP])
    assert len([c for c in mask.received if isinstance(c, StartSession)]) == 2
    await coordinator.async_stop_session()
    await tick(hass, freezer, mask, 3.0)


async def test_the_flow_clears_the_mask_fault_where_the_protocol_allows(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask: VirtualMask,
    coordinator: PressureMaskCoordinator,
    hass_client: ClientSessionGenerator,
) -> None:
    """Without the button press, the flow sends CLEAR_FAULT; the mask accepts, cause gone."""
    await _neck_spike(hass, freezer, mask, coordinator)
    await tick(hass, freezer, mask, 5.0)
    assert mask.fault is FaultCode.OVER_PRESSURE

    client = await hass_client()
    flow = await start_repair_fix_flow(
        client, DOMAIN, safety_fault_issue_id(coordinator.entry.entry_id)
    )
    flow = await process_repair_fix_flow(client, flow["flow_id"])
    assert [c for c in mask.received if isinstance(c, ClearFault)]
    assert mask.fault is FaultCode.NONE
    assert flow["step_id"] == "contraindications"
    assert not coordinator.acknowledged


async def test_a_fault_whose_cause_remains_keeps_its_repair(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask: VirtualMask,
    coordinator: PressureMaskCoordinator,
    hass_client: ClientSessionGenerator,
) -> None:
    """A stuck sensor: the flow says the fault remains; nothing is restored until it is gone."""
    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, 0.5)
    mask.inject_fault(VirtualFault.STUCK_SENSOR)
    await tick(hass, freezer, mask, 6.0)
    assert mask.fault is FaultCode.SENSOR_STUCK
    issue_id = safety_fault_issue_id(coordinator.entry.entry_id)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["details"].startswith(
        "Pressure sensor stuck on the cheeks: "
    )

    client = await hass_client()
    flow = await start_repair_fix_flow(client, DOMAIN, issue_id)
    mask.press_button()  # the cause remains: the mask keeps its fault
    flow = await process_repair_fix_flow(client, flow["flow_id"])
    assert flow["step_id"] == "what_happened"
    assert flow["errors"] == {"base": "mask_fault_remains"}
    assert flow["description_placeholders"]["mask_fault"] == "Pressure sensor stuck"
    assert mask.fault is FaultCode.SENSOR_STUCK
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    # Even once the mask's fault is gone, no session starts while the repair is open.
    mask.clear_faults()  # the sensor moves again
    await tick(hass, freezer, mask, 5.0)
    mask.press_button()
    await hass.async_block_till_done()
    assert mask.fault is FaultCode.NONE
    starts = len([c for c in mask.received if isinstance(c, StartSession)])
    # The mask's own safety fault withdrew the acknowledgement, and the open repair keeps it off.
    assert not coordinator.acknowledged
    with pytest.raises(ServiceValidationError) as refused:
        await coordinator.async_start_session(steps=[FACE_STEP])
    assert refused.value.translation_key == "acknowledgement_required"
    assert len([c for c in mask.received if isinstance(c, StartSession)]) == starts

    flow = await process_repair_fix_flow(client, flow["flow_id"])
    assert flow["step_id"] == "contraindications"
    flow = await process_repair_fix_flow(client, flow["flow_id"])
    assert flow["type"] == "create_entry"
    assert coordinator.acknowledged


async def test_an_unreachable_mask_cannot_be_checked(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask: VirtualMask,
    coordinator: PressureMaskCoordinator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The check needs the mask: out of reach, the flow says so and restores nothing."""
    await _neck_spike(hass, freezer, mask, coordinator)
    await tick(hass, freezer, mask, 60.0)  # the idle link closes
    assert not coordinator.connected
    mask.inject_fault(VirtualFault.DROP_LINK)

    client = await hass_client()
    flow = await start_repair_fix_flow(
        client, DOMAIN, safety_fault_issue_id(coordinator.entry.entry_id)
    )
    flow = await run_while_time_passes(
        hass, freezer, process_repair_fix_flow(client, flow["flow_id"])
    )
    assert flow["errors"] == {"base": "cannot_connect"}
    assert not coordinator.acknowledged
