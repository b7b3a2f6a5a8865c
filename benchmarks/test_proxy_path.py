"""Status notification -> entity state: through an ESPHome proxy vs the direct virtual scanner.

Both variants run in the same session, on the same machine, with the same mask, idle and
connected, one status notification per step. Latency is wall-clock time from the moment the
mask hands a status notification to its link (VirtualMaskBackend.notify) to the moment the
coordinator's status handler has updated every entity. The proxy path crosses a loopback TCP
socket: the emulated proxy's protobuf framing, aioesphomeapi, bleak-esphome's client and
habluetooth; the direct path is the virtual scanner's in-process backend. CPU per notification
is the process CPU time of the whole run divided by the notifications (for the proxy path it
includes the emulated proxy's own work, which a real ESP does on its own chip).
"""

from __future__ import annotations

from dataclasses import dataclass, field
import time
from typing import TYPE_CHECKING, Any

from homeassistant.const import CONF_ADDRESS
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.report import median, percentile, report
from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.coordinator import credentials_data
from custom_components.pressure_mask.mask_ble.const import STATUS_UUID
from devtools.esphome_proxy import EsphomeProxy
from devtools.virtual_mask import VirtualMask, VirtualMaskBackend, unregister_virtual_mask
from devtools.virtual_proxy import VirtualProxy
from tests.conftest import mask_credentials
from tests.esphome import add_proxy_entry, settle
from tests.helpers import MASK_ADDRESS, MASK_IDENTITY, MASK_KEY, MASK_SLOT, MASK_TITLE

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from custom_components.pressure_mask.coordinator import PressureMaskCoordinator
    from custom_components.pressure_mask.mask_ble.codec import Status

NOTIFICATIONS = 500
IDLE_STATUS_S = 1.0  # the idle mask notifies its status once a second


@dataclass
class PathFigures:
    """What one path produced."""

    latency_s: list[float] = field(default_factory=list)
    process_cpu_s: float = 0.0


RESULTS: dict[str, PathFigures] = {}


def _paired_mask() -> VirtualMask:
    mask = VirtualMask(MASK_ADDRESS, identity_key=MASK_IDENTITY)
    mask.add_host(MASK_SLOT, MASK_KEY)
    return mask


def _entry(hass: HomeAssistant, mask: VirtualMask) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=MASK_TITLE,
        unique_id=MASK_ADDRESS,
        data={CONF_ADDRESS: MASK_ADDRESS, **credentials_data(mask_credentials(mask))},
        version=2,
    )
    entry.add_to_hass(hass)
    return entry


async def _measure(
    hass: HomeAssistant,
    mask: VirtualMask,
    entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    drain: Any,
) -> PathFigures:
    figures = PathFigures()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await drain()
    coordinator: PressureMaskCoordinator = entry.runtime_data
    assert coordinator.connected
    client = coordinator.client
    handle = client._on_status
    assert handle is not None
    sent_at: list[float] = []
    real_notify = VirtualMaskBackend.notify

    def stamped_notify(self: VirtualMaskBackend, uuid: str, data: bytes) -> bool:
        if uuid == STATUS_UUID:
            sent_at.append(time.perf_counter())
        return real_notify(self, uuid, data)

    def timed_handle(status: Status) -> None:
        handle(status)
        if sent_at:
            figures.latency_s.append(time.perf_counter() - sent_at.pop(0))

    monkeypatch.setattr(VirtualMaskBackend, "notify", stamped_notify)
    client._on_status = timed_handle
    cpu_start = time.process_time()
    for _ in range(NOTIFICATIONS):
        mask.advance(IDLE_STATUS_S)
        await drain()
    figures.process_cpu_s = time.process_time() - cpu_start
    client._on_status = handle
    monkeypatch.setattr(VirtualMaskBackend, "notify", real_notify)
    assert await hass.config_entries.async_unload(entry.entry_id)
    return figures


async def test_direct_virtual_scanner(
    hass: HomeAssistant, enable_bluetooth: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The direct path: the virtual scanner registered straight with the Bluetooth manager."""
    mask = _paired_mask()
    proxy = VirtualProxy(hass)
    try:
        proxy.advertise(mask)
        await hass.async_block_till_done()

        async def drain() -> None:
            await hass.async_block_till_done()

        RESULTS["direct"] = await _measure(hass, mask, _entry(hass, mask), monkeypatch, drain)
    finally:
        proxy.remove()
        unregister_virtual_mask(mask)


@pytest.mark.usefixtures("socket_enabled", "mock_async_zeroconf")
async def test_esphome_proxy_path(
    hass: HomeAssistant, enable_bluetooth: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy path: Home Assistant's esphome integration and the emulated proxy."""
    mask = _paired_mask()
    proxy = EsphomeProxy()
    await proxy.start()
    try:
        proxy_entry = await add_proxy_entry(hass, proxy)
        proxy.hear(mask)
        await settle(hass, proxy)

        async def drain() -> None:
            await settle(hass, proxy)

        RESULTS["esphome"] = await _measure(hass, mask, _entry(hass, mask), monkeypatch, drain)
        assert await hass.config_entries.async_unload(proxy_entry.entry_id)
    finally:
        await proxy.stop()
        unregister_virtual_mask(mask)
    _report()


def _report() -> None:
    direct, esphome = RESULTS["direct"], RESULTS["esphome"]
    name = "status -> entity, proxy path"
    for label, fig in (("direct scanner", direct), ("ESPHome proxy", esphome)):
        latency_ms = [s * 1e3 for s in fig.latency_s]
        report(
            name,
            f"latency p50 / p99 ({label}, {len(latency_ms)} notifications)",
            f"{median(latency_ms):.2f} / {percentile(latency_ms, 99):.2f} ms",
        )
        report(
            name,
            f"CPU/notification, whole process ({label})",
            f"{fig.process_cpu_s / max(len(fig.latency_s), 1) * 1e6:.0f} us",
        )
    cpu_ratio = (esphome.process_cpu_s / max(len(esphome.latency_s), 1)) / (
        direct.process_cpu_s / max(len(direct.latency_s), 1)
    )
    latency_ratio = median(esphome.latency_s) / median(direct.latency_s)
    report(name, "CPU/notification proxy / direct", f"{cpu_ratio:.1f}x")
    report(name, "latency p50 proxy / direct", f"{latency_ratio:.1f}x")
    report(
        name,
        "every notification reached the entities (proxy)",
        f"{len(esphome.latency_s)}/{NOTIFICATIONS}",
        "all",
        ok=len(esphome.latency_s) == NOTIFICATIONS,
    )
