"""Times in the text that answers a person follow that person's clock format.

Home Assistant keeps each person's profile settings (language, number, time and date format) in
the frontend's user data store on the server (homeassistant/components/frontend/storage.py, key
"language"; "time_format" is "12", "24", "language" or "system"). A refusal or a start
confirmation caused by a call that carries a user writes its times in that user's format;
"language" and "system" (the browser's, unknown to the server) follow the language, as does
everything nobody in particular asked for (automations, faults, the logbook).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.components import persistent_notification
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.components.frontend.storage import async_user_store
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Context
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import Limits
from tests.helpers import configure_limits, setup_entry, setup_ready_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

START = "button.pmask_ee01_start_session"
SESSION_EVENT = "event.pmask_ee01_session"
NECK = Step(Zone.NECK, 18.0, inflate_s=1.5, hold_s=3.0, release_s=3.5, repetitions=1)
# 19:42 local time: 7:42 PM on a 12-hour clock, 19:42 on a 24-hour one.
EVENING = (19, 22)


async def _person(hass: HomeAssistant, name: str, time_format: str | None) -> Context:
    """A user whose profile says `time_format` (None: never opened the profile)."""
    user = await hass.auth.async_create_user(name, group_ids=[GROUP_ID_ADMIN])
    if time_format is not None:
        store = await async_user_store(hass, user.id)
        await store.async_set_item(
            "language",
            {
                "language": "en",
                "number_format": "language",
                "time_format": time_format,
                "date_format": "language",
                "time_zone": "local",
                "first_weekday": "language",
            },
        )
    return Context(user_id=user.id)


def _clocks(moment: datetime) -> tuple[str, str]:
    local = dt_util.as_local(moment)
    twelve = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    return twelve, f"{local.hour:02d}:{local.minute:02d}"


async def _refusal(hass: HomeAssistant, context: Context | None) -> str:
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: START}, blocking=True, context=context
        )
    event = hass.states.get(SESSION_EVENT)
    assert event is not None
    assert event.attributes["event_type"] == "refused"
    message: str = event.attributes["message"]
    # What the caller is told and what the event carries are the same sentence.
    assert refused.value.translation_placeholders is not None
    assert refused.value.translation_placeholders["cooldown_ends"] in message
    return message


async def test_a_refusal_tells_each_person_the_cooldown_in_their_own_clock(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=EVENING[0], minutes=EVENING[1]))
    assert hass.config.language == "en"
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    await coordinator.async_start_session(steps=[NECK])
    await tick(hass, freezer, mask, 10.0)
    assert coordinator.cooldown_ends is not None
    twelve, twenty_four = _clocks(coordinator.cooldown_ends)
    assert twelve.endswith("PM")

    alice = await _person(hass, "Alice", "24")
    bob = await _person(hass, "Bob", "12")
    carol = await _person(hass, "Carol", "language")
    dave = await _person(hass, "Dave", "system")
    erin = await _person(hass, "Erin", None)

    assert f"runs until {twenty_four} " in await _refusal(hass, alice)
    assert f"runs until {twelve} " in await _refusal(hass, bob)
    # As the language (English: 12 hours), for those who chose no format of their own.
    for person in (carol, dave, erin):
        assert f"runs until {twelve} " in await _refusal(hass, person)
    # An automation answers nobody in particular: the server's language.
    assert f"runs until {twelve} " in await _refusal(hass, None)
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_the_start_confirmation_says_until_when_in_the_person_s_clock(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The armed session's "press the mask's button by ..." in the 24-hour clock Alice chose."""
    freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=EVENING[0], minutes=EVENING[1]))
    configure_limits(hass, config_entry, mask, Limits())
    await setup_entry(hass, config_entry, proxy, mask)
    coordinator = config_entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    alice = await _person(hass, "Alice", "24")
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: START}, blocking=True, context=alice
    )
    assert coordinator.armed_until is not None
    twelve, twenty_four = _clocks(coordinator.armed_until)
    (notice,) = persistent_notification._async_get_or_create_notifications(hass).values()
    assert f"by {twenty_four} to begin" in notice["message"]
    assert twelve not in notice["message"]
    assert notice["notification_id"].startswith(DOMAIN)
    await coordinator.async_stop_session()
    await tick(hass, freezer, mask, 3.0)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
