"""The mask behind an ESPHome Bluetooth proxy, through Home Assistant's own esphome integration.

The emulated proxy (devtools/esphome_proxy.py) listens on a loopback port and is added as a
real esphome config entry; nothing in Home Assistant, bleak-esphome or aioesphomeapi is patched.
Sockets are allowed for these tests only, and only to 127.0.0.1 (the test plugin's allow list);
time stays simulated: `EsphomeProxy.flush` (a ping round trip) replaces waiting.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.components import bluetooth
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed_exact

from custom_components.pressure_mask.const import DOMAIN, IDLE_DISCONNECT_S
from custom_components.pressure_mask.faults import safety_fault_repair_open
from custom_components.pressure_mask.mask_ble.codec import (
    AuthFinish,
    Heartbeat,
    Pair,
    StartSession,
    Stop,
    Vent,
)
from custom_components.pressure_mask.mask_ble.const import (
    CONTROL_POINT_UUID,
    STATUS_UUID,
    FaultCode,
    Phase,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import Limits
from devtools.esphome_proxy import API_KEEPALIVE_GIVE_UP_S, EsphomeProxy
from tests.esphome import add_proxy_entry, proxy_available, settle, tick_through, wait_until
from tests.helpers import configure_limits, repair_safety_fault, run_while_time_passes

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.pressure_mask.coordinator import PressureMaskCoordinator
    from custom_components.pressure_mask.mask_ble.codec import Command
    from devtools.esphome_proxy import _Link
    from devtools.virtual_mask import VirtualMask

pytestmark = pytest.mark.usefixtures("socket_enabled", "mock_async_zeroconf", "enable_bluetooth")

STOP = "button.pmask_ee01_stop_session"
VENT = "button.pmask_ee01_vent"
PHASE = "sensor.pmask_ee01_phase"
PRESSURE = "sensor.pmask_ee01_pressure"
CONNECTED = "binary_sensor.pmask_ee01_connected"
FAULT = "sensor.pmask_ee01_fault"
SESSION_EVENT = "event.pmask_ee01_session"
DEFAULT_ATT_MTU = 23
# One short face step: 2 s inflate, 3 s hold, 3 s release, twice (16 s).
FACE_STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=2)
LONG_FACE_STEP = replace(FACE_STEP, repetitions=60)  # 8 min


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

    async def during[T](
        self, awaitable: Awaitable[T], *, step_s: float = 0.5, limit_s: float = 300.0
    ) -> T:
        """Await something that waits on timers (a response that never comes, a retry's
        back-off), every clock moving meanwhile: the mask's, the proxy's and Home Assistant's.
        Nothing waits for Home Assistant to be idle, which it is not while it retries."""
        task = asyncio.ensure_future(awaitable)
        waited = 0.0
        while not task.done():
            assert waited < limit_s, "still waiting after the time limit"
            waited += step_s
            await self._step(step_s)
        return task.result()

    async def idle(self, seconds: float, *, step_s: float = 0.5) -> None:
        """Let time pass as `during` does, with nothing to wait for."""
        for _ in range(round(seconds / step_s)):
            await self._step(step_s)

    async def _step(self, step_s: float) -> None:
        self.mask.advance(step_s)
        self.proxy.advance(step_s)
        self.freezer.tick(timedelta(seconds=step_s))
        async_fire_time_changed_exact(self.hass, dt_util.utcnow())
        for _ in range(20):
            await asyncio.sleep(0)

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
    # The person compares the fingerprint with the label and presses the mask's button.
    assert result["step_id"] == "compare", result
    assert result["description_placeholders"]["fingerprint"] == site.mask.fingerprint
    site.mask.press_button()
    result = await hass.config_entries.flow.async_configure(flow_id, {})
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
    assert site.sent(AuthFinish)

    configure_limits(hass, entry, mask, Limits(require_button_for_remote_start=False))
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
    # START, PAIR and AUTH_HELLO are longer than the 20 bytes the proxy's MTU carries in one
    # write.
    assert max(len(frame) for frame in proxy.writes) > DEFAULT_ATT_MTU - 3
    assert proxy.notified[CONTROL_POINT_UUID] == mask.sent_frames
    assert proxy.notified[STATUS_UUID] == mask.status_frames


# --- Failure modes of the proxy path ----------------------------------------------------------


async def ready_mask(site: Site, entry: MockConfigEntry) -> PressureMaskCoordinator:
    """The paired mask's entry set up through the proxy, sessions start without the button."""
    configure_limits(site.hass, entry, site.mask, Limits(require_button_for_remote_start=False))
    assert await site.hass.config_entries.async_setup(entry.entry_id)
    await site.settle()
    coordinator: PressureMaskCoordinator = entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    return coordinator


