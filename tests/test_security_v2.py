"""Protocol version 2 through Home Assistant: attacks on a live link, slot revocation, secrets.

The attacker writes to the mask's control point on the link Home Assistant holds (the virtual
mask has one link, so whatever it receives arrives on it), or notifies Home Assistant as if it
were the mask. Each attack's frames are well-formed commands a version 1 mask executed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from homeassistant.helpers import issue_registry as ir

from custom_components.pressure_mask.const import CONF_KEY, DOMAIN, ISSUE_SLOT_NOT_REVOKED
from custom_components.pressure_mask.coordinator import SessionEventType
from custom_components.pressure_mask.mask_ble.codec import (
    DeviceLimits,
    SetLimits,
    SlotState,
    StartSession,
    Status,
    decode_command,
    decode_frame,
)
from custom_components.pressure_mask.mask_ble.const import (
    STATUS_UUID,
    VENT_DEADLINE_S,
    VENT_SAFE_MMHG,
    FaultCode,
    Opcode,
    Phase,
    StatusFlags,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.mask_ble.secure import SessionKeys
from devtools.virtual_mask import VirtualFault
from tests.helpers import run_while_time_passes, setup_entry, tick
from tests.test_config_flow import _advertised_flow, _pair_from_confirm

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    import pytest
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy
    from tests.helpers import SessionRig

FACE_STEP = Step(Zone.FOREHEAD, 25.0, 1.0, 20.0, 2.0, 3)
UNDER_EYE_20 = Step(Zone.UNDER_EYE, 20.0, 1.0, 20.0, 1.0, 1)


async def test_injected_limits_and_start_on_the_hosts_link_do_nothing(ready: SessionRig) -> None:
    """v1: SET_LIMITS + START without the button, injected after auth, ran under the eye."""
    assert ready.mask.authenticated
    loosen = SetLimits(DeviceLimits(40.0, 20.0, 25.0, 1200, require_button=False)).encode(90)
    start = StartSession((UNDER_EYE_20,), 600, await_button=False).encode(91)
    assert isinstance(decode_command(decode_frame(start)), StartSession)  # v1 ran it
    limits = ready.mask.limits
    ready.mask.write_control_point(loosen)
    ready.mask.write_control_point(start)
    ready.mask.advance(2.0)
    assert not ready.mask.session_active
    assert ready.mask.limits == limits
    assert ready.mask.pressure_mmhg < VENT_SAFE_MMHG
    await ready.unload()


async def test_a_start_replayed_after_stop_does_not_start(ready: SessionRig) -> None:
    """v1: a recorded START replayed after STOP started again."""
    coordinator = ready.coordinator
    await coordinator.async_start_session(steps=[FACE_STEP])
    await ready.tick(2.0)
    (recorded,) = (frame for frame in ready.mask.written_frames if frame[0] == Opcode.START_SESSION)
    await coordinator.async_stop_session()
    await ready.tick(6.0)
    assert not ready.mask.session_active
    ready.mask.write_control_point(recorded)
    await ready.tick(2.0)
    assert not ready.mask.session_active
    assert ready.mask.pressure_mmhg < VENT_SAFE_MMHG
    await ready.unload()


async def test_forged_statuses_close_the_link_and_the_mask_vents(ready: SessionRig) -> None:
    """v1: a forged low-pressure status blinded supervision; now the host notices and lets go."""
    coordinator = ready.coordinator
    await coordinator.async_start_session(steps=[FACE_STEP])
    await ready.tick(3.0)
    assert ready.mask.pressure_mmhg > 20
    forged = Status(
        0.0, Phase.IDLE, Zone.NONE, 0, 0, 0, 0, 0, FaultCode.NONE, StatusFlags.AUTHENTICATED
    ).encode()
    for _ in range(3):
        ready.mask.inject_notification(STATUS_UUID, forged)
    await ready.hass.async_block_till_done()
    # The forged statuses never reached the supervision; the third one closes the link.
    assert coordinator.status is not None
    assert coordinator.status.pressure_mmhg > 20
    await ready.tick(0.25)
    assert not coordinator.connected
    await ready.tick(VENT_DEADLINE_S)
    assert not ready.mask.session_active
    assert ready.mask.pressure_mmhg < VENT_SAFE_MMHG
    assert ready.events[-1].type is SessionEventType.ABORTED
    # Nothing resumes.
    ready.proxy.advertise(ready.mask)
    await ready.tick(5.0)
    assert not ready.mask.session_active
    await ready.unload()


async def test_removing_the_entry_revokes_its_slot(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """Removal: the mask forgets this host's key; no repair issue."""
    await setup_entry(hass, config_entry, proxy, mask)
    assert mask.slots()[0].state is SlotState.PAIRED
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert mask.slots()[0].state is SlotState.EMPTY
    assert not ir.async_get(hass).issues


async def test_removing_while_out_of_reach_says_the_slot_remains(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Removal with the mask unreachable: a repair issue tells the person, without secrets."""
    await setup_entry(hass, config_entry, proxy, mask)
    key = config_entry.data[CONF_KEY]
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    mask.inject_fault(VirtualFault.DROP_LINK)
    await run_while_time_passes(
        hass, freezer, hass.config_entries.async_remove(config_entry.entry_id)
    )
    await hass.async_block_till_done()
    assert mask.slots()[0].state is SlotState.PAIRED
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"{ISSUE_SLOT_NOT_REVOKED}_{config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders == {"name": config_entry.title, "slot": "1"}
    assert key not in str(issue.translation_placeholders)
    mask.clear_faults()


async def test_no_secret_reaches_any_log(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Pairing, a session, injected and corrupted frames, at debug level: no key is logged."""
    caplog.set_level(logging.DEBUG)
    derived: list[SessionKeys] = []
    derive = SessionKeys.derive

    def recording_derive(*args: Any, **kwargs: Any) -> SessionKeys:
        keys = derive(*args, **kwargs)
        derived.append(keys)
        return keys

    spy = patch.object(SessionKeys, "derive", side_effect=recording_derive)
    spy.start()
    result = await _pair_from_confirm(hass, proxy, mask, await _advertised_flow(hass, proxy, mask))
    entry = result["result"]
    await hass.async_block_till_done(wait_background_tasks=True)
    coordinator = entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    await coordinator.async_start_session(steps=[FACE_STEP])
    mask.press_button()  # the default options arm; the wearer starts it
    await tick(hass, freezer, mask, 2.0)
    mask.inject_fault(VirtualFault.CORRUPT_FRAMES, count=1)
    mask.inject_notification(STATUS_UUID, b"\x00" * 27)
    await tick(hass, freezer, mask, 2.0)
    mask.clear_faults()
    await coordinator.async_stop_session()
    await tick(hass, freezer, mask, 6.0)
    spy.stop()
    secrets = [bytes.fromhex(entry.data[CONF_KEY])]
    for keys in derived:
        secrets += [keys.host_to_mask, keys.mask_to_host, keys.confirm]
    assert len(secrets) > 3
    for secret in secrets:
        for form in (secret.hex(), secret.hex(" "), repr(secret), secret[:8].hex()):
            assert form not in caplog.text
    assert "frames failed authentication" not in caplog.text or not coordinator.connected
    assert await hass.config_entries.async_unload(entry.entry_id)
