"""Pairing says what it does, and the demo gives a person the time the README promises.

The pairing timeout's button is labelled "Wait for pairing again": pressing it starts a new wait
of the full length (not the rest of the old one), and every language's description names its
own label. The README's demo instructions say how long the pairing step waits and how long to
hold the button; these tests read those numbers from the README itself, so the text and the
code cannot drift apart.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
from pathlib import Path
import re
from typing import TYPE_CHECKING

from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.const import BUTTON_HOLD_PAIRING_S

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant

    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TRANSLATIONS = sorted(
    (ROOT / "custom_components" / "pressure_mask" / "translations").glob("*.json")
)
ENGLISH = ROOT / "custom_components" / "pressure_mask" / "translations" / "en.json"


def _readme_demo() -> str:
    """The README's "Try it without a mask" section, where the demo's steps are."""
    start = README.index("## Try it without a mask")
    return README[start : README.index("\n## ", start + 1)]


async def _pairing_step(hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask) -> str:
    """Discover the mask and submit the confirm step: the pairing wait begins."""
    proxy.advertise(mask)
    await hass.async_block_till_done(wait_background_tasks=True)
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "pair"
    return flow["flow_id"]


def _wait_s(result: ConfigFlowResult) -> int:
    placeholders = result.get("description_placeholders") or {}
    return int(placeholders["seconds"])


async def _time_passes(hass: HomeAssistant, flow_id: str, seconds: float) -> ConfigFlowResult:
    """Move the flow's clock on; a wait still running is not awaited (it would block)."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    for _ in range(10):
        await asyncio.sleep(0)
    return await hass.config_entries.flow.async_configure(flow_id)


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda path: path.stem)
def test_the_timeout_step_names_its_button_in_every_language(path: Path) -> None:
    step = json.loads(path.read_text(encoding="utf-8"))["config"]["step"]["pairing_timeout"]
    assert f"**{step['submit']}**" in step["description"]


def test_the_english_label_says_it_waits_for_pairing_again() -> None:
    step = json.loads(ENGLISH.read_text(encoding="utf-8"))
    assert step["config"]["step"]["pairing_timeout"]["submit"] == "Wait for pairing again"


async def test_the_retry_button_starts_a_new_full_wait(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """ "Wait for pairing again" does that: a new progress step, waiting its full time again."""
    flow_id = await _pairing_step(hass, proxy, mask)
    result = await _time_passes(hass, flow_id, 1)  # still waiting
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    wait_s = _wait_s(result)
    result = await _time_passes(hass, flow_id, wait_s + 1)
    assert result["step_id"] == "pairing_timeout"

    # The retry: a new wait, shown with the same full length...
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "pair"
    assert _wait_s(result) == wait_s
    # ...that runs its full length from the press, not what was left of the old one.
    # (Each offset counts from now, the moment of the retry.)
    result = await _time_passes(hass, flow_id, wait_s - 5)
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    result = await _time_passes(hass, flow_id, wait_s + 1)
    assert result["step_id"] == "pairing_timeout"
    assert mask.received == []
    hass.config_entries.flow.async_abort(flow_id)


async def test_the_demo_waits_as_long_as_the_readme_tells_a_person_to_allow(
    hass: HomeAssistant, proxy: VirtualProxy, mask: VirtualMask
) -> None:
    """The README's "waits up to N minutes" is what the pairing step (the demo's too) waits.

    scripts/develop loads the integration from the working tree, so the demo's pairing step is
    this flow: the wait it shows is the wait a person following the README gets.
    """
    demo = _readme_demo()
    promised = re.search(r"the step waits up to (\d+) minutes", demo)
    assert promised is not None, "the README says how long the pairing step waits"
    flow_id = await _pairing_step(hass, proxy, mask)
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert _wait_s(result) >= int(promised.group(1)) * 60
    # The step says the same wait in its own words.
    progress = json.loads(ENGLISH.read_text(encoding="utf-8"))
    assert "{seconds}" in progress["config"]["progress"]["pair"]
    await _time_passes(hass, flow_id, _wait_s(result) + 1)
    hass.config_entries.flow.async_abort(flow_id)


def test_the_readme_prepares_the_button_first_and_holds_it_long_enough() -> None:
    """Prepare the action before the step asks; its hold opens pairing mode on the mask."""
    demo = _readme_demo()
    prepare = demo.index("First prepare the mask's button")
    run = demo.index("When the pairing step asks you to hold the mask's button, run the prepared")
    assert prepare < run
    hold = re.search(r"`hold_s: ([\d.]+)`", demo)
    assert hold is not None
    assert float(hold.group(1)) >= BUTTON_HOLD_PAIRING_S
    said = re.search(r"a (\d+)-second hold opens pairing mode", demo)
    assert said is not None
    assert float(said.group(1)) == BUTTON_HOLD_PAIRING_S
