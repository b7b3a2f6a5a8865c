"""The "Scheduled lymphatic routine" blueprint: delivered on setup, loads, starts, tells refusals."""

from __future__ import annotations

from datetime import timedelta
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from homeassistant.components import persistent_notification
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
import yaml

from custom_components.pressure_mask.blueprint import (
    PACKAGED_BLUEPRINTS,
    async_install_blueprints,
    install_blueprints,
)
from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.codec import StartSession
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import EYE_DE_PUFF, Step
from custom_components.pressure_mask.safety import Limits
from tests.test_controls import (
    acknowledge,
    commands,
)
from tests.test_services import device_id

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from devtools.virtual_mask import VirtualMask


FACE_ZONES = {Zone.FOREHEAD, Zone.TEMPLES, Zone.CHEEKS, Zone.JAW}
BLUEPRINT = Path("automation/pressure_mask/scheduled_lymphatic_routine.yaml")


class _BlueprintLoader(yaml.SafeLoader):
    """Reads !input tags as plain values (enough to check the file's shape)."""


_BlueprintLoader.add_constructor("!input", lambda loader, node: loader.construct_scalar(node))


def test_the_blueprint_is_packaged_and_well_formed() -> None:
    text = (PACKAGED_BLUEPRINTS / BLUEPRINT).read_text()
    blueprint = yaml.load(text, Loader=_BlueprintLoader)  # noqa: S506 - a SafeLoader
    meta = blueprint["blueprint"]
    assert meta["name"] == "Scheduled lymphatic routine"
    assert meta["domain"] == "automation"
    assert set(meta["input"]) == {
        "mask",
        "start_time",
        "weekdays",
        "routine",
        "pressure",
        "refused_actions",
    }
    assert meta["input"]["mask"]["selector"]["device"]["filter"] == [{"integration": DOMAIN}]
    routines = [
        option["value"] for option in meta["input"]["routine"]["selector"]["select"]["options"]
    ]
    assert routines == ["full_face_drainage", "eye_de_puff", "quick_morning", "neck_and_jaw"]


def test_install_copies_missing_blueprints_and_never_overwrites(tmp_path: Path) -> None:
    copied = install_blueprints(PACKAGED_BLUEPRINTS, tmp_path)
    assert copied == [tmp_path / BLUEPRINT]
    assert (tmp_path / BLUEPRINT).read_text() == (PACKAGED_BLUEPRINTS / BLUEPRINT).read_text()

    (tmp_path / BLUEPRINT).write_text("# my own edits\n")
    assert install_blueprints(PACKAGED_BLUEPRINTS, tmp_path) == []
    assert (tmp_path / BLUEPRINT).read_text() == "# my own edits\n"


async def test_setup_delivers_the_blueprint(
    hass: HomeAssistant, mask_entry: MockConfigEntry
) -> None:
    await hass.async_block_till_done()
    delivered = Path(hass.config.path("blueprints"), BLUEPRINT)
    assert await hass.async_add_executor_job(delivered.is_file)


async def test_an_unwritable_config_folder_only_logs(
    hass: HomeAssistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hass.config.config_dir = str(tmp_path)
    blocked = Path(hass.config.path("blueprints"))
    await hass.async_add_executor_job(blocked.write_text, "a file where a folder should be")
    await async_install_blueprints(hass)
    assert "Could not install the pressure mask blueprints" in caplog.text


@pytest.fixture(autouse=True)
async def automations_off_at_the_end(hass: HomeAssistant) -> AsyncIterator[None]:
    """Detach the time triggers when a test ends."""
    assert await async_setup_component(hass, "persistent_notification", {})
    yield
    if hass.services.has_service("automation", "turn_off"):
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "all"}, blocking=True
        )


async def _automation_at_next_minute(
    hass: HomeAssistant, routine: str, pressure: str = "routine"
) -> None:
    start = dt_util.now() + timedelta(minutes=1)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()]
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "scheduled_routine",
                "alias": "Scheduled routine",
                "use_blueprint": {
                    "path": BLUEPRINT.relative_to("automation").as_posix(),
                    "input": {
                        "mask": device_id(hass),
                        "start_time": start.strftime("%H:%M:00"),
                        "weekdays": [weekday],
                        "routine": routine,
                        "pressure": pressure,
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()


async def _reach_next_minute(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to(dt_util.utcnow().replace(second=0, microsecond=0) + timedelta(minutes=1))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


async def test_the_blueprint_automation_starts_the_routine(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    await _automation_at_next_minute(hass, "eye_de_puff")
    assert commands(mask, StartSession) == []
    await _reach_next_minute(hass, freezer)

    (start,) = commands(mask, StartSession)
    assert isinstance(start, StartSession)
    assert start.steps == EYE_DE_PUFF.steps
    assert start.await_button is True
    assert not persistent_notification._async_get_or_create_notifications(hass)


async def test_a_refused_scheduled_start_notifies_and_raises_the_repair(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _automation_at_next_minute(hass, "quick_morning")
    await _reach_next_minute(hass, freezer)

    assert commands(mask, StartSession) == []
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    (notification,) = notifications.values()
    # The full translated reason, as the refused event carries it.
    assert notification["message"] == (
        'Not started: the safety acknowledgement is off. Read the contraindications, then turn on "'
        'Contraindications read and accepted".'
    )
    assert ir.async_get(hass).async_get_issue(
        DOMAIN, f"acknowledgement_required_{mask_entry.entry_id}"
    )
    # A refusal is a warning with its reason; nothing is logged as an error.
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert any(
        record.levelno == logging.WARNING and "start refused: Not started" in record.getMessage()
        for record in caplog.records
    )

    # One refusal, one notification: dismissed once its cause is fixed.
    await acknowledge(hass)
    assert not persistent_notification._async_get_or_create_notifications(hass)


async def test_the_blueprint_can_follow_the_face_limit(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    """A face limit lowered below the routine's pressure: the schedule follows the limit."""
    hass.config_entries.async_update_entry(
        mask_entry, options=Limits(face_max_mmhg=20.0).to_options()
    )
    assert await hass.config_entries.async_reload(mask_entry.entry_id)
    await hass.async_block_till_done()
    await acknowledge(hass)
    await _automation_at_next_minute(hass, "quick_morning", pressure="face_limit")
    await _reach_next_minute(hass, freezer)

    (start,) = commands(mask, StartSession)
    assert isinstance(start, StartSession)
    face = [step for step in start.steps if step.zone in FACE_ZONES]
    assert face
    assert {step.pressure_mmhg for step in face} == {20.0}
    assert not persistent_notification._async_get_or_create_notifications(hass)


async def test_an_unreachable_mask_is_notified_and_not_started(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mask_entry: MockConfigEntry,
    mask: VirtualMask,
) -> None:
    await acknowledge(hass)
    await _automation_at_next_minute(hass, "quick_morning")
    coordinator = mask_entry.runtime_data
    coordinator._available = False
    coordinator.async_update_listeners()
    await _reach_next_minute(hass, freezer)

    assert commands(mask, StartSession) == []
    (notification,) = persistent_notification._async_get_or_create_notifications(hass).values()
    assert notification["message"] == "The mask is out of reach."


def test_the_step_type_is_what_the_blueprint_runs() -> None:
    assert all(isinstance(step, Step) for step in EYE_DE_PUFF.steps)
