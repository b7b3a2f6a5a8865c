"""Shared fixtures: custom integrations enabled, and the virtual mask behind a virtual proxy."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

from homeassistant.const import CONF_ADDRESS
from homeassistant.loader import async_get_bluetooth
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.coordinator import credentials_data
from custom_components.pressure_mask.mask_ble.secure import HostCredentials
from custom_components.pressure_mask.safety import Limits
from devtools.virtual_mask import VirtualMask, unregister_virtual_mask
from devtools.virtual_proxy import VirtualProxy
from tests.helpers import (
    MASK_ADDRESS,
    MASK_IDENTITY,
    MASK_KEY,
    MASK_SLOT,
    MASK_TITLE,
    SessionRig,
    setup_entry,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> Iterator[None]:
    """Let Home Assistant load custom_components/pressure_mask in every test."""
    return


@pytest.fixture(autouse=True)
def isolated_config_dir(hass: HomeAssistant, tmp_path: Path) -> None:
    """Give every test its own config folder.

    Setting up the integration copies its blueprint into <config>/blueprints; without this it
    would write into the test plugin's shared testing_config folder.
    """
    hass.config.config_dir = str(tmp_path)


# --- The virtual mask behind Home Assistant's real Bluetooth stack (issue 4 harness) -----------
# Appended by the coordinator engineer; the integration's end-to-end tests use these fixtures.


@pytest.fixture(autouse=True)
def only_pressure_mask_discovery() -> Iterator[None]:
    """Discovery matches only this integration.

    The mask's 0xFFFF manufacturer id (the SIG's test id) also matches core's kegtron
    matcher, whose library is not installed in the test environment.
    """

    async def ours(hass: HomeAssistant) -> list[dict[str, object]]:
        return [
            matcher for matcher in await async_get_bluetooth(hass) if matcher["domain"] == DOMAIN
        ]

    with patch("homeassistant.components.bluetooth.async_get_bluetooth", ours):
        yield


@pytest.fixture
def mask() -> Iterator[VirtualMask]:
    """A virtual mask that paired Home Assistant earlier, reachable through a proxy."""
    virtual = VirtualMask(MASK_ADDRESS, identity_key=MASK_IDENTITY)
    virtual.add_host(MASK_SLOT, MASK_KEY)
    yield virtual
    unregister_virtual_mask(virtual)


@pytest.fixture
async def proxy(hass: HomeAssistant, enable_bluetooth: None) -> AsyncIterator[VirtualProxy]:
    """A virtual ESPHome-like Bluetooth proxy registered with the real Bluetooth manager."""
    virtual_proxy = VirtualProxy(hass)
    yield virtual_proxy
    virtual_proxy.remove()


def mask_credentials(mask: VirtualMask) -> HostCredentials:
    """Home Assistant's credentials for the test mask."""
    return HostCredentials(MASK_SLOT, MASK_KEY, mask.identity_public)


@pytest.fixture
def config_entry(hass: HomeAssistant, mask: VirtualMask) -> MockConfigEntry:
    """A paired mask's config entry (default options)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=MASK_TITLE,
        unique_id=MASK_ADDRESS,
        data={CONF_ADDRESS: MASK_ADDRESS, **credentials_data(mask_credentials(mask))},
        version=2,
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def mask_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry, proxy: VirtualProxy, mask: VirtualMask
) -> MockConfigEntry:
    """The mask's entry, set up through the proxy with all its entities and controls."""
    await setup_entry(hass, config_entry, proxy, mask)
    return config_entry


@pytest.fixture
def rig(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> SessionRig:
    """Everything a session test drives; the entry is not set up yet (default options)."""
    return SessionRig(hass, proxy, mask, config_entry, freezer)


@pytest.fixture
async def ready(rig: SessionRig) -> SessionRig:
    """Set up, with the acknowledgement given; sessions start without the button."""
    await rig.setup(Limits(require_button_for_remote_start=False))
    return rig
