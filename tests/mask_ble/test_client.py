"""MaskClient against the virtual mask, byte for byte through the bleak backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import AsyncMock, patch

from bleak import BleakClient
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pressure_mask.mask_ble import client as client_module
from custom_components.pressure_mask.mask_ble.client import MaskClient
from custom_components.pressure_mask.mask_ble.codec import (
    DeviceInfo,
    DeviceLimits,
    Heartbeat,
    ReadInfo,
    Response,
    Status,
    parse_status,
)
from custom_components.pressure_mask.mask_ble.const import (
    BATTERY_LEVEL_UUID,
    CONTROL_POINT_UUID,
    HEARTBEAT_TIMEOUT_S,
    MODEL_NUMBER_UUID,
    STATUS_UUID,
    VENT_DEADLINE_S,
    VENT_SAFE_MMHG,
    FaultCode,
    Phase,
    ResultCode,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.errors import (
    AuthenticationError,
    ButtonNotPressedError,
    CommandRejected,
    KeyRejectedError,
    MaskConnectionError,
    MaskError,
    MaskTimeoutError,
)
from custom_components.pressure_mask.mask_ble.routines import BUILTIN_ROUTINES, Routine, Step
from custom_components.pressure_mask.mask_ble.secure import HostCredentials, public_bytes
from devtools import virtual_mask as virtual
from devtools.virtual_mask import (
    VirtualFault,
    VirtualMask,
    VirtualMaskBackend,
    get_virtual_mask,
    unregister_virtual_mask,
)

from .conftest import KEY, advance, settle

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from homeassistant.core import HomeAssistant

ROUTINE = Routine("test", (Step(Zone.CHEEKS, 25.0, 1.0, 20.0, 2.0, 2),))


@pytest.fixture
def no_backoff() -> object:
    """bleak-retry-connector waits between attempts on a missing device; tests need not."""
    with patch("bleak_retry_connector.wait_for_disconnect", AsyncMock()) as wait:
        yield wait


def make_client(mask: VirtualMask, **kwargs: object) -> MaskClient:
    """A client for a mask, with a short response timeout."""
    options: dict[str, object] = {
        "response_timeout_s": 0.2,
        "heartbeat_interval_s": 3600,
        "client_kwargs": {"backend": VirtualMaskBackend, "max_attempts": 1},
        "credentials": HostCredentials(0, KEY, mask.identity_public),
    }
    options.update(kwargs)
    return MaskClient(mask.ble_device(), **options)  # type: ignore[arg-type]


async def test_connect_reports_status_and_disconnects(
    mask: VirtualMask, client: MaskClient, statuses: list[Status]
) -> None:
    assert client.is_connected
    assert mask.connected
    assert client.address == mask.address
    await advance(mask, 1.0)
    assert statuses
    assert statuses[-1].phase is Phase.IDLE
    assert client.status == statuses[-1]
    await client.connect()  # already connected: nothing happens
    await client.disconnect()
    assert not client.is_connected
    assert not mask.connected


async def test_connecting_sends_nothing(mask: VirtualMask, client: MaskClient) -> None:
    await advance(mask, 5.0)
    assert mask.received == []
    assert mask.written_frames == []


async def test_pairing(mask: VirtualMask) -> None:
    mask.factory_reset()
    mask_client = make_client(mask, credentials=None)
    await mask_client.connect()
    with pytest.raises(AuthenticationError):
        await mask_client.authenticate()
    with pytest.raises(CommandRejected) as err:
        await mask_client.begin_pairing()
    assert err.value.result is ResultCode.PAIRING_MODE_REQUIRED
    mask.press_button(hold_s=3.0)
    assert mask.pairing_mode
    assert mask.advertisement().pairing_mode
    exchange = await mask_client.begin_pairing()
    assert exchange.fingerprint == mask.fingerprint
    with pytest.raises(ButtonNotPressedError):
        await mask_client.confirm_pairing()
    mask.press_button()
    credentials = await mask_client.confirm_pairing()
    assert credentials == mask_client.credentials
    assert credentials.slot == 0
    assert credentials.mask_identity == mask.identity_public
    assert not mask.pairing_mode
    await mask_client.authenticate()
    assert mask_client.authenticated
    assert (await mask_client.read_status()).authenticated
    await mask_client.disconnect()


async def test_pairing_mode_expires(mask: VirtualMask) -> None:
    mask.press_button(hold_s=5.0)
    mask.advance(30.0)
    assert not mask.pairing_mode


async def test_authentication_success_and_status_flag(
    mask: VirtualMask, authed: MaskClient
) -> None:
    assert authed.authenticated
    assert mask.authenticated
    assert (await authed.read_status()).authenticated


async def test_revoked_host_is_rejected(mask: VirtualMask, client: MaskClient) -> None:
    await client.authenticate()
    await client.revoke_slot(0)
    await settle()
    assert not client.is_connected
    await client.connect()
    with pytest.raises(KeyRejectedError):
        await client.authenticate()
    assert not mask.authenticated
    with pytest.raises(CommandRejected) as err:
        await client.start_session(ROUTINE, max_duration_s=600, await_button=False)
    assert err.value.result is ResultCode.NOT_AUTHENTICATED


async def test_wrong_key_or_identity_is_refused(mask: VirtualMask) -> None:
    for credentials in (
        HostCredentials(0, bytes(32), mask.identity_public),
        HostCredentials(0, KEY, public_bytes(X25519PrivateKey.generate())),
    ):
        mask_client = make_client(mask, credentials=credentials)
        await mask_client.connect()
        with pytest.raises(AuthenticationError, match="prove"):
            await mask_client.authenticate()
        assert not mask.authenticated
        await mask_client.disconnect()


async def test_session_lifecycle(
    mask: VirtualMask, authed: MaskClient, statuses: list[Status]
) -> None:
    await authed.start_session(ROUTINE, max_duration_s=600, await_button=False)
    assert authed.heartbeats_running
    for _ in range(4):
        await authed.heartbeat()
        await advance(mask, 0.5)
    assert mask.phase is Phase.HOLDING
    assert statuses[-1].phase is Phase.HOLDING
    assert statuses[-1].zone is Zone.CHEEKS
    assert statuses[-1].pressure_mmhg > 20
    assert statuses[-1].session_active
    await authed.pause()
    await settle()
    assert statuses[-1].phase is Phase.PAUSED
    await authed.resume()
    await authed.stop()
    await advance(mask, 2.0)
    assert not statuses[-1].session_active
    assert statuses[-1].stop_reason is StopReason.HOST_STOP
    assert not authed.heartbeats_running
    await authed.vent()


async def test_builtin_routines_run_on_factory_limits(
    mask: VirtualMask, authed: MaskClient
) -> None:
    for routine in BUILTIN_ROUTINES.values():
        await authed.start_session(routine, max_duration_s=600, await_button=True)
        await authed.stop()
        await advance(mask, 1.0)


async def test_limits_info_status_battery(mask: VirtualMask, authed: MaskClient) -> None:
    new_limits = DeviceLimits(35.0, 18.0, 22.0, 900, 120, require_button=False)
    # Looser limits wait for the button at the mask.
    with pytest.raises(CommandRejected) as err:
        await authed.set_limits(new_limits)
    assert err.value.result is ResultCode.AWAITING_BUTTON
    assert await authed.read_limits() != new_limits
    mask.press_button()
    assert await authed.read_limits() == new_limits
    assert await authed.read_info() == DeviceInfo("PM-1 virtual", "1.0.0", "VMAABBCCDDEE01", 2)
    # The standard Device Information service carries the same strings.
    assert await authed.read_device_information() == DeviceInfo(
        "PM-1 virtual", "1.0.0", "VMAABBCCDDEE01"
    )
    status = await authed.read_status()
    assert status.phase is Phase.IDLE
    assert await authed.read_battery() == 100
    mask.battery_percent = 42
    assert await authed.read_battery() == 42
    await authed.clear_fault()


async def test_rejection_carries_the_result(authed: MaskClient) -> None:
    with pytest.raises(CommandRejected) as err:
        await authed.set_limits(DeviceLimits(45.0, 15.0, 20.0, 600))
    assert err.value.result is ResultCode.LIMIT_EXCEEDED
    assert "SET_LIMITS" in str(err.value)


async def times_out[T](hass: HomeAssistant, request: Coroutine[Any, Any, T]) -> None:
    """Send a request nobody answers, move simulated time past the timeout, see it time out."""
    pending = asyncio.ensure_future(request)
    await settle()
    assert not pending.done()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    with pytest.raises(MaskTimeoutError):
        await pending


async def test_stop_responding_times_out(
    hass: HomeAssistant, mask: VirtualMask, authed: MaskClient
) -> None:
    mask.inject_fault(VirtualFault.STOP_RESPONDING)
    await times_out(hass, authed.read_info())
    assert isinstance(mask.received[-1], ReadInfo)
    mask.clear_faults()
    assert (await authed.read_info()).protocol_version == 2


async def test_corrupt_frames_are_dropped(
    hass: HomeAssistant, mask: VirtualMask, authed: MaskClient
) -> None:
    mask.inject_fault(VirtualFault.CORRUPT_FRAMES, count=1)
    await times_out(hass, authed.heartbeat())
    await authed.heartbeat()
    mask.inject_fault(VirtualFault.CORRUPT_FRAMES)
    await times_out(hass, authed.heartbeat())


async def test_disconnect_mid_session_vents_within_deadline(
    mask: VirtualMask, authed: MaskClient
) -> None:
    await authed.start_session(ROUTINE, max_duration_s=600, await_button=False)
    await advance(mask, 1.5)
    assert mask.pressure_mmhg > 20
    await authed.disconnect()
    elapsed = 0.0
    while mask.pressure_mmhg >= VENT_SAFE_MMHG:
        mask.advance(0.02)
        elapsed += 0.02
    assert elapsed <= VENT_DEADLINE_S
    assert mask.fault is FaultCode.LINK_LOST


async def test_no_resume_after_reconnect(mask: VirtualMask, authed: MaskClient) -> None:
    await authed.start_session(ROUTINE, max_duration_s=600, await_button=False)
    await advance(mask, 1.5)
    mask.drop_link()
    await settle()
    assert not authed.is_connected
    await advance(mask, 5.0)
    await authed.connect()
    await authed.authenticate()
    status = await authed.read_status()
    assert not status.session_active
    assert status.phase is Phase.FAULT
    assert status.fault is FaultCode.LINK_LOST
    with pytest.raises(CommandRejected) as err:
        await authed.resume()
    assert err.value.result is ResultCode.INVALID_STATE
    await advance(mask, 5.0)
    assert mask.pressure_mmhg < VENT_SAFE_MMHG


@pytest.mark.usefixtures("no_backoff")
async def test_link_drop_reports_and_fails_pending(mask: VirtualMask) -> None:
    dropped: list[bool] = []
    mask_client = make_client(mask, on_disconnect=lambda: dropped.append(True))
    await mask_client.connect()
    mask.inject_fault(VirtualFault.STOP_RESPONDING)
    pending = asyncio.ensure_future(mask_client.read_info())
    await settle()
    mask.inject_fault(VirtualFault.DROP_LINK)
    with pytest.raises(MaskConnectionError):
        await pending
    assert dropped == [True]
    assert not mask_client.is_connected
    with pytest.raises(MaskConnectionError):
        await mask_client.read_info()
    with pytest.raises(MaskConnectionError):
        await mask_client.read_battery()
    with pytest.raises(MaskConnectionError):
        await mask_client.read_device_information()
    with pytest.raises(MaskConnectionError):
        await mask_client.connect()  # DROP_LINK keeps the mask out of range
    mask.clear_faults()
    await mask_client.connect()
    await mask_client.disconnect()
    assert dropped == [True]  # a disconnect the host asked for is not reported


async def test_heartbeats_keep_a_session_alive(mask: VirtualMask) -> None:
    mask_client = make_client(mask, heartbeat_interval_s=0.001)
    await mask_client.connect()
    await mask_client.authenticate()
    await mask_client.start_session(ROUTINE, max_duration_s=600, await_button=False)
    for _ in range(12):
        mask.advance(0.5)
        await asyncio.sleep(0.005)
    assert any(isinstance(command, Heartbeat) for command in mask.received)
    assert mask.session_active
    assert mask.fault is FaultCode.NONE
    await mask_client.disconnect()
    assert not mask_client.heartbeats_running


async def test_without_heartbeats_the_mask_vents(mask: VirtualMask, authed: MaskClient) -> None:
    await authed.start_session(ROUTINE, max_duration_s=600, await_button=False)
    await advance(mask, 2.0)
    await advance(mask, HEARTBEAT_TIMEOUT_S + VENT_DEADLINE_S)
    assert mask.fault is FaultCode.HEARTBEAT_TIMEOUT
    assert mask.pressure_mmhg < VENT_SAFE_MMHG


async def test_heartbeat_failures_do_not_stop_the_loop(mask: VirtualMask) -> None:
    mask_client = make_client(mask, heartbeat_interval_s=0.001)
    await mask_client.connect()
    await mask_client.authenticate()
    await mask_client.start_session(ROUTINE, max_duration_s=600, await_button=False)
    # Only the heartbeats get the 1 ms timeout: a busy machine must not fail the handshake.
    mask_client._response_timeout_s = 0.001
    mask.inject_fault(VirtualFault.STOP_RESPONDING)
    await asyncio.sleep(0.02)
    assert mask_client.heartbeats_running
    await mask_client.disconnect()


async def test_garbage_notifications_are_dropped(
    client: MaskClient, statuses: list[Status]
) -> None:
    before = len(statuses)
    client._handle_status(None, bytearray(b"\x00"))
    client._handle_indication(None, bytearray(b"\x01\x02"))
    unsolicited = Response(0x21, 77, ResultCode.SUCCESS).encode()
    client._handle_indication(None, bytearray(unsolicited))
    assert len(statuses) == before


async def test_malformed_response_data_is_a_mask_error(
    mask: VirtualMask, client: MaskClient
) -> None:
    with (
        patch.object(virtual.DeviceInfo, "encode", return_value=b"\x01\x09"),
        pytest.raises(MaskError, match="malformed"),
    ):
        await client.read_info()


@pytest.mark.usefixtures("no_backoff")
async def test_connect_fails_for_an_unknown_mask(mask: VirtualMask) -> None:
    unregister_virtual_mask(mask)
    assert get_virtual_mask(mask.address) is None
    with pytest.raises(MaskConnectionError):
        await make_client(mask).connect()


async def test_connect_fails_when_another_host_holds_the_link(
    mask: VirtualMask, client: MaskClient
) -> None:
    with pytest.raises(MaskConnectionError):
        await make_client(mask).connect()


async def test_connect_fails_without_the_mask_service(mask: VirtualMask) -> None:
    with patch.object(virtual, "MASK_SERVICE_UUID", "0000feed-0000-1000-8000-00805f9b34fb"):
        mask_client = make_client(mask)
        with pytest.raises(MaskConnectionError, match="no pressure mask service"):
            await mask_client.connect()
    assert not mask.connected


async def test_subscribe_failure_disconnects(mask: VirtualMask) -> None:
    with (
        patch.object(VirtualMaskBackend, "start_notify", side_effect=virtual.BleakError("boom")),
        pytest.raises(MaskConnectionError, match="subscribe"),
    ):
        await make_client(mask).connect()
    assert not mask.connected


async def test_write_failure_is_a_connection_error(mask: VirtualMask, client: MaskClient) -> None:
    with (
        patch.object(VirtualMaskBackend, "write_gatt_char", side_effect=virtual.BleakError("gone")),
        pytest.raises(MaskConnectionError),
    ):
        await client.read_info()
    with (
        patch.object(VirtualMaskBackend, "read_gatt_char", side_effect=virtual.BleakError("gone")),
        pytest.raises(MaskConnectionError),
    ):
        await client.read_battery()


async def test_plain_bleak_client_reads_gatt(mask: VirtualMask) -> None:
    async with BleakClient(mask.ble_device(), backend=mask.bleak_backend) as bleak_client:
        assert bleak_client.name == mask.name
        assert bleak_client.mtu_size == 247
        assert bytes(await bleak_client.read_gatt_char(MODEL_NUMBER_UUID)) == b"PM-1 virtual"
        assert bytes(await bleak_client.read_gatt_char(BATTERY_LEVEL_UUID)) == b"\x64"
        assert (
            parse_status(bytes(await bleak_client.read_gatt_char(STATUS_UUID))).phase is Phase.IDLE
        )
        with pytest.raises(virtual.BleakError):
            await bleak_client.read_gatt_char(CONTROL_POINT_UUID)
        with pytest.raises(virtual.BleakError):
            await bleak_client.write_gatt_char(STATUS_UUID, b"\x00", response=True)
        with pytest.raises(virtual.BleakError):
            await bleak_client.start_notify(BATTERY_LEVEL_UUID, lambda _c, _d: None)
        await bleak_client.start_notify(STATUS_UUID, lambda _c, _d: None)
        await bleak_client.stop_notify(STATUS_UUID)
        with pytest.raises(virtual.BleakError):
            await bleak_client.pair()
        with pytest.raises(virtual.BleakError):
            await bleak_client.unpair()
        backend = bleak_client._backend
        with pytest.raises(virtual.BleakError):
            await backend.read_gatt_descriptor(None)  # type: ignore[arg-type]
        with pytest.raises(virtual.BleakError):
            await backend.write_gatt_descriptor(None, b"")  # type: ignore[arg-type]
    with pytest.raises(virtual.BleakError, match="Not connected"):
        await backend.read_gatt_char(bleak_client.services.get_characteristic(MODEL_NUMBER_UUID))  # type: ignore[arg-type]


async def test_backend_built_like_home_assistant_does(mask: VirtualMask) -> None:
    # habluetooth builds the connector's client class this way.
    backend = VirtualMaskBackend(
        mask.ble_device(), disconnected_callback=None, services=None, timeout=10.0, bluez={}
    )
    await backend.connect(pair=False)
    assert backend.is_connected
    await backend.disconnect()
    assert VirtualMaskBackend(mask.address).name == mask.name
    assert VirtualMaskBackend("00:00:00:00:00:00").name == "00:00:00:00:00:00"


def test_advertisement_data_reflects_state(mask: VirtualMask) -> None:
    name, uuids, manufacturer_data = mask.advertisement_data()
    assert name == "PMASK-EE01"
    assert uuids == [client_module.MASK_SERVICE_UUID]
    assert manufacturer_data == {0xFFFF: b"PM\x02\x00\x64\x00"}
    mask.inject_fault(VirtualFault.LOW_BATTERY, percent=9)
    assert mask.advertisement_data()[2] == {0xFFFF: b"PM\x02\x08\x09\x00"}


async def test_run_realtime_advances_the_clock(mask: VirtualMask) -> None:
    task = asyncio.create_task(mask.run_realtime(tick_s=0.001))
    await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert mask.now > 0


async def test_responses_are_matched_to_requests_by_seq(
    authed: MaskClient, mask: VirtualMask
) -> None:
    """Two heartbeats in flight, the first's response damaged: the second's answers only it."""
    mask.inject_fault(VirtualFault.CORRUPT_FRAMES, count=1)
    first = asyncio.create_task(authed.heartbeat())
    await asyncio.sleep(0)
    second = asyncio.create_task(authed.heartbeat())
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], MaskTimeoutError)
    assert results[1] is None
