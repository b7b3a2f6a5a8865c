"""The bundled dashboard card: served by the integration and registered as a dashboard resource.

The card (frontend/, built into dist/pressure-mask-card.js) needs no YAML: Home Assistant serves
the file once, and each mask's setup makes sure storage-mode dashboards load it (a Lovelace
resource) or, with YAML-mode resources, that every page loads it (an extra module URL). The URL
carries the version and a hash of the file, so a browser never runs a stale card from its cache.
Removing the last mask removes the resource.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Final

from homeassistant.components.frontend import add_extra_js_url, remove_extra_js_url
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.components.lovelace.const import LOVELACE_DATA
from homeassistant.components.lovelace.resources import ResourceStorageCollection
from homeassistant.loader import async_get_integration
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

CARD_PATH: Final = f"/{DOMAIN}/pressure-mask-card.js"
CARD_FILE: Final = Path(__file__).parent / "dist" / "pressure-mask-card.js"
# The versioned URL of the card, once the file is served.
DATA_CARD_URL: HassKey[str] = HassKey(f"{DOMAIN}_card_url")


def _file_digest() -> str:
    return hashlib.sha256(CARD_FILE.read_bytes()).hexdigest()[:8]


def _unversioned(url: str) -> str:
    return url.partition("?")[0]


async def async_serve_card(hass: HomeAssistant) -> str:
    """Serve the card file (once per run) and return its versioned URL."""
    if (url := hass.data.get(DATA_CARD_URL)) is not None:
        return url
    integration = await async_get_integration(hass, DOMAIN)
    digest = await hass.async_add_executor_job(_file_digest)
    url = f"{CARD_PATH}?v={integration.version}-{digest}"
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_PATH, str(CARD_FILE), cache_headers=True)]
    )
    hass.data[DATA_CARD_URL] = url
    return url


def _storage_resources(hass: HomeAssistant) -> ResourceStorageCollection | None:
    lovelace = hass.data.get(LOVELACE_DATA)
    if lovelace is not None and isinstance(lovelace.resources, ResourceStorageCollection):
        return lovelace.resources
    return None


async def async_register_card(hass: HomeAssistant) -> None:
    """Make dashboards load the card: a Lovelace resource, or an extra module URL (YAML mode)."""
    url = await async_serve_card(hass)
    resources = _storage_resources(hass)
    if resources is None:
        if "frontend" in hass.config.components:
            add_extra_js_url(hass, url)
        return
    # Loads the stored resources first: creating an item in an unloaded collection would save
    # a list with only this item, wiping the person's other resources.
    await resources.async_get_info()
    for item in resources.async_items():
        if _unversioned(item["url"]) == CARD_PATH:
            if item["url"] != url:
                await resources.async_update_item(item["id"], {"res_type": "module", "url": url})
            return
    await resources.async_create_item({"res_type": "module", "url": url})


async def async_unregister_card(hass: HomeAssistant) -> None:
    """Stop loading the card (the last mask was removed); the file stays served until restart."""
    resources = _storage_resources(hass)
    if resources is not None:
        await resources.async_get_info()
        for item in list(resources.async_items()):
            if _unversioned(item["url"]) == CARD_PATH:
                await resources.async_delete_item(item["id"])
    elif (url := hass.data.get(DATA_CARD_URL)) is not None and "frontend" in hass.config.components:
        remove_extra_js_url(hass, url)
