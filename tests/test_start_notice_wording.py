"""The start confirmation reads as a sentence, whichever routine opens it, in every language;
and starting logs no deprecation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components import persistent_notification
import pytest

from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from tests.helpers import setup_ready_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

CHEEKS = Step(Zone.CHEEKS, 20.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=2)


@pytest.mark.parametrize("language", ["en", "de", "fr"])
async def test_a_custom_routine_confirmation_starts_with_a_capital(
    *,
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    language: str,
) -> None:
    hass.config.language = language
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    await coordinator.async_start_session(steps=[CHEEKS], duration_min=5)
    await tick(hass, freezer, mask, 0.5)
    (notice,) = persistent_notification._async_get_or_create_notifications(hass).values()
    message: str = notice["message"]
    assert message[0].isupper(), message
    # The session event it fired found its device without a deprecated registry call.
    assert "deprecated" not in caplog.text
