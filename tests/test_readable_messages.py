"""Messages people read: durations in minutes and seconds, the language's clock, no raw keys.

The refusals come from the real policy through the coordinator, in the server's language.
"""

from __future__ import annotations

from datetime import datetime
import json
from pathlib import Path
import re
from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util
import pytest

from custom_components.pressure_mask.coordinator import StartRefusedError
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.messages import format_clock
from custom_components.pressure_mask.safety import Limits, format_duration
from tests.helpers import setup_ready_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

TRANSLATIONS = Path(__file__).parent.parent / "custom_components/pressure_mask/translations"
# What a raw key or a rule tag looks like in a sentence.
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b")
BREATH = Step(Zone.NONE, 0.0, inflate_s=1.0, hold_s=0.0, release_s=1.0, repetitions=1)
RULE_TAG = re.compile(r"\((?:rule|Regel|regla|règle|regola|regel|reguła|zasada|regra) ?:")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(354.0, "5 min 54 s"), (600, "10 min"), (45, "45 s"), (59.6, "1 min"), (61, "1 min 1 s")],
)
def test_durations_read_in_minutes_and_seconds(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("language", "moment", "text"),
    [
        ("en", "2026-12-01T07:42:00+00:00", "7:42 AM"),
        ("en", "2026-12-01T12:05:00+00:00", "12:05 PM"),
        ("en", "2026-12-01T00:30:00+00:00", "12:30 AM"),
        ("en-GB", "2026-12-01T07:42:00+00:00", "07:42"),
        ("de", "2026-12-01T19:42:00+00:00", "19:42"),
        ("fr", "2026-12-01T07:42:00+00:00", "07:42"),
    ],
)
async def test_times_follow_the_languages_clock(
    hass: HomeAssistant, language: str, moment: str, text: str
) -> None:
    await hass.config.async_update(time_zone="UTC")
    hass.config.language = language
    assert format_clock(hass, datetime.fromisoformat(moment)) == text


@pytest.mark.parametrize("code", sorted(path.stem for path in TRANSLATIONS.glob("*.json")))
def test_no_message_carries_a_rule_tag(code: str) -> None:
    """'(rule: cooldown)' says nothing a person needs: the sentence already says it."""
    exceptions = json.loads((TRANSLATIONS / f"{code}.json").read_text(encoding="utf-8"))[
        "exceptions"
    ]
    tagged = [key for key, value in exceptions.items() if RULE_TAG.search(value["message"])]
    assert tagged == []


async def _refusal(hass: HomeAssistant, **request: object) -> str:
    coordinator = next(iter(hass.config_entries.async_loaded_entries("pressure_mask"))).runtime_data
    with pytest.raises(StartRefusedError) as refused:
        await coordinator.async_start_session(**request)
    return refused.value.message


async def test_a_routine_too_long_names_the_routine_and_reads_its_duration(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    await setup_ready_entry(hass, config_entry, proxy, mask)
    message = await _refusal(hass, routine_key="full_face_drainage", duration_min=5)
    assert message == (
        'Not started: the routine "Full face drainage" takes 5 min 54 s, longer than the session '
        "duration of 5 min; choose a longer duration (within the configured maximum) or a "
        "shorter routine."
    )
    assert not RAW_KEY.search(message)


async def test_a_refusal_names_the_zone_in_the_servers_language(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask, config_entry: MockConfigEntry
) -> None:
    hass.config.language = "de"
    await setup_ready_entry(hass, config_entry, proxy, mask)
    step = Step(Zone.UNDER_EYE, 12.0, inflate_s=1.0, hold_s=3.0, release_s=2.5, repetitions=1)
    message = await _refusal(hass, steps=[step])
    german = json.loads((TRANSLATIONS / "de.json").read_text(encoding="utf-8"))
    zone = german["selector"]["zone_name"]["options"]["under_eye"]
    assert message.startswith("Nicht gestartet:")
    assert f"{zone}" in message
    assert "under eye" not in message
    assert not RULE_TAG.search(message)


async def test_a_cooldown_refusal_reads_the_languages_clock(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    coordinator = await setup_ready_entry(hass, config_entry, proxy, mask)
    await coordinator.async_start_session(steps=[BREATH])
    await tick(hass, freezer, mask, 5)
    ends = coordinator.cooldown_ends
    assert ends is not None
    message = await _refusal(hass, routine_key="eye_de_puff")
    local = dt_util.as_local(ends)
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    assert (
        f"the {Limits().cooldown_min}-minute cooldown after the last session runs until {clock} ("
        in message
    )
