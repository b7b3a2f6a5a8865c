"""Config entry setup time (real clock), with the mask advertising and with the mask absent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_ADDRESS
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.report import median, percentile, report
from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.coordinator import credentials_data
from custom_components.pressure_mask.mask_ble.secure import HostCredentials
from tests.fuzz_rig import RIG_KEY, MaskRig, real_perf_counter

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

REPETITIONS = 20


async def test_setup_with_mask_present(
    hass: HomeAssistant, enable_bluetooth: None, freezer: FrozenDateTimeFactory
) -> None:
    """Entry setup, and the first authenticated connection (device information read)."""
    setup_ms: list[float] = []
    ready_ms: list[float] = []
    for _ in range(REPETITIONS):
        rig = MaskRig(hass, freezer)
        rig.advertise()
        await hass.async_block_till_done()
        start = real_perf_counter()
        await hass.config_entries.async_setup(rig.entry.entry_id)
        setup_ms.append((real_perf_counter() - start) * 1000)
        assert rig.entry.state is ConfigEntryState.LOADED
        while rig.coordinator.device_info is None or not rig.coordinator.connected:
            await rig.settle()
        ready_ms.append((real_perf_counter() - start) * 1000)
        await rig.close()
    report(
        "setup, mask present",
        f"async_setup p50 / p99 (n={REPETITIONS})",
        f"{median(setup_ms):.1f} / {percentile(setup_ms, 99):.1f} ms",
        "< 1 s",
        ok=percentile(setup_ms, 99) < 1000,
    )
    report(
        "setup, mask present",
        "to first authenticated link p50 / p99",
        f"{median(ready_ms):.1f} / {percentile(ready_ms, 99):.1f} ms",
    )


async def test_setup_with_mask_absent(hass: HomeAssistant, enable_bluetooth: None) -> None:
    """Nothing advertises the address: ConfigEntryNotReady, quickly."""
    elapsed_ms: list[float] = []
    for index in range(REPETITIONS):
        entry = MockConfigEntry(
            domain=DOMAIN,
            unique_id=f"AA:BB:CC:00:01:{index:02X}",
            data={
                CONF_ADDRESS: f"AA:BB:CC:00:01:{index:02X}",
                **credentials_data(HostCredentials(0, RIG_KEY, bytes(32))),
            },
            version=2,
        )
        entry.add_to_hass(hass)
        start = real_perf_counter()
        await hass.config_entries.async_setup(entry.entry_id)
        elapsed_ms.append((real_perf_counter() - start) * 1000)
        assert entry.state is ConfigEntryState.SETUP_RETRY
        await hass.config_entries.async_remove(entry.entry_id)
    report(
        "setup, mask absent",
        f"ConfigEntryNotReady p50 / p99 (n={REPETITIONS})",
        f"{median(elapsed_ms):.1f} / {percentile(elapsed_ms, 99):.1f} ms",
        "< 1 s",
        ok=percentile(elapsed_ms, 99) < 1000,
    )
