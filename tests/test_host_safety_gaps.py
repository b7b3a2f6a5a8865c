"""Host-side rules the mutation run (devtools/mutants.py) found under-tested.

End to end through Home Assistant's Bluetooth manager, the virtual proxy and the virtual mask,
in simulated time. Each test names the mutant it kills. Several need a mask that does not
enforce a rule itself (its clock lags, its stored limits are loose), because a healthy mask
would hide a host rule that broke: the host's rules are the half of the double check that must
hold when the mask's half does not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed_exact

from custom_components.pressure_mask.coordinator import (
    HOST_FAULT_OVER_PRESSURE,
    PressureMaskCoordinator,
    SessionEvent,
    SessionEventType,
)
from custom_components.pressure_mask.mask_ble.codec import DeviceLimits, StartSession, Stop, Vent
from custom_components.pressure_mask.mask_ble.const import (
    HEARTBEAT_TIMEOUT_S,
    FaultCode,
    Phase,
    ResultCode,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.safety import ARM_EXPIRY_S, Limits
from devtools.virtual_mask import VirtualFault
from tests.helpers import configure_limits, setup_entry, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.pressure_mask.mask_ble.codec import Command
    from devtools.virtual_mask import VirtualMask
    from devtools.virtual_proxy import VirtualProxy

# Forehead at 25 mmHg: 2 s inflate, 3 s hold, 3 s release; 60 repetitions (8 min).
LONG_FACE_STEP = Step(Zone.FOREHEAD, 25.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=60)
FACE_STEP = replace(LONG_FACE_STEP, repetitions=2)
# Under eye at 12 mmHg (limit 15, so the host vents above 18).
UNDER_EYE_STEP = Step(Zone.UNDER_EYE, 12.0, inflate_s=2.0, hold_s=3.0, release_s=3.0, repetitions=5)
# Limits a mask with stale or corrupt settings could hold: its own checks see nothing wrong.
LOOSE_DEVICE_LIMITS = DeviceLimits(40.0, 20.0, 25.0, 20 * 60)


def sent(mask: VirtualMask, kind: type[Command]) -> list[Command]:
    """The commands of one kind the mask received."""
    return [command for command in mask.received if isinstance(command, kind)]


async def set_up(
    hass: HomeAssistant,
    *,
    entry: MockConfigEntry,
    proxy: VirtualProxy,
    mask: VirtualMask,
    events: list[SessionEvent],
    limits: Limits,
) -> PressureMaskCoordinator:
    """Set the mask up with these limits and the acknowledgement given."""
    configure_limits(hass, entry, mask, limits)
    await setup_entry(hass, entry, proxy, mask)
    coordinator: PressureMaskCoordinator = entry.runtime_data
    await coordinator.async_set_acknowledged(True)
    coordinator.async_subscribe_session_events(events.append)
    return coordinator


@pytest.fixture
def events() -> list[SessionEvent]:
    """Session events the coordinator emitted."""
    return []


@pytest.fixture
async def coordinator(
    hass: HomeAssistant,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
) -> PressureMaskCoordinator:
    """A set-up mask, acknowledged; sessions start without the button."""
    return await set_up(
        hass,
        entry=config_entry,
        proxy=proxy,
        mask=mask,
        events=events,
        limits=Limits(require_button_for_remote_start=False),
    )


async def unload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload the entry so no timer outlives the test."""
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)


