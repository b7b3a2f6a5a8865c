"""The attacks of the protocol version 1 review, against the virtual mask, under version 2.

Version 1 is gone, so each test first shows that the attacker's bytes are a well-formed command
that a version 1 mask would have executed (it decoded every frame and trusted one per-connection
flag: `v1_would_execute`), then that the version 2 mask drops it: no effect, nothing
pressurised, and the link closes after a few. The legitimate host's own frames are checked to
work in the same test, so a test cannot pass because nothing works at all.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
import pytest

from custom_components.pressure_mask.mask_ble.client import MaskClient
from custom_components.pressure_mask.mask_ble.codec import (
    AuthHello,
    Command,
    DeviceLimits,
    Heartbeat,
    Pair,
    PairConfirm,
    SetLimits,
    StartSession,
    Status,
    Stop,
    decode_command,
    decode_frame,
)
from custom_components.pressure_mask.mask_ble.const import (
    AUTH_TIMEOUT_S,
    CONTROL_POINT_UUID,
    HEARTBEAT_TIMEOUT_S,
    MAX_BAD_FRAMES,
    STATUS_UUID,
    VENT_DEADLINE_S,
    VENT_SAFE_MMHG,
    FaultCode,
    Phase,
    ResultCode,
    StatusFlags,
    Zone,
)
from custom_components.pressure_mask.mask_ble.errors import (
    ButtonNotPressedError,
    CommandRejected,
    KeyRejectedError,
)
from custom_components.pressure_mask.mask_ble.routines import Routine, Step
from custom_components.pressure_mask.mask_ble.secure import (
    HostCredentials,
    fingerprint,
    public_bytes,
    random_nonce,
)
from devtools.virtual_mask import VirtualMask, VirtualMaskBackend, unregister_virtual_mask

from .conftest import KEY, DirectHost, advance, settle

UNDER_EYE_20 = Routine("attack", (Step(Zone.UNDER_EYE, 20.0, 1.0, 30.0, 1.0, 1),))
FACE = Routine("face", (Step(Zone.FOREHEAD, 25.0, 1.0, 20.0, 2.0, 3),))
LOOSE = DeviceLimits(40.0, 20.0, 25.0, 1200, require_button=False)


def v1_would_execute(frame: bytes, kind: type[Command]) -> bool:
    """A version 1 mask executed any frame that decoded, once the link had authenticated."""
    return isinstance(decode_command(decode_frame(frame)), kind)


def pressurised(mask: VirtualMask) -> bool:
    """The mask holds or runs a session, or a bladder is above the vented level."""
    return mask.session_active or mask.pressure_mmhg > VENT_SAFE_MMHG


def make_client(mask: VirtualMask, **kwargs: object) -> MaskClient:
    """A client of the host paired in slot 0."""
    options: dict[str, object] = {
        "credentials": HostCredentials(0, KEY, mask.identity_public),
        "response_timeout_s": 0.2,
        "heartbeat_interval_s": 3600,
        "client_kwargs": {"backend": VirtualMaskBackend, "max_attempts": 1},
    }
    options.update(kwargs)
    return MaskClient(mask.ble_device(), **options)  # type: ignore[arg-type]


async def test_a_sniffed_pairing_and_session_give_nothing_to_send(mask: VirtualMask) -> None:
    """Everything on the air during pairing and a session: no key, and nothing replays."""
    mask.factory_reset()
    client = make_client(mask, credentials=None)
    await client.connect()
    mask.press_button(hold_s=3.0)
    await client.begin_pairing()
    mask.press_button()
    credentials = await client.confirm_pairing()
    await client.authenticate()
    await client.start_session(FACE, max_duration_s=600, await_button=True)
    await client.stop()
    await client.disconnect()
    on_air = [*mask.written_frames, *mask.sent_frames]
    # Version 1's PAIR answer was the key; version 2's carries only public values.
    pair_answer = decode_frame(mask.sent_frames[0])
    assert len(pair_answer.payload) == 2 + 32 + 16 + 1
    assert not any(credentials.host_key[:8] in data for data in on_air)

    # The observer replays the whole recorded host side on a new connection.
    observer = DirectHost(mask)
    await client.connect()  # a fresh link for the replay
    accepted = 0
    for frame in list(mask.written_frames):
        if v1_would_execute(frame, StartSession) or v1_would_execute(frame, SetLimits):
            before = len(mask.received)
            observer.write(frame)
            accepted += len(mask.received) - before
    assert accepted == 0
    assert not mask.authenticated
    assert not pressurised(mask)
    await client.disconnect()


async def test_an_impostor_during_pairing_shows_another_fingerprint(mask: VirtualMask) -> None:
    """A man in the middle answers PAIR with its own key: the fingerprint gives it away."""
    impostor = VirtualMask("AA:BB:CC:DD:EE:66")
    impostor.press_button(hold_s=3.0)
    client = make_client(impostor, credentials=None)
    await client.connect()
    exchange = await client.begin_pairing()
    assert exchange.fingerprint == impostor.fingerprint
    assert exchange.fingerprint != mask.fingerprint  # the label on the real mask
    # Nobody presses the impostor's button after comparing: nothing is paired.
    with pytest.raises(ButtonNotPressedError):
        await client.confirm_pairing()
    await client.disconnect()
    unregister_virtual_mask(impostor)


def test_the_pairing_race_needs_the_button_and_the_last_exchange(mask: VirtualMask) -> None:
    """An attacker's PAIR in the window is replaced by the host's; it never completes."""
    mask.factory_reset()
    mask.press_button(hold_s=3.0)
    attacker, host = DirectHost(mask), DirectHost(mask)
    attacker_key = X25519PrivateKey.generate()
    frame = Pair(public_bytes(attacker_key), random_nonce()).encode(1)
    assert v1_would_execute(frame, Pair)
    assert attacker.write(frame) is not None  # the mask answers with public values only
    # The attacker's confirm before any press: the mask waits for the button.
    assert attacker.send(PairConfirm(bytes(16))).result is ResultCode.NOT_AUTHENTICATED
    assert all(slot.state.name == "EMPTY" for slot in mask.slots())
    # The person's host opens its own exchange; only the press after it pairs anything.
    host.send(Pair(public_bytes(X25519PrivateKey.generate()), random_nonce()))
    assert mask.pairing_mode


async def test_injected_limits_and_start_after_authentication_do_nothing(
    mask: VirtualMask, authed: MaskClient
) -> None:
    """v1: injected SET_LIMITS + START without await_button ran 20 mmHg under the eye."""
    loosen = SetLimits(LOOSE).encode(200)
    start = StartSession(UNDER_EYE_20.steps, 600, await_button=False).encode(201)
    assert v1_would_execute(loosen, SetLimits)
    assert v1_would_execute(start, StartSession)
    limits = mask.limits
    received = len(mask.received)
    mask.write_control_point(loosen)
    mask.write_control_point(start)
    await advance(mask, 3.0)
    assert len(mask.received) == received
    assert mask.limits == limits
    assert not pressurised(mask)
    # The host's own sealed frames still work on the same link.
    assert (await authed.read_limits()) == limits
    # A few injected frames in a row close the link; the mask never ran anything.
    for _ in range(MAX_BAD_FRAMES):
        mask.write_control_point(start)
    await settle()
    assert not mask.connected
    assert not authed.is_connected
    assert not pressurised(mask)


async def test_a_recorded_start_replayed_after_stop_does_not_start(
    mask: VirtualMask, authed: MaskClient
) -> None:
    """v1: a recorded START replayed after STOP started again."""
    await authed.start_session(FACE, max_duration_s=600, await_button=False)
    captured = mask.written_frames[-1]
    assert v1_would_execute(captured, StartSession)
    await advance(mask, 2.0)
    await authed.stop()
    await advance(mask, 6.0)
    assert not mask.session_active
    mask.write_control_point(captured)
    await advance(mask, 2.0)
    assert not mask.session_active
    assert not pressurised(mask)


async def test_replayed_heartbeats_do_not_keep_a_hijacked_session(
    mask: VirtualMask, authed: MaskClient
) -> None:
    """v1: replayed HEARTBEAT bytes kept a session alive; now the mask vents within 3 s."""
    await authed.start_session(FACE, max_duration_s=600, await_button=False)
    await authed.heartbeat()
    heartbeat = mask.written_frames[-1]
    assert v1_would_execute(heartbeat, Heartbeat)
    authed.stop_heartbeats()  # the host is gone; an attacker replays what it recorded
    mask.written_frames.clear()
    elapsed = 0.0
    while mask.session_active and elapsed < HEARTBEAT_TIMEOUT_S + 1.0:
        mask.write_control_point(heartbeat)
        await advance(mask, 0.5)
        elapsed += 0.5
    assert not mask.session_active
    assert mask.fault in (FaultCode.HEARTBEAT_TIMEOUT, FaultCode.LINK_LOST)
    await advance(mask, VENT_DEADLINE_S)
    assert mask.pressure_mmhg < VENT_SAFE_MMHG


async def test_a_forged_status_cannot_blind_the_host(
    mask: VirtualMask, authed: MaskClient, statuses: list[Status]
) -> None:
    """v1: a forged low-pressure status blinded supervision; the host now drops it."""
    await advance(mask, 1.0)
    real = list(statuses)
    forged = Status(
        0.0, Phase.IDLE, Zone.NONE, 0, 0, 0, 0, 0, FaultCode.NONE, StatusFlags.AUTHENTICATED
    ).encode()
    dropped: list[bool] = []
    authed._on_disconnect = lambda: dropped.append(True)
    for _ in range(MAX_BAD_FRAMES):
        mask.inject_notification(STATUS_UUID, forged)
        mask.inject_notification(STATUS_UUID, forged + bytes(12))
        await settle()
    assert statuses == real or all(status.authenticated for status in statuses[len(real) :])
    assert forged not in [status.encode() for status in statuses[len(real) :]]
    # The host noticed and closed the link (the mask vents on link loss).
    assert dropped == [True]
    assert not authed.is_connected


async def test_the_mask_requires_its_button_whatever_the_host_sends(
    mask: VirtualMask, authed: MaskClient
) -> None:
    """v1: the button rule lived in the host only; a key holder started at once."""
    mask.limits = DeviceLimits(30.0, 15.0, 20.0, 600)  # factory setting: button required
    with pytest.raises(CommandRejected) as err:
        await authed.start_session(FACE, max_duration_s=600, await_button=False)
    assert err.value.result is ResultCode.BUTTON_REQUIRED
    assert not mask.session_active
    # Clearing the setting over the air waits for a press at the mask.
    with pytest.raises(CommandRejected) as err:
        await authed.set_limits(DeviceLimits(30.0, 15.0, 20.0, 600, require_button=False))
    assert err.value.result is ResultCode.AWAITING_BUTTON
    assert mask.limits.require_button
    with pytest.raises(CommandRejected):
        await authed.start_session(FACE, max_duration_s=600, await_button=False)
    assert not pressurised(mask)
    # Armed, it starts only at the press.
    await authed.start_session(FACE, max_duration_s=600, await_button=True)
    assert mask.phase is Phase.ARMED


async def test_another_hosts_key_is_useless_and_revocable(mask: VirtualMask) -> None:
    """v1: one shared key, revocable only by a factory reset, good for impersonating the mask."""
    other_key = bytes(range(100, 132))
    mask.add_host(1, other_key)
    # The other host's key does not open this host's slot.
    thief = make_client(mask, credentials=HostCredentials(0, other_key, mask.identity_public))
    await thief.connect()
    with pytest.raises(Exception, match="prove"):
        await thief.authenticate()
    await thief.disconnect()
    # This host revokes the other one; its key no longer works, this host's still does.
    host = make_client(mask)
    await host.connect()
    await host.authenticate()
    await host.revoke_slot(1)
    await host.disconnect()
    other = make_client(mask, credentials=HostCredentials(1, other_key, mask.identity_public))
    await other.connect()
    with pytest.raises(KeyRejectedError):
        await other.authenticate()
    await other.disconnect()
    await host.connect()
    await host.authenticate()
    assert host.authenticated
    await host.disconnect()


async def test_an_injected_auth_hello_does_not_break_the_hosts_handshake(
    mask: VirtualMask,
) -> None:
    """v1: an AUTH_CHALLENGE injected mid-handshake failed the proof and forced a re-pair."""
    injected = AuthHello(0, random_nonce(), public_bytes(X25519PrivateKey.generate())).encode(99)
    original = mask.write_control_point

    def inject_before_finish(data: bytes) -> None:
        if data[0] == 0x03:  # the host's AUTH_FINISH is on its way: inject first
            original(injected)
        original(data)

    mask.write_control_point = inject_before_finish  # type: ignore[method-assign]
    client = make_client(mask)
    await client.connect()
    await client.authenticate()
    assert client.authenticated
    assert injected in mask.written_frames
    await client.disconnect()


async def test_a_central_that_never_authenticates_is_dropped(mask: VirtualMask) -> None:
    """v1: a central that never authenticated held the only link forever."""
    squatter = make_client(mask)
    await squatter.connect()
    await advance(mask, AUTH_TIMEOUT_S - 0.5)
    assert mask.connected
    await advance(mask, 1.0)
    assert not mask.connected
    # The rightful host gets in.
    host = make_client(mask)
    await host.connect()
    await host.authenticate()
    assert host.authenticated
    await host.disconnect()


async def test_stop_and_vent_from_anyone_in_every_state(
    mask: VirtualMask, authed: MaskClient
) -> None:
    """Safety first: an unauthenticated STOP on an authenticated link still stops."""
    await authed.start_session(FACE, max_duration_s=600, await_button=False)
    await advance(mask, 2.0)
    assert mask.session_active
    mask.write_control_point(Stop().encode(77))
    await settle()
    assert not mask.session_active
    assert mask.connected
    assert decode_frame(mask.sent_frames[-1]).sealed


async def test_control_point_injection_toward_the_host_is_dropped(
    mask: VirtualMask, authed: MaskClient
) -> None:
    """A forged plain response on an authenticated link does not answer the host's request."""
    forged = decode_frame(mask.sent_frames[-1]).plain  # a real answer, stripped of its seal
    mask.inject_notification(CONTROL_POINT_UUID, forged)
    await settle()
    assert authed.is_connected
    assert (await authed.read_status()).authenticated


def test_fingerprints_differ_between_identities() -> None:
    """Two identities never share a label (64 bits of SHA-256)."""
    first, second = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    assert fingerprint(public_bytes(first)) != fingerprint(public_bytes(second))