def last_event(site: Site) -> tuple[str, str | None]:
    """What the session event entity says happened last (type and reason)."""
    state = site.hass.states.get(SESSION_EVENT)
    assert state is not None
    return state.attributes["event_type"], state.attributes["reason"]


async def test_no_free_connection_slot_is_a_clear_error(
    site: Site, config_entry: MockConfigEntry
) -> None:
    """Every slot of the proxy is taken: the start fails with a clear error, nothing is sent."""
    coordinator = await ready_mask(site, config_entry)
    await site.tick(IDLE_DISCONNECT_S + 1, step_s=1.0)
    assert not coordinator.connected
    assert not site.proxy.links  # the idle link gave its slot back
    site.proxy.set_connection_slots(0)
    await site.settle()
    writes_before = len(site.mask.written_frames)

    with pytest.raises(HomeAssistantError) as raised:
        await run_while_time_passes(
            site.hass, site.freezer, coordinator.async_start_session(steps=[FACE_STEP])
        )

    assert raised.value.translation_key == "communication_error"
    assert "slot" in str(raised.value)
    assert len(site.mask.written_frames) == writes_before
    assert not site.sent(StartSession)
    assert not site.mask.session_active


@pytest.mark.parametrize("failure", ["tcp_drop", "reboot"])
async def test_proxy_lost_mid_session_vents_and_nothing_resumes(
    site: Site, config_entry: MockConfigEntry, failure: str
) -> None:
    """The proxy restarts or its TCP connection drops: the mask vents by itself, the session is
    recorded aborted, the entities say why, and nothing resumes when the proxy is back."""
    coordinator = await ready_mask(site, config_entry)
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await site.tick(3.0)
    assert site.mask.session_active

    if failure == "reboot":
        await site.proxy.reboot()
    else:
        site.proxy.drop_api_connections()
    await wait_until(site.hass, lambda: not coordinator.connected)

    # The mask lost its link: it ended the session and opened its vent valve on its own.
    assert not site.mask.session_active
    assert site.mask.fault is FaultCode.LINK_LOST
    assert site.mask.phase is Phase.VENTING
    assert last_event(site) == ("aborted", "link_lost")
    assert coordinator.history.last is not None
    assert coordinator.history.last.outcome == "aborted"

    # The esphome integration reconnects to the proxy; the mask is heard again, nothing resumes.
    await wait_until(site.hass, lambda: proxy_available(site.proxy_entry))
    await site.proxy.wait_for_scanner()
    site.proxy.advertise(site.mask)
    await site.tick(10.0, step_s=0.5)
    assert len(site.sent(StartSession)) == 1
    assert not site.mask.session_active
    assert site.mask.pressure_mmhg < 1.0


@pytest.mark.parametrize("characteristic", [CONTROL_POINT_UUID, STATUS_UUID])
async def test_a_single_lost_notification_is_survived(
    site: Site, config_entry: MockConfigEntry, characteristic: str
) -> None:
    """The proxy loses one heartbeat response (an indication) or one status notification: the
    session goes on, heartbeats keep their 1 s schedule, nobody aborts anything."""
    coordinator = await ready_mask(site, config_entry)
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await site.tick(2.0)
    heartbeats_before = len(site.sent(Heartbeat))
    site.proxy.notification_faults.drop[characteristic] = 1

    await site.tick(8.0)

    assert len(site.proxy.notification_faults.dropped) == 1
    assert site.mask.session_active
    assert coordinator.session_active
    assert last_event(site) == ("started", None)
    assert len(site.sent(Heartbeat)) - heartbeats_before >= 7
    assert site.mask.fault is FaultCode.NONE


