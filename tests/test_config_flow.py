"""Config flow end to end: discovery, contraindications, pairing, reauth, options."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.components.bluetooth import async_last_service_info
from homeassistant.config_entries import (
    SOURCE_BLUETOOTH,
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntryDisabler,
    ConfigEntryState,
)
from homeassistant.const import CONF_ADDRESS
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.pressure_mask.const import CONF_KEY, DOCS_URL, DOMAIN, PAIRING_WAIT_S
from custom_components.pressure_mask.coordinator import entry_credentials
from custom_components.pressure_mask.mask_ble.codec import Advertisement, SlotState
from custom_components.pressure_mask.mask_ble.const import (
    MANUFACTURER_ID,
    PAIRING_WINDOW_S,
)
from custom_components.pressure_mask.safety import Limits
from devtools.virtual_mask import VirtualFault, VirtualMask
from tests.helpers import MASK_ADDRESS

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from homeassistant.components.bluetooth import BluetoothServiceInfoBleak
    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant

    from custom_components.pressure_mask.mask_ble.secure import HostCredentials
    from devtools.virtual_proxy import VirtualProxy

OTHER_ADDRESS = "AA:BB:CC:DD:EE:02"


def mask_credentials_of(data: Mapping[str, Any]) -> HostCredentials:
    """The credentials a flow stored."""
    credentials = entry_credentials(MockConfigEntry(domain=DOMAIN, data=dict(data)))
    assert credentials is not None
    return credentials


async def _unload(hass: HomeAssistant, entry_id: str) -> None:
    """Let the new entry's first connection finish, then unload it."""
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await hass.config_entries.async_unload(entry_id)


def _discovery_flow(hass: HomeAssistant) -> ConfigFlowResult:
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    return flows[0]  # type: ignore[return-value]


async def _advertised_flow(hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask) -> str:
    """The mask advertises: the id of the discovery flow it starts (at its confirm step)."""
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    return _discovery_flow(hass)["flow_id"]


async def _confirmed_flow(hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask) -> str:
    """Discovered and confirmed: the flow waits for the mask's pairing mode."""
    flow_id = await _advertised_flow(hass, proxy, mask)
    await hass.config_entries.flow.async_configure(flow_id, {})
    return flow_id


async def _enter_pairing_mode(hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask) -> None:
    mask.press_button(hold_s=3.0)
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _pair_from_confirm(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, flow_id: str
) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "pair"
    await _enter_pairing_mode(hass, proxy, mask)
    result = await hass.config_entries.flow.async_configure(flow_id)
    return await _compare_and_press(hass, mask, result)


async def _compare_and_press(
    hass: HomeAssistant, mask: VirtualMask, result: ConfigFlowResult
) -> ConfigFlowResult:
    """The person sees the label's fingerprint, presses the mask's button, submits."""
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "compare"
    assert result["description_placeholders"]["fingerprint"] == mask.fingerprint  # type: ignore[index]
    mask.press_button()
    return await hass.config_entries.flow.async_configure(result["flow_id"], {})