async def ha_clock_only(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move Home Assistant's clock but not the mask's (a mask whose own timers lag or fail)."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed_exact(hass, dt_util.utcnow())
    await hass.async_block_till_done()


# --- Refusals from the host's own state: the mask receives nothing ----------------------------


async def test_start_with_a_mask_fault_latched_is_refused(
    hass: HomeAssistant,
    *,
    coordinator: PressureMaskCoordinator,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Kills host-fault-context: a latched mask fault refuses the start on the host.

    A heartbeat timeout says nothing about the pressure, so it leaves the acknowledgement on
    (a safety fault would turn it off, and the acknowledgement refusal would come first).
    """
    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, 1.0)
    coordinator.client.stop_heartbeats()
    await tick(hass, freezer, mask, HEARTBEAT_TIMEOUT_S + 1)
    assert mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    # Past the cooldown, so only the latched fault stands in the way.
    await tick(hass, freezer, mask, 21 * 60, step_s=30.0)
    proxy.advertise(mask)  # the idle link has closed; the advertisement carries the fault
    await hass.async_block_till_done()
    assert coordinator.fault == "heartbeat_timeout"
    assert coordinator.acknowledged

    received = len(mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await coordinator.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "fault_active"
    assert len(mask.received) == received
    await unload(hass, config_entry)


async def test_start_while_a_session_runs_is_refused(
    hass: HomeAssistant,
    *,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Kills host-session-running-context: a second start is refused before it is sent."""
    await coordinator.async_start_session(steps=[LONG_FACE_STEP])
    await tick(hass, freezer, mask, 3.0)
    with pytest.raises(ServiceValidationError) as refusal:
        await coordinator.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "session_already_running"
    assert len(sent(mask, StartSession)) == 1
    await unload(hass, config_entry)


async def test_expired_acknowledgement_is_refused(
    hass: HomeAssistant,
    *,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Kills host-acknowledgement-expiry-context: the host dates the acknowledgement."""
    limits = Limits(acknowledgement_expiry_days=30, require_button_for_remote_start=False)
    coordinator = await set_up(
        hass, entry=config_entry, proxy=proxy, mask=mask, events=events, limits=limits
    )
    await ha_clock_only(hass, freezer, timedelta(days=30).total_seconds())

    received = len(mask.received)
    with pytest.raises(ServiceValidationError) as refusal:
        await coordinator.async_start_session(steps=[FACE_STEP])
    assert refusal.value.translation_key == "acknowledgement_expired"
    assert len(mask.received) == received
    assert events[-1].type is SessionEventType.REFUSED
    await unload(hass, config_entry)


async def test_a_session_started_elsewhere_while_connected_is_stopped(
    hass: HomeAssistant,
    *,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Kills host-stops-unowned-session: a session this host did not start is stopped.

    Connecting already stops one left from before a restart; this one starts while the link
    is still up after this host's own session, so only the status path can see it.
    """
    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, 17.0)
    assert events[-1].type is SessionEventType.COMPLETED
    assert coordinator.connected
    # Another host of the mask starts a session (its cooldown set to 0 so it can). The mask
    # has one link, so the other host is played by the mask's own command handler.
    mask.limits = replace(mask.limits, cooldown_s=0)
    result, _ = mask._execute(StartSession((FACE_STEP,), 600, await_button=False))
    assert result is ResultCode.SUCCESS
    received = len(mask.received)
    await tick(hass, freezer, mask, 1.0)

    assert [type(command) for command in mask.received[received:]] == [Stop]
    assert not mask.session_active
    assert mask.stop_reason is StopReason.HOST_STOP
    assert events[-1].type is SessionEventType.COMPLETED  # not this host's session
    await unload(hass, config_entry)


# --- Supervision: every status, each zone's own limit -----------------------------------------


async def test_under_eye_over_pressure_vents_at_the_under_eye_limit(
    hass: HomeAssistant,
    *,
    coordinator: PressureMaskCoordinator,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Kills host-supervision-zone: 21 mmHg under the eye is over-pressure (limit 15 + 3).

    It would be within the face limit; the mask, holding loose limits, sees nothing wrong.
    """
    await coordinator.async_start_session(steps=[UNDER_EYE_STEP])
    await tick(hass, freezer, mask, 3.0)
    assert mask.phase is Phase.HOLDING
    mask.limits = LOOSE_DEVICE_LIMITS
    mask.inject_fault(VirtualFault.OVER_PRESSURE_SPIKE, mmhg=21.0 - mask.pressure_mmhg)
    await tick(hass, freezer, mask, 0.25)  # one status notification

    assert len(sent(mask, Vent)) == 1
    assert mask.fault is FaultCode.NONE
    assert coordinator.fault == HOST_FAULT_OVER_PRESSURE
    assert not coordinator.acknowledged
    assert events[-1] == SessionEvent(
        SessionEventType.ABORTED, "custom", "ui", HOST_FAULT_OVER_PRESSURE
    )
    await unload(hass, config_entry)


# --- Host timers that must hold when the mask's do not ----------------------------------------


async def test_host_cancels_an_arm_nobody_confirms(
    hass: HomeAssistant,
    *,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Kills host-arm-expiry: the host stops an unconfirmed arm after 2 min, mask or not."""
    coordinator = await set_up(
        hass, entry=config_entry, proxy=proxy, mask=mask, events=events, limits=Limits()
    )
    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, 1.0)
    assert mask.phase is Phase.ARMED

    await ha_clock_only(hass, freezer, ARM_EXPIRY_S - 2)
    assert not sent(mask, Stop)
    await ha_clock_only(hass, freezer, 2)
    mask.advance(0.25)
    await hass.async_block_till_done()

    assert len(sent(mask, Stop)) == 1
    assert not mask.session_active
    assert mask.stop_reason is StopReason.HOST_STOP
    assert events[-1].reason == "arm_expired"
    assert coordinator.sessions_today == 0
    await unload(hass, config_entry)


async def test_an_arm_the_host_cancels_is_aborted_like_one_the_mask_cancels(
    hass: HomeAssistant,
    *,
    proxy: VirtualProxy,
    mask: VirtualMask,
    config_entry: MockConfigEntry,
    events: list[SessionEvent],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Automations see one event type for one outcome, whichever clock ran out first.

    Found by the mutation run: the host's arm expiry was reported "stopped", the mask's
    "aborted" (fixed in the coordinator's timer rework).
    """
    coordinator = await set_up(
        hass, entry=config_entry, proxy=proxy, mask=mask, events=events, limits=Limits()
    )
    await coordinator.async_start_session(steps=[FACE_STEP])
    await tick(hass, freezer, mask, 1.0)
    await ha_clock_only(hass, freezer, ARM_EXPIRY_S)
    mask.advance(0.25)
    await hass.async_block_till_done()
    try:
        assert events[-1] == SessionEvent(SessionEventType.ABORTED, "custom", "ui", "arm_expired")
    finally:
        await unload(hass, config_entry)