async def test_delayed_notifications_are_survived(
    site: Site, config_entry: MockConfigEntry
) -> None:
    """The proxy holds everything the mask sends for a second and then delivers it late."""
    coordinator = await ready_mask(site, config_entry)
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await site.tick(2.0)
    site.proxy.notification_faults.hold = True
    await site.tick(1.0)
    assert site.proxy.notification_faults.held

    site.proxy.release_notifications()
    await site.tick(5.0)

    assert site.mask.session_active
    assert coordinator.session_active
    assert last_event(site) == ("started", None)


async def test_mask_heard_by_two_proxies_one_disappears(
    site: Site, config_entry: MockConfigEntry
) -> None:
    """Two proxies hear the mask; the one holding the session goes away. The session is
    aborted (the mask vents), nothing resumes, and the next session runs through the other."""
    hass = site.hass
    second = EsphomeProxy(name="hall-proxy", mac="AA:BB:CC:00:20:00", mtu=DEFAULT_ATT_MTU)
    await second.start()
    try:
        second_entry = await add_proxy_entry(hass, second)
        second.hear(site.mask, rssi=-80)  # farther away: the first proxy is preferred
        await settle(hass, second)
        coordinator = await ready_mask(site, config_entry)
        await coordinator.async_start_session(steps=[LONG_FACE_STEP])
        await site.tick(2.0)
        assert site.proxy.links
        assert not second.links

        await site.proxy.stop()  # unplugged: the port closes, its links drop
        await wait_until(hass, lambda: not coordinator.connected)
        assert last_event(site) == ("aborted", "link_lost")
        assert not site.mask.session_active

        second.advertise(site.mask)
        await settle(hass, second)
        await tick_through(hass, site.freezer, site.mask, second, 5.0, step_s=0.5)
        assert len(site.sent(StartSession)) == 1  # nothing resumed by itself

        # After the cooldown the person clears the fault on the mask (a short press) and walks
        # the safety fault's repair, which gives the acknowledgement back at its end.
        await tick_through(hass, site.freezer, site.mask, second, 20 * 60 + 1, step_s=60.0)
        site.mask.press_button()
        assert site.mask.fault is FaultCode.NONE
        second.advertise(site.mask)
        await settle(hass, second)
        # The mask's link-lost fault was told and waits for its repair; the repair ends with
        # the acknowledgement given (it was never withdrawn: a link loss is not a pressure fault).
        assert safety_fault_repair_open(hass, config_entry.entry_id)
        await repair_safety_fault(hass, config_entry)
        assert not safety_fault_repair_open(hass, config_entry.entry_id)
        assert coordinator.acknowledged
        await coordinator.async_start_session(steps=[FACE_STEP])
        await tick_through(hass, site.freezer, site.mask, second, 2.0)
        assert site.mask.session_active
        assert second.links  # the new session went through the remaining proxy
        assert any(frame in second.writes for frame in site.mask.written_frames[-3:])
        await coordinator.async_stop_session()
        await tick_through(hass, site.freezer, site.mask, second, 1.0)
        assert await hass.config_entries.async_unload(config_entry.entry_id)
        assert await hass.config_entries.async_unload(second_entry.entry_id)
    finally:
        await second.stop()


async def home_assistant_restarts(site: Site, entry: MockConfigEntry) -> PressureMaskCoordinator:
    """Both entries unload and set up again, the esphome entry on a new TCP connection.

    Whatever Home Assistant says on the way down (stopping the session, its goodbye to the
    proxy) is lost when the proxy no longer hears it, as in a crash; the clocks move meanwhile
    (aioesphomeapi waits for the goodbye it never gets). The mask's first poll after the
    restart has its 10 s to try.
    """
    hass = site.hass
    for going in (entry, site.proxy_entry):
        assert await site.during(hass.config_entries.async_unload(going.entry_id))
    assert await hass.config_entries.async_setup(site.proxy_entry.entry_id)
    await site.proxy.wait_for_scanner()
    site.proxy.advertise(site.mask)
    await site.settle()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await site.idle(10.0)
    coordinator: PressureMaskCoordinator = entry.runtime_data
    return coordinator