async def test_discovery_to_paired_entry(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """An advertisement starts the flow; confirm, pair, verify, and the entry holds the key."""
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    flow = _discovery_flow(hass)
    assert flow["context"]["source"] == SOURCE_BLUETOOTH
    assert flow["step_id"] == "confirm"

    result = await _pair_from_confirm(hass, proxy, mask, flow["flow_id"])

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == mask.name
    credentials = mask_credentials_of(result["data"])
    assert result["data"][CONF_ADDRESS] == MASK_ADDRESS
    # A new slot (slot 0 holds the host paired earlier) and the mask's identity, pinned.
    assert credentials.slot == 1
    assert credentials.mask_identity == mask.identity_public
    assert [slot.state for slot in mask.slots()] == [
        SlotState.PAIRED,
        SlotState.PAIRED,
        SlotState.EMPTY,
        SlotState.EMPTY,
    ]
    assert result["result"].unique_id == MASK_ADDRESS
    assert result["result"].version == 2
    # The key was proven by authenticating, and no session command reached the mask.
    assert [type(command).__name__ for command in mask.received[:4]] == [
        "Pair",
        "PairConfirm",
        "AuthHello",
        "AuthFinish",
    ]
    assert not any(type(command).__name__ == "StartSession" for command in mask.received)
    await _unload(hass, result["result"].entry_id)


async def test_user_step_lists_unconfigured_masks(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """The user step lists discovered masks that are not configured yet."""
    configured = VirtualMask(OTHER_ADDRESS)
    MockConfigEntry(
        domain=DOMAIN, unique_id=OTHER_ADDRESS, disabled_by=ConfigEntryDisabler.USER
    ).add_to_hass(hass)
    proxy.advertise(mask)
    proxy.advertise(configured)
    # Something else using the test company id, without our magic: not listed.
    proxy.inject_advertisement("AA:BB:CC:DD:EE:03", manufacturer_data={MANUFACTURER_ID: b"xx"})
    await hass.async_block_till_done(wait_background_tasks=True)

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    options = result["data_schema"].schema[CONF_ADDRESS].container  # type: ignore[union-attr]
    assert list(options) == [MASK_ADDRESS]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ADDRESS: MASK_ADDRESS}
    )
    assert result["step_id"] == "confirm"
    # The contraindications link to the docs in the person's language (see test_translations).
    assert result["description_placeholders"] == {"name": mask.name, "docs_url": DOCS_URL}
    result = await _pair_from_confirm(hass, proxy, mask, result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await _unload(hass, result["result"].entry_id)


async def test_user_step_without_masks(hass: HomeAssistant, proxy: VirtualProxy) -> None:
    """Nothing discovered: abort with no_devices_found."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_devices_found"


async def test_already_configured(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """A configured mask's discovery aborts."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_BLUETOOTH},
        data=_service_info(hass, proxy, mask),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


def _service_info(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> BluetoothServiceInfoBleak:
    proxy.advertise(mask)
    info = async_last_service_info(hass, mask.address, connectable=True)
    assert info is not None
    return info


@pytest.mark.parametrize("version", [1, 3], ids=["version_1_never_a_fallback", "newer"])
async def test_other_protocol_versions_are_refused(
    hass: HomeAssistant, proxy: VirtualProxy, version: int
) -> None:
    """A mask advertising another major protocol version (1 included) is not set up."""
    proxy.inject_advertisement(
        OTHER_ADDRESS,
        local_name="PMASK-EE02",
        manufacturer_data={MANUFACTURER_ID: Advertisement(protocol_version=version).encode()},
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    result = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert result == []
    info = async_last_service_info(hass, OTHER_ADDRESS, connectable=True)
    result2 = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_BLUETOOTH}, data=info
    )
    assert result2["type"] is FlowResultType.ABORT
    assert result2["reason"] == "unsupported_protocol_version"


@pytest.mark.parametrize(
    "manufacturer_data",
    [{}, {MANUFACTURER_ID: b"PM"}],
    ids=["no_manufacturer_data", "malformed_manufacturer_data"],
)
async def test_not_a_mask(
    hass: HomeAssistant, proxy: VirtualProxy, manufacturer_data: dict[int, bytes]
) -> None:
    """A device matched by name without valid manufacturer data is not supported."""
    proxy.inject_advertisement(
        OTHER_ADDRESS, local_name="PMASK-EE02", manufacturer_data=manufacturer_data
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_BLUETOOTH},
        data=async_last_service_info(hass, OTHER_ADDRESS, connectable=True),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_supported"


async def test_pairing_timeout_then_retry(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """No pairing-mode advertisement in time: a timeout step, then a retry that works."""
    flow_id = await _advertised_flow(hass, proxy, mask)
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.SHOW_PROGRESS

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=PAIRING_WAIT_S + 1))
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pairing_timeout"
    assert mask.received == []

    result = await _pair_from_confirm(hass, proxy, mask, flow_id)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await _unload(hass, result["result"].entry_id)


async def test_pairing_ignores_a_pairing_mode_heard_before_the_step(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """A cached pairing-mode advertisement from before the step began is not a hold for it."""
    flow_id = await _advertised_flow(hass, proxy, mask)
    await _enter_pairing_mode(hass, proxy, mask)
    assert mask.pairing_mode

    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    # Let the wait begin and see the replayed advertisement (waiting for the task itself would
    # wait for its timeout in real time).
    for _ in range(10):
        await asyncio.sleep(0)
    assert mask.received == []  # nothing asked for the key

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=PAIRING_WAIT_S + 1))
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["step_id"] == "pairing_timeout"
    assert mask.received == []

    # The old pairing window closes; retried, a hold made during the new wait pairs.
    mask.advance(PAIRING_WINDOW_S + 1)
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await _pair_from_confirm(hass, proxy, mask, flow_id)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await _unload(hass, result["result"].entry_id)


