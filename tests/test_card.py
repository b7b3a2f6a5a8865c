"""The bundled card: served by the integration, registered as a dashboard resource by itself.

Home Assistant's real lovelace integration holds the resources (a ResourceStorageCollection in
storage mode, the YAML list otherwise); the mask is set up through the virtual proxy.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.components.lovelace.const import LOVELACE_DATA
from homeassistant.components.lovelace.resources import (
    RESOURCE_STORAGE_KEY,
    ResourceStorageCollection,
)
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.pressure_mask.card import CARD_FILE, CARD_PATH, DATA_CARD_URL
from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.const import LOCAL_NAME_PREFIX
from tests.helpers import setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

VERSION = "0.1.0"
OTHER_RESOURCE = {"id": "other", "type": "module", "url": "/local/someone-elses-card.js"}


def _expected_url() -> str:
    digest = hashlib.sha256(CARD_FILE.read_bytes()).hexdigest()[:8]
    return f"{CARD_PATH}?v={VERSION}-{digest}"


async def _setup_with_dashboards(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    mask_setup: tuple[MockConfigEntry, VirtualProxy, VirtualMask],
    *stored: dict[str, str],
) -> None:
    """Lovelace in storage mode with these resources already stored, then the mask."""
    hass_storage[RESOURCE_STORAGE_KEY] = {
        "version": 1,
        "key": RESOURCE_STORAGE_KEY,
        "data": {"items": list(stored)},
    }
    assert await async_setup_component(hass, "lovelace", {})
    await setup_entry(hass, *mask_setup)


async def _storage_resources(hass: HomeAssistant) -> list[dict[str, Any]]:
    resources = hass.data[LOVELACE_DATA].resources
    assert isinstance(resources, ResourceStorageCollection)
    await resources.async_get_info()
    return list(resources.async_items())


def _card_resources(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in items if item["url"].startswith(CARD_PATH)]


async def test_card_is_served_with_a_versioned_url(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mask_entry: MockConfigEntry,
) -> None:
    """The file is served as built; the URL carries the version and the file's hash."""
    assert hass.data[DATA_CARD_URL] == _expected_url()
    client = await hass_client()
    response = await client.get(hass.data[DATA_CARD_URL])
    assert response.status == 200
    assert await response.read() == CARD_FILE.read_bytes()
    assert response.headers["Content-Type"].startswith(
        ("application/javascript", "text/javascript")
    )


async def test_storage_mode_creates_the_resource_and_keeps_the_others(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
) -> None:
    """A new resource, added to the stored ones (never a list of only the card)."""
    await _setup_with_dashboards(hass, hass_storage, (config_entry, proxy, mask), OTHER_RESOURCE)

    items = await _storage_resources(hass)
    assert [item["url"] for item in items] == [OTHER_RESOURCE["url"], _expected_url()]
    assert _card_resources(items)[0]["type"] == "module"


async def test_storage_mode_updates_an_older_version(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
) -> None:
    """The resource of an earlier version is updated in place, matched by URL without query."""
    old = {"id": "card", "type": "module", "url": f"{CARD_PATH}?v=0.0.9-deadbeef"}
    await _setup_with_dashboards(
        hass, hass_storage, (config_entry, proxy, mask), OTHER_RESOURCE, old
    )

    items = await _storage_resources(hass)
    assert _card_resources(items) == [{"id": "card", "type": "module", "url": _expected_url()}]
    assert len(items) == 2


async def test_storage_mode_registration_is_idempotent(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
) -> None:
    """Reloading the mask (or a restart) leaves one resource, unchanged."""
    await _setup_with_dashboards(hass, hass_storage, (config_entry, proxy, mask))
    first = _card_resources(await _storage_resources(hass))

    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert _card_resources(await _storage_resources(hass)) == first
    assert len(first) == 1


async def test_the_last_mask_removed_takes_the_resource_away(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
) -> None:
    """With another mask left the card stays; with the last one gone only the others stay."""
    await _setup_with_dashboards(hass, hass_storage, (config_entry, proxy, mask), OTHER_RESOURCE)
    other_mask = MockConfigEntry(
        domain=DOMAIN, title=f"{LOCAL_NAME_PREFIX}-FFFF", unique_id="AA:BB:CC:DD:FF:FF", data={}
    )
    other_mask.add_to_hass(hass)

    await hass.config_entries.async_remove(other_mask.entry_id)
    assert len(_card_resources(await _storage_resources(hass))) == 1

    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    items = await _storage_resources(hass)
    assert [item["url"] for item in items] == [OTHER_RESOURCE["url"]]


async def test_yaml_mode_falls_back_to_an_extra_module_url(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
) -> None:
    """YAML-mode resources cannot be edited: every page loads the card instead, until removal."""
    assert await async_setup_component(hass, "lovelace", {"lovelace": {"resource_mode": "yaml"}})
    assert await async_setup_component(hass, "frontend", {})
    await setup_entry(hass, config_entry, proxy, mask)

    assert _expected_url() in hass.data[DATA_EXTRA_MODULE_URL].urls

    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _expected_url() not in hass.data[DATA_EXTRA_MODULE_URL].urls


async def test_without_dashboards_the_mask_still_sets_up(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    """No lovelace, no frontend (a headless install): the card is served, nothing else needed."""
    assert LOVELACE_DATA not in hass.data
    assert mask_entry.runtime_data is not None
    await hass.config_entries.async_remove(mask_entry.entry_id)
    await hass.async_block_till_done()