@dataclass
class StaleLink:
    """Home Assistant restarted while the proxy kept the mask's link for the vanished client."""

    coordinator: PressureMaskCoordinator
    link: _Link
    lost_at: float  # the proxy's clock when the old client vanished


async def restart_leaving_a_stale_link(
    site: Site, entry: MockConfigEntry, *, slots: int
) -> StaleLink:
    """A session runs; Home Assistant vanishes without the proxy noticing (a crash, a power
    cut) and restarts. Checks what the mask did and what the person sees right after."""
    proxy, mask = site.proxy, site.mask
    proxy.set_connection_slots(slots)
    coordinator = await ready_mask(site, entry)
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await site.tick(2.0)
    assert mask.session_active
    stale_link = next(iter(proxy.links.values()))

    proxy.lose_api_connections_silently()
    lost_at = proxy.now
    coordinator = await home_assistant_restarts(site, entry)

    # The mask heard no heartbeat for 3 s: it ended the session and vented on its own, while
    # the proxy still holds its link for the vanished client.
    assert not mask.session_active
    assert mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    assert mask.pressure_mmhg < 1.0
    assert mask.connected
    assert proxy.links == {stale_link.address: stale_link}
    assert proxy.now - lost_at < API_KEEPALIVE_GIVE_UP_S
    # What the person sees: the mask, not connected, with the fault it advertises.
    assert not coordinator.connected
    assert not coordinator.session_active
    assert site.state(CONNECTED) == "off"
    assert site.state(FAULT) == "heartbeat_timeout"
    return StaleLink(coordinator, stale_link, lost_at)


async def test_stale_link_from_before_a_restart_holding_the_last_slot(
    site: Site, config_entry: MockConfigEntry
) -> None:
    """The stale link holds the proxy's only slot until the proxy's keepalive gives up on the
    vanished client (150 s): until then the error says there is no free slot and the mask
    receives nothing; then the new connection succeeds. Nothing resumes."""
    proxy, mask = site.proxy, site.mask
    stale = await restart_leaving_a_stale_link(site, config_entry, slots=1)

    # Vent always works, but there is no slot: a clear error, and the mask receives nothing.
    writes_before = len(mask.written_frames)
    with pytest.raises(HomeAssistantError) as raised:
        await site.during(stale.coordinator.async_vent())
    assert raised.value.translation_key == "communication_error"
    assert "slot" in str(raised.value)
    assert len(mask.written_frames) == writes_before
    assert list(proxy.links.values()) == [stale.link]

    # The proxy's keepalive gives up on the vanished client: the stale link goes, the slot is
    # free, and the new connection succeeds.
    await site.idle(stale.lost_at + API_KEEPALIVE_GIVE_UP_S - proxy.now + 1.0, step_s=1.0)
    assert not proxy.links
    proxy.advertise(mask)
    await site.settle()
    await site.during(stale.coordinator.async_vent())
    await site.settle()
    assert len(site.sent(Vent)) == 1
    assert proxy.links
    assert stale.link not in proxy.links.values()
    assert len(site.sent(StartSession)) == 1
    assert not mask.session_active


async def test_stale_link_from_before_a_restart_with_a_free_slot(
    site: Site, config_entry: MockConfigEntry
) -> None:
    """With a slot free, Home Assistant's connection request for the mask goes unanswered (the
    proxy answers the vanished client that holds the link, as ESPHome answers its subscriber).
    When Home Assistant gives up on it (20 s), bleak-esphome releases the link on the proxy (a
    disconnect request, which ESPHome honours from any client), and the next attempt connects:
    the vent reaches the mask about 40 s late, long before the proxy's keepalive would have
    freed the link. Nothing resumes."""
    proxy, mask = site.proxy, site.mask
    stale = await restart_leaving_a_stale_link(site, config_entry, slots=3)
    asked_at = proxy.now

    await site.during(stale.coordinator.async_vent())
    await site.settle()

    assert len(site.sent(Vent)) == 1
    assert 20.0 <= proxy.now - asked_at < API_KEEPALIVE_GIVE_UP_S
    assert proxy.now - stale.lost_at < API_KEEPALIVE_GIVE_UP_S
    assert proxy.links
    assert stale.link not in proxy.links.values()
    assert len(site.sent(StartSession)) == 1
    assert not mask.session_active
