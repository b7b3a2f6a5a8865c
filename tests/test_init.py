"""Setup, unload, availability and reauthentication, end to end through the virtual proxy."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import TYPE_CHECKING
from unittest.mock import patch

from bluetooth_data_tools import monotonic_time_coarse
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from habluetooth.const import (
    CONNECTABLE_FALLBACK_MAXIMUM_STALE_ADVERTISEMENT_SECONDS,
    UNAVAILABLE_TRACK_SECONDS,
)
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.pressure_mask.const import (
    CONF_IDENTITY,
    CONF_KEY,
    DOMAIN,
    IDLE_DISCONNECT_S,
)
from custom_components.pressure_mask.mask_ble.codec import Heartbeat
from custom_components.pressure_mask.mask_ble.secure import public_bytes
from custom_components.pressure_mask.safety import Limits
from tests.helpers import MASK_ADDRESS, setup_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

PRESSURE = "sensor.pmask_ee01_pressure"
CONNECTED = "binary_sensor.pmask_ee01_connected"


async def test_setup_reads_device_and_mirrors_limits(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Setup connects once: device info into the registry, limits onto the mask, then idle."""
    await setup_entry(hass, config_entry, proxy, mask)
    assert config_entry.state is ConfigEntryState.LOADED

    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, MASK_ADDRESS), config_entry.entry_id
    )
    assert device is not None
    assert device.model == mask.info.model
    assert device.sw_version == mask.info.firmware
    assert device.serial_number == mask.info.serial
    assert mask.limits == Limits().to_device_limits()
    assert hass.states.get(CONNECTED).state == "on"

    # Idle: the link closes to free the proxy's slot.
    await tick(hass, freezer, mask, IDLE_DISCONNECT_S + 1, step_s=1.0)
    assert not mask.connected
    assert hass.states.get(CONNECTED).state == "off"
    assert not any(isinstance(command, Heartbeat) for command in mask.received)

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.NOT_LOADED


async def test_mask_absent_fails_fast(
    hass: HomeAssistant, proxy: VirtualProxy, config_entry: MockConfigEntry
) -> None:
    """No advertisement: setup is retried later, without connecting."""
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_stale_connection_closed_at_setup(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """Setup first closes a connection left over from before a restart."""
    with patch(
        "custom_components.pressure_mask.coordinator.close_stale_connections_by_address"
    ) as close_stale:
        await setup_entry(hass, config_entry, proxy, mask)
    close_stale.assert_awaited_once_with(MASK_ADDRESS)
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_forgotten_key_starts_reauth(
    hass: HomeAssistant, config_entry: MockConfigEntry, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """A mask that no longer knows this host (it was reset) leads to a reauth flow."""
    mask.factory_reset()
    await setup_entry(hass, config_entry, proxy, mask)
    await hass.async_block_till_done(wait_background_tasks=True)

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    # Only the failed handshake reached the mask, and the link was closed.
    assert [type(command).__name__ for command in mask.received] == ["AuthHello"]
    assert not mask.connected

    # No retry storm while the person re-pairs: a new advertisement does not poll again.
    mask.battery_percent -= 1
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(mask.received) == 1
    assert await hass.config_entries.async_unload(config_entry.entry_id)


@pytest.mark.parametrize("impostor", ["wrong_key", "other_identity"])
async def test_a_mask_that_cannot_prove_itself_is_not_re_paired(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
    impostor: str,
) -> None:
    """No reauth for a mask that fails the pinned-identity proof: it is not trusted, ever."""
    data = dict(config_entry.data)
    if impostor == "wrong_key":
        data[CONF_KEY] = bytes(32).hex()
    else:
        data[CONF_IDENTITY] = public_bytes(X25519PrivateKey.generate()).hex()
    hass.config_entries.async_update_entry(config_entry, data=data)
    await setup_entry(hass, config_entry, proxy, mask)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [type(command).__name__ for command in mask.received] == ["AuthHello"]
    assert not mask.authenticated
    assert not mask.connected
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_unavailable_and_back_online_logged_once(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The mask goes out of range: entities unavailable, logged once; it returns: once again."""
    caplog.set_level(logging.INFO)
    await setup_entry(hass, config_entry, proxy, mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(PRESSURE).state != STATE_UNAVAILABLE

    # The proxy last heard the mask long ago; the scanner and the manager notice.
    stale_s = CONNECTABLE_FALLBACK_MAXIMUM_STALE_ADVERTISEMENT_SECONDS + 1
    proxy.advertise(mask, time=monotonic_time_coarse() - stale_s)
    for _ in range(2):
        async_fire_time_changed(
            hass, dt_util.utcnow() + timedelta(seconds=UNAVAILABLE_TRACK_SECONDS + 1)
        )
        await hass.async_block_till_done()
    assert hass.states.get(PRESSURE).state == STATE_UNAVAILABLE

    proxy.advertise(mask)
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(PRESSURE).state != STATE_UNAVAILABLE

    messages = [record.getMessage() for record in caplog.records]
    assert messages.count("PMASK-EE01 is unavailable") == 1
    assert messages.count("PMASK-EE01 is back online") == 1
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_unload_leaves_nothing_behind(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    """Unload closes the link; no timers or tasks linger (checked by the test harness)."""
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator = config_entry.runtime_data
    assert mask.connected
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert not mask.connected
    assert not coordinator.client.is_connected
    assert not coordinator.client.heartbeats_running


async def test_remove_entry_deletes_history(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, object],
) -> None:
    """Removing the mask deletes its stored history."""
    await setup_entry(hass, config_entry, proxy, mask)
    await config_entry.runtime_data.async_set_acknowledged(True)
    key = f"{DOMAIN}.{config_entry.entry_id}.history"
    assert key in hass_storage
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
