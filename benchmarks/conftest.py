"""Benchmarks run as pytest files (scripts/bench); they print figures and assert no timings."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from unittest.mock import patch

from homeassistant.loader import async_get_bluetooth
import pytest

from custom_components.pressure_mask.const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/pressure_mask."""
    # Simulated time jumps make asyncio's debug mode report every step as slow.
    logging.getLogger("asyncio").setLevel(logging.ERROR)


@pytest.fixture(autouse=True)
def only_pressure_mask_discovery() -> Iterator[None]:
    """Discovery matches only this integration (0xFFFF also matches core's kegtron)."""

    async def ours(hass: HomeAssistant) -> list[dict[str, object]]:
        return [m for m in await async_get_bluetooth(hass) if m["domain"] == DOMAIN]

    with patch("homeassistant.components.bluetooth.async_get_bluetooth", ours):
        yield


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the collected figures as one table."""
    from benchmarks.report import FIGURES, machine, table

    if FIGURES:
        terminalreporter.write_sep("=", "pressure_mask benchmarks")
        terminalreporter.write_line(f"Machine: {machine()}")
        terminalreporter.write_line(table())