async def test_pairing_cannot_connect(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """The mask left pairing mode before the key could be fetched: abort with cannot_connect."""
    flow_id = await _confirmed_flow(hass, proxy, mask)
    mask.press_button(hold_s=3.0)
    proxy.advertise(mask)
    mask.advance(PAIRING_WINDOW_S + 1)
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_pairing_key_that_does_not_authenticate(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """A key that fails verification is never stored: abort with invalid_auth."""
    flow_id = await _confirmed_flow(hass, proxy, mask)
    # Faulty firmware: the mask hands out a key it does not keep.
    mask.inject_fault(VirtualFault.WRONG_PAIRING_KEY)
    await _enter_pairing_mode(hass, proxy, mask)
    result = await _compare_and_press(
        hass, mask, await hass.config_entries.flow.async_configure(flow_id)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "invalid_auth"
    assert hass.config_entries.async_entries(DOMAIN) == []


async def test_reauth_pairs_again(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """Reauth: pair again, the entry gets the new key and reloads."""
    old_key = config_entry.data[CONF_KEY]
    mask.factory_reset()
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await config_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await _pair_from_confirm(hass, proxy, mask, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert config_entry.data[CONF_KEY] != old_key
    assert mask.slots()[0].state is SlotState.PAIRED
    await _unload(hass, config_entry.entry_id)


async def test_the_button_must_be_pressed_before_submit(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """Submitting without the press at the mask pairs nothing and says so."""
    flow_id = await _confirmed_flow(hass, proxy, mask)
    await _enter_pairing_mode(hass, proxy, mask)
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["step_id"] == "compare"
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "button_not_pressed"}
    assert [slot.state for slot in mask.slots()][1] is SlotState.EMPTY
    result = await _compare_and_press(hass, mask, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await _unload(hass, result["result"].entry_id)


async def test_abandoned_pairing_frees_the_link(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """Closing the dialog at the fingerprint step disconnects; nothing is paired."""
    flow_id = await _confirmed_flow(hass, proxy, mask)
    await _enter_pairing_mode(hass, proxy, mask)
    await hass.config_entries.flow.async_configure(flow_id)
    assert mask.connected
    hass.config_entries.flow.async_abort(flow_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not mask.connected
    assert mask.slots()[1].state is SlotState.EMPTY


async def test_full_mask_aborts_with_no_free_slot(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """Four hosts paired already: the flow says how to make room."""
    for slot in range(1, 4):
        mask.add_host(slot, bytes(32))
    flow_id = await _confirmed_flow(hass, proxy, mask)
    await _enter_pairing_mode(hass, proxy, mask)
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_free_slot"
    assert not mask.connected


async def test_version_1_entry_migrates_to_a_re_pair(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """A version 1 entry loses its key, and a reauth flow explains why, then pairs again."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="PMASK-EE01",
        unique_id=MASK_ADDRESS,
        data={CONF_ADDRESS: MASK_ADDRESS, CONF_KEY: bytes(16).hex()},
        version=1,
    )
    entry.add_to_hass(hass)
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.version == 2
    assert CONF_KEY not in entry.data
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert mask.written_frames == []  # the old key never reaches the mask again
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH
    assert flow["step_id"] == "reauth_protocol"
    result = await _pair_from_confirm(hass, proxy, mask, flow["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mask_credentials_of(entry.data).mask_identity == mask.identity_public
    await _unload(hass, entry.entry_id)


async def test_options_refuse_values_above_ceilings(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Each limit above its ceiling is refused with a translated error; valid ones are saved."""
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    too_high = {
        "face_max_mmhg": 41,
        "under_eye_max_mmhg": 21,
        "neck_max_mmhg": 26,
        "max_session_min": 21,
        "cooldown_min": 20,
        "max_sessions_per_day": 5,
        "require_button_for_remote_start": True,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], too_high)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        "face_max_mmhg": "face_max_mmhg_above_ceiling",
        "under_eye_max_mmhg": "under_eye_max_mmhg_above_ceiling",
        "neck_max_mmhg": "neck_max_mmhg_above_ceiling",
        "max_session_min": "max_session_min_above_ceiling",
        "max_sessions_per_day": "max_sessions_per_day_above_ceiling",
    }
    valid = {**too_high, "face_max_mmhg": 25, "under_eye_max_mmhg": 12, "neck_max_mmhg": 18}
    valid |= {"max_session_min": 8, "max_sessions_per_day": 1, "acknowledgement_expiry_days": 30}
    result = await hass.config_entries.options.async_configure(result["flow_id"], valid)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    limits = Limits.from_options(config_entry.options)
    assert limits.face_max_mmhg == 25
    assert limits.acknowledgement_expiry_days == 30
