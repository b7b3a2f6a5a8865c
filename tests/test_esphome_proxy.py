"""The mask behind an ESPHome Bluetooth proxy, through Home Assistant's own esphome integration.

The emulated proxy (devtools/esphome_proxy.py) listens on a loopback port and is added as a
real esphome config entry; nothing in Home Assistant, bleak-esphome or aioesphomeapi is patched.
Sockets are allowed for these tests only, and only to 127.0.0.1 (the test plugin's allow list);
time stays simulated: `EsphomeProxy.flush` (a ping round trip) replaces waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.components import bluetooth
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.pressure_mask.const import DOMAIN
from custom_components.pressure_mask.mask_ble.codec import (
    Authenticate,
    Pair,
    StartSession,
    Stop,
    Vent,
)
from custom_components.pressure_mask.mask_ble.const import (
    CONTROL_POINT_UUID,
    STATUS_UUID,
    Phase,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import Limits
from devtools.esphome_proxy import EsphomeProxy
from tests.esphome import add_proxy_entry, settle, tick_through

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from custom_components.pressure_mask.coordinator import PressureMaskCoordinator
    from custom_components.pressure_mask.mask_ble.codec import Command
    from devtools.virtual_mask import VirtualMask

pytestmark = pytest.mark.usefixtures("socket_enabled", "mock_async_zeroconf", "enable_bluetooth")

STOP = "button.pmask_ee01_stop_session"
VENT = "button.pmask_ee01_vent"
PHASE = "sensor.pmask_ee01_phase"
PRESSURE = "sensor.pmask_ee01_pressure"
CONNECTED = "binary_sensor.pmask_ee01_connected"
SESSION_EVENT = "event.pmask_ee01_session"
DEFAULT_ATT_MTU = 23
# One short face step: 2 s inflate, 3 s hold, 3 s release, twice (16 s).
FACE_STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=2)


@pytest.fixture
async def esphome_proxy() -> AsyncIterator[EsphomeProxy]:
    """The emulated proxy, listening on a free loopback port."""
    proxy = EsphomeProxy(mtu=DEFAULT_ATT_MTU)
    await proxy.start()
    yield proxy
    await proxy.stop()


@dataclass
class Site:
    """Home Assistant with the proxy's esphome entry, the mask in range, and the clock."""

    hass: HomeAssistant
    proxy: EsphomeProxy
    proxy_entry: ConfigEntry
    mask: VirtualMask
    freezer: FrozenDateTimeFactory

    async def tick(self, seconds: float, *, step_s: float = 0.25) -> None:
        """Move both clocks; notifications cross the socket in every slice."""
        await tick_through(self.hass, self.freezer, self.mask, self.proxy, seconds, step_s=step_s)

    async def settle(self) -> None:
        """Let the messages in flight be handled."""
        await settle(self.hass, self.proxy)

    def sent(self, kind: type[Command]) -> list[Command]:
        """Commands of one kind the mask received."""
        return [command for command in self.mask.received if isinstance(command, kind)]

    async def press(self, entity_id: str) -> None:
        """Press a button entity, as the dashboard does."""
        await self.hass.services.async_call(
            "button", "press", {ATTR_ENTITY_ID: entity_id}, blocking=True
        )
        await self.settle()

    def state(self, entity_id: str) -> str:
        """An entity's state."""
        state = self.hass.states.get(entity_id)
        assert state is not None, entity_id
        return state.state

    async def unload(self) -> None:
        """Unload every entry (no timers, tasks or links may linger)."""
        for entry in [*self.hass.config_entries.async_entries(DOMAIN), self.proxy_entry]:
            if entry.state is ConfigEntryState.LOADED:
                assert await self.hass.config_entries.async_unload(entry.entry_id)
        await self.hass.async_block_till_done()


@pytest.fixture
async def site(
    hass: HomeAssistant,
    esphome_proxy: EsphomeProxy,
    mask: VirtualMask,
    freezer: FrozenDateTimeFactory,
) -> AsyncIterator[Site]:
    """The proxy added as an esphome device; the mask is in its range."""
    proxy_entry = await add_proxy_entry(hass, esphome_proxy)
    esphome_proxy.hear(mask)
    await settle(hass, esphome_proxy)
    rig = Site(hass, esphome_proxy, proxy_entry, mask, freezer)
    yield rig
    await rig.unload()


async def pair_through_proxy(site: Site) -> ConfigEntry:
    """Discovery -> contraindications -> pairing, the way a person does it."""
    hass = site.hass
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    flow_id = flows[0]["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    site.mask.press_button(hold_s=3.0)
    site.proxy.advertise(site.mask)
    await site.settle()
    result = await hass.config_entries.flow.async_configure(flow_id)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await site.settle()
    entry: ConfigEntry = result["result"]
    return entry


async def test_discover_pair_and_run_a_session_through_the_proxy(site: Site) -> None:
    """Acceptance: esphome entry over loopback, discovery, pairing, a session, stop and vent.

    The mask received every frame Home Assistant wrote, unchanged, through bleak-esphome's
    client and the proxy; every frame it indicated or notified reached Home Assistant.
    """
    hass, proxy, mask = site.hass, site.proxy, site.mask
    service_info = bluetooth.async_last_service_info(hass, mask.address, connectable=True)
    assert service_info is not None
    assert service_info.source == proxy.bluetooth_mac  # heard by the ESPHome scanner

    entry = await pair_through_proxy(site)
    assert [type(command) for command in mask.received[:2]] == [Pair, type(mask.received[1])]
    assert site.sent(Authenticate)

    hass.config_entries.async_update_entry(
        entry, options=Limits(require_button_for_remote_start=False).to_options()
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await site.settle()
    coordinator: PressureMaskCoordinator = entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    assert site.state(CONNECTED) == "on"

    await coordinator.async_start_session(steps=[FACE_STEP])
    await site.tick(3.0)
    assert mask.session_active
    assert mask.phase is Phase.HOLDING
    # The live entities follow the mask's status notifications through the proxy.
    assert site.state(PHASE) == mask.phase.name.lower()
    assert float(site.state(PRESSURE)) == pytest.approx(mask.status().pressure_mmhg, abs=0.5)
    assert float(site.state(PRESSURE)) > 20.0

    await site.press(STOP)
    await site.tick(1.0)
    assert len(site.sent(Stop)) == 1
    assert not mask.session_active

    await site.press(VENT)
    await site.tick(1.0)
    assert len(site.sent(Vent)) == 1
    assert len(site.sent(StartSession)) == 1

    # Byte for byte, both ways: what Home Assistant wrote is what the mask got, and what the
    # mask sent is what crossed the socket.
    assert proxy.writes == mask.written_frames
    assert len(proxy.writes) > 5
    # START and AUTHENTICATE are longer than the 20 bytes the proxy's MTU carries in one write.
    assert max(len(frame) for frame in proxy.writes) > DEFAULT_ATT_MTU - 3
    assert proxy.notified[CONTROL_POINT_UUID] == mask.sent_frames
    assert proxy.notified[STATUS_UUID] == [status.encode() for status in mask.notified_status]
