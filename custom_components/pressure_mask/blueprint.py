"""Deliver the integration's automation blueprints into the user's blueprints folder.

HACS installs only custom_components/pressure_mask/, so the blueprints travel inside the package
and are copied on setup. A file that already exists is left alone: the person may have edited it.
"""

from __future__ import annotations

import logging
from pathlib import Path
import shutil
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

_LOGGER = logging.getLogger(__name__)

PACKAGED_BLUEPRINTS: Final = Path(__file__).parent / "blueprints"


def install_blueprints(source: Path, config_blueprints: Path) -> list[Path]:
    """Copy every packaged blueprint that is missing under `config_blueprints`; return the copies."""
    copied: list[Path] = []
    for packaged in sorted(source.rglob("*.yaml")):
        target = config_blueprints / packaged.relative_to(source)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged, target)
        copied.append(target)
    return copied


async def async_install_blueprints(hass: HomeAssistant) -> None:
    """Copy missing blueprints into <config>/blueprints in an executor job."""
    try:
        copied = await hass.async_add_executor_job(
            install_blueprints, PACKAGED_BLUEPRINTS, Path(hass.config.path("blueprints"))
        )
    except OSError as err:
        _LOGGER.warning("Could not install the pressure mask blueprints: %s", err)
        return
    for path in copied:
        _LOGGER.info("Installed blueprint %s", path)
