"""Cases for the security requirements of protocol version 2 (docs/protocol.md 13.16-13.20).

Like every case they see the mask only through the protocol. Pairing cases need the maker's
button (long press for pairing mode, short press to confirm), so they prompt for it or are
skipped under --unattended; each revokes the slots it paired (pairing mode closes by itself
within 30 s, and every case starts once it has).
Frames a conforming host would never send (replays, bad tags, plain frames on a sealed link,
wrapped counters) are built with the suite's own session keys.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from custom_components.pressure_mask.mask_ble.codec import (
    AuthFinish,
    AuthOffer,
    Heartbeat,
    KeySlot,
    Pair,
    PairConfirm,
    PairOffer,
    ProtocolError,
    ReadLimits,
    ReadSlots,
    ReadStatus,
    RevokeSlot,
    SetLimits,
    SlotState,
    StartSession,
    Stop,
    Vent,
    decode_frame,
    encode_frame,
    parse_proof,
    parse_slots,
)
from custom_components.pressure_mask.mask_ble.const import (
    AUTH_TIMEOUT_S,
    COUNTER_LENGTH,
    HEARTBEAT_TIMEOUT_S,
    HOST_ID_LENGTH,
    KEY_SLOTS,
    PAIRING_WINDOW_S,
    TAG_LENGTH,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.mask_ble.secure import (
    MASK_TO_HOST,
    MAX_COUNTER,
    AuthAttempt,
    FrameOpener,
    HostCredentials,
    PairingExchange,
    PairingRequest,
    SecureLink,
    SessionKeys,
    host_id,
    key_agreement,
    public_bytes,
    random_nonce,
)

from .cases import LATE_S, RUNNING, arm, breathing, case, ended, frame, pressed, running, stop
from .link import SLICE_S
from .runner import SUITE_LIMITS, CaseFailed, Context
from .target import Action

if TYPE_CHECKING:
    from collections.abc import Callable

    from custom_components.pressure_mask.mask_ble.codec import Command, Status

TRAILER: Final = COUNTER_LENGTH + TAG_LENGTH
# An X25519 public key whose shared secret with any private key is all zeros.
LOW_ORDER_KEY: Final = bytes(32)
# How late a status notification may be (REQ-STATUS-03).
NOTIFIED_S: Final = 0.1
PAIRING_ACTIONS: Final = (Action.PAIRING_HOLD, Action.SHORT_PRESS)


# --- Building blocks ---------------------------------------------------------------------------


async def status_at(
    ctx: Context, predicate: Callable[[Status], bool], timeout_s: float, what: str, since: int
) -> float:
    """The target time of the first status notified from index `since` that satisfies predicate."""
    end = ctx.now() + timeout_s
    while True:
        for at, status in ctx.link.statuses[since:]:
            if predicate(status):
                ctx.cite_status(status)
                return at
        ctx.check(ctx.now() < end, f"no status with {what} within {timeout_s:g} s")
        await ctx.run(SLICE_S)


async def open_pairing_mode(ctx: Context) -> float:
    """A long press at the idle mask; when the pairing flag was notified (authenticated link)."""
    await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    seen = len(ctx.link.statuses)
    await ctx.act(Action.PAIRING_HOLD)
    return await status_at(ctx, lambda s: s.pairing_mode, 1.0, "the pairing flag", seen)


async def begin_pairing(ctx: Context, *, new_link: bool = True) -> PairingExchange:
    """PAIR on an unauthenticated link (a new one unless asked otherwise): the open exchange."""
    if new_link:
        await ctx.connect(authenticate=False)
    request = PairingRequest.new()
    response = await ctx.send(request.command(), ResultCode.SUCCESS)
    assert response is not None  # noqa: S101 - send checked the result
    try:
        exchange = request.exchange(PairOffer.decode(response.payload))
    except (ProtocolError, ValueError) as err:
        raise CaseFailed(f"PAIR answer {response.payload.hex(' ')}: {err}") from err
    ctx.cite(f"fingerprint {exchange.fingerprint}")
    return exchange


async def confirm(ctx: Context, exchange: PairingExchange) -> HostCredentials:
    """PAIR_CONFIRM after the press: SUCCESS with a device proof that verifies."""
    response = await ctx.send(exchange.confirm(), ResultCode.SUCCESS)
    assert response is not None  # noqa: S101 - send checked the result
    try:
        credentials = exchange.credentials(parse_proof(response.payload))
    except ProtocolError:
        credentials = None
    ctx.check(credentials is not None, "the PAIR_CONFIRM answer is not the device proof")
    assert credentials is not None  # noqa: S101 - narrowed by check
    return credentials


async def pair_new_slot(ctx: Context) -> tuple[PairingExchange, HostCredentials]:
    """Pairing mode, PAIR, the press, PAIR_CONFIRM: a new slot (the link stays unauthenticated)."""
    await ctx.connect()
    await open_pairing_mode(ctx)
    exchange = await begin_pairing(ctx)
    await ctx.act(Action.SHORT_PRESS)
    return exchange, await confirm(ctx, exchange)


async def revoke(ctx: Context, *slots: int) -> None:
    """From the suite's own link, revoke the slots a case paired."""
    await ctx.connect()
    for slot in slots:
        await ctx.send(RevokeSlot(slot), ResultCode.SUCCESS)


async def slots(ctx: Context) -> tuple[KeySlot, ...]:
    """READ_SLOTS on the authenticated link, decoded."""
    response = await ctx.send(ReadSlots(), ResultCode.SUCCESS)
    assert response is not None  # noqa: S101 - send checked the result
    try:
        return parse_slots(response.payload)
    except ProtocolError as err:
        raise CaseFailed(f"READ_SLOTS data {response.payload.hex(' ')}: {err}") from err


def empty_slots(listed: tuple[KeySlot, ...]) -> list[int]:
    """The numbers of the empty slots."""
    return [slot.slot for slot in listed if slot.state is SlotState.EMPTY]


def own(ctx: Context) -> HostCredentials:
    """The suite's own credentials."""
    credentials = ctx.target.credentials
    ctx.check(credentials is not None, "no credentials to authenticate with")
    assert credentials is not None  # noqa: S101 - narrowed by check
    return credentials


async def hello(ctx: Context, attempt: AuthAttempt) -> AuthOffer:
    """AUTH_HELLO: SUCCESS with nonce and device proof."""
    response = await ctx.send(attempt.hello(), ResultCode.SUCCESS)
    assert response is not None  # noqa: S101 - send checked the result
    try:
        return AuthOffer.decode(response.payload)
    except ProtocolError as err:
        raise CaseFailed(f"AUTH_HELLO answer {response.payload.hex(' ')}: {err}") from err


def finishing(
    ctx: Context, attempt: AuthAttempt, offer: AuthOffer
) -> tuple[AuthFinish, SecureLink]:
    """AUTH_FINISH and the link's keys for an offer whose device proof verifies."""
    finished = attempt.finish(offer)
    ctx.check(finished is not None, "the device proof does not verify against the identity")
    assert finished is not None  # noqa: S101 - narrowed by check
    return finished


async def complete(ctx: Context, finished: tuple[AuthFinish, SecureLink]) -> None:
    """AUTH_FINISH: SUCCESS, then the link seals, and a sealed HEARTBEAT gets SUCCESS."""
    await ctx.send(finished[0], ResultCode.SUCCESS)
    ctx.link.secure = finished[1]
    await ctx.send(Heartbeat(), ResultCode.SUCCESS)


async def authenticate(ctx: Context, credentials: HostCredentials) -> SessionKeys:
    """The handshake of section 7.2 on the current link; the session keys it agreed."""
    attempt = AuthAttempt.new(credentials)
    offer = await hello(ctx, attempt)
    await complete(ctx, finishing(ctx, attempt, offer))
    return SessionKeys.derive(
        credentials.host_key,
        key_agreement(attempt.ephemeral, credentials.mask_identity),
        slot=credentials.slot,
        host_nonce=attempt.host_nonce,
        device_nonce=offer.device_nonce,
        ephemeral_public=public_bytes(attempt.ephemeral),
    )


def sealed(ctx: Context, command: Command | bytes) -> bytes:
    """A frame sealed with the link's next counter, to be written as it is (or altered)."""
    secure = ctx.link.secure
    ctx.check(secure is not None, "the link is not authenticated")
    assert secure is not None  # noqa: S101 - narrowed by check
    plain = command.encode(ctx.link.next_seq()) if not isinstance(command, bytes) else command
    return secure.sealer.seal(plain)


def with_counter(data: bytes, counter: int) -> bytes:
    """A sealed frame with its counter replaced (its tag no longer matches)."""
    plain, tag = data[:-TRAILER], data[-TAG_LENGTH:]
    return plain + counter.to_bytes(COUNTER_LENGTH, "little") + tag


async def dropped(ctx: Context, data: bytes, what: str) -> None:
    """The frame gets no response; a sealed READ_STATUS after it still works (and resets the
    rejected-frame count, REQ-SEAL-05)."""
    ctx.link.note(what.encode())
    await ctx.send(data, None, sealed=False)
    await ctx.send(ReadStatus(), ResultCode.SUCCESS)


async def not_a_heartbeat(ctx: Context, make: Callable[[], bytes], what: str) -> None:
    """With an armed session, two such frames after the last heartbeat do not keep it: it ends
    with HEARTBEAT_TIMEOUT 3 s after that heartbeat, on a link that is still up."""
    await arm(ctx)
    await ctx.send(Heartbeat(), ResultCode.SUCCESS)
    last = ctx.now()
    for _ in range(2):
        await ctx.run(1.0, heartbeat=False)
        await ctx.link.write(make(), sealed=False)
    status = await ctx.wait_for(
        lambda s: s.fault is FaultCode.HEARTBEAT_TIMEOUT,
        HEARTBEAT_TIMEOUT_S - 2.0 + LATE_S + NOTIFIED_S,
        f"HEARTBEAT_TIMEOUT ({what} are not heartbeats)",
        heartbeat=False,
    )
    ctx.check(status.stop_reason is StopReason.FAULT, f"stop reason {status.stop_reason.name}")
    ctx.check(ctx.link.connected, "the link dropped after two rejected frames")
    ctx.cite(f"timed out {ctx.now() - last:.2f} s after the last heartbeat")


async def link_drops(ctx: Context, within_s: float, what: str) -> float:
    """Wait until the mask drops the link; when it did."""
    end = ctx.now() + within_s
    while ctx.link.connected and ctx.now() < end:
        await ctx.target.sleep(SLICE_S)
    if ctx.link.connected:  # the evidence: the mask still answers
        await ctx.send(ReadStatus(), ResultCode.SUCCESS)
    ctx.check(not ctx.link.connected, f"the link was not dropped {what}")
    return ctx.now()


def last_written(ctx: Context, opcode: Opcode) -> bytes:
    """The wire bytes of the last frame with this opcode the suite wrote."""
    return next(
        line.data
        for line in reversed(ctx.transcript)
        if line.kind == "→" and line.data[:1] == bytes((opcode,))
    )


def reject_safe(ctx: Context) -> Callable[[], bytes]:
    """Frames with a bad tag, one per call."""

    def make() -> bytes:
        data = bytearray(sealed(ctx, Heartbeat()))
        data[-1] ^= 0x01
        return bytes(data)

    return make


# --- 13.16 Pairing -----------------------------------------------------------------------------


@case(
    "REQ-PAIR-01",
    "pairing mode opens only on a long press while idle; PAIR outside it is refused",
    actions=(Action.HOLD, Action.PAIRING_HOLD),
)
async def _pair_mode_opens(ctx: Context) -> None:
    ctx.check(not (await ctx.status()).pairing_mode, "pairing mode open before any press")
    await ctx.connect(authenticate=False)
    await ctx.send(PairingRequest.new().command(), ResultCode.PAIRING_MODE_REQUIRED)
    await ctx.connect()
    await pressed(ctx, Action.HOLD)
    ctx.check(not (await ctx.status()).pairing_mode, "a 2.5 s hold opened pairing mode")
    await open_pairing_mode(ctx)
    await begin_pairing(ctx)


@case("REQ-PAIR-02", "pairing mode closes 30 s after it opened", actions=(Action.PAIRING_HOLD,))
async def _pair_mode_window(ctx: Context) -> None:
    opened = await open_pairing_mode(ctx)
    since = len(ctx.link.statuses)
    closed = await status_at(
        ctx, lambda s: not s.pairing_mode, PAIRING_WINDOW_S + 2 * LATE_S, "no pairing flag", since
    )
    window = closed - opened
    ctx.cite(f"pairing mode lasted {window:.2f} s")
    ctx.check(window >= PAIRING_WINDOW_S - NOTIFIED_S, f"pairing mode closed after {window:.2f} s")
    ctx.check(window <= PAIRING_WINDOW_S + LATE_S, f"pairing mode closed after {window:.2f} s")
    await ctx.connect(authenticate=False)
    await ctx.send(PairingRequest.new().command(), ResultCode.PAIRING_MODE_REQUIRED)


@case(
    "REQ-PAIR-03",
    "a completed pairing closes pairing mode; a wrong proof does not",
    actions=PAIRING_ACTIONS,
)
async def _pair_mode_closes_on_success(ctx: Context) -> None:
    await open_pairing_mode(ctx)
    refused = await begin_pairing(ctx)
    await ctx.send(PairConfirm(bytes(16)), ResultCode.NOT_AUTHENTICATED)
    ctx.check((await ctx.status()).pairing_mode, "a wrong proof closed pairing mode")
    exchange = await begin_pairing(ctx, new_link=False)
    ctx.check(exchange.offer.slot == refused.offer.slot, "the refused exchange took a slot")
    await ctx.act(Action.SHORT_PRESS)
    credentials = await confirm(ctx, exchange)
    try:
        status = await ctx.status()
        ctx.cite_status(status)
        ctx.check(not status.pairing_mode, "pairing mode still open after the pairing")
        await ctx.send(PairingRequest.new().command(), ResultCode.PAIRING_MODE_REQUIRED)
    finally:
        await revoke(ctx, credentials.slot)


@case(
    "REQ-PAIR-04",
    "the exchange is bound to its link; a new PAIR replaces it; pairing mode stays",
    actions=PAIRING_ACTIONS,
)
async def _pair_exchange_bound_to_link(ctx: Context) -> None:
    before = await slots(ctx)
    await open_pairing_mode(ctx)
    exchange = await begin_pairing(ctx)
    await ctx.connect(authenticate=False)  # the exchange's link is gone
    await ctx.act(Action.SHORT_PRESS)
    await ctx.send(exchange.confirm(), ResultCode.INVALID_STATE)
    ctx.check((await ctx.status()).pairing_mode, "the link loss closed pairing mode")
    replaced = await begin_pairing(ctx, new_link=False)
    await ctx.act(Action.SHORT_PRESS)
    newest = await begin_pairing(ctx, new_link=False)
    await ctx.run(AUTH_TIMEOUT_S + 1.0)
    ctx.check(ctx.link.connected, "the link with an open exchange was dropped after 10 s")
    await ctx.send(newest.confirm(), ResultCode.AWAITING_BUTTON)
    await ctx.send(replaced.confirm(), ResultCode.NOT_AUTHENTICATED)
    await ctx.connect()
    ctx.check(await slots(ctx) == before, "the slots changed")


@case(
    "REQ-PAIR-05",
    "a pairing completes only after a short press made after its PAIR",
    actions=(*PAIRING_ACTIONS, Action.BOUNCE, Action.HOLD),
)
async def _pair_needs_the_press(ctx: Context) -> None:
    await open_pairing_mode(ctx)
    await ctx.connect(authenticate=False)
    await ctx.act(Action.SHORT_PRESS)  # before the PAIR: it does not count
    exchange = await begin_pairing(ctx, new_link=False)
    await ctx.send(exchange.confirm(), ResultCode.AWAITING_BUTTON)
    for action in (Action.BOUNCE, Action.HOLD):
        await ctx.act(action)
        await ctx.send(exchange.confirm(), ResultCode.AWAITING_BUTTON)
    await ctx.act(Action.SHORT_PRESS)
    credentials = await confirm(ctx, exchange)
    try:
        await authenticate(ctx, credentials)
        (listed,) = [s for s in await slots(ctx) if s.slot == credentials.slot]
        expected = host_id(exchange.transcript.host_public)
        ctx.check(listed.state is SlotState.THIS_HOST, f"new slot listed as {listed.state.name}")
        ctx.check(listed.host_id == expected, f"host id {listed.host_id.hex()}")
    finally:
        await revoke(ctx, credentials.slot)


@case(
    "REQ-PAIR-06",
    "a wrong PAIR_CONFIRM ends the exchange; no exchange: INVALID_STATE; low-order key: invalid",
    actions=PAIRING_ACTIONS,
)
async def _pair_wrong_proof(ctx: Context) -> None:
    before = await slots(ctx)
    await ctx.connect(authenticate=False)
    await ctx.send(PairConfirm(bytes(16)), ResultCode.INVALID_STATE)
    await ctx.connect()
    await open_pairing_mode(ctx)
    await ctx.connect(authenticate=False)
    await ctx.send(Pair(LOW_ORDER_KEY, random_nonce()), ResultCode.INVALID_PARAMETER)
    await ctx.send(PairConfirm(bytes(16)), ResultCode.INVALID_STATE)
    exchange = await begin_pairing(ctx, new_link=False)
    await ctx.act(Action.SHORT_PRESS)
    await ctx.run(AUTH_TIMEOUT_S + 1.0)
    await ctx.send(PairConfirm(bytes(16)), ResultCode.NOT_AUTHENTICATED)
    ended_at = ctx.now()
    await ctx.send(exchange.confirm(), ResultCode.INVALID_STATE)  # pressed, but ended
    # The exchange ended: the unauthenticated link has 10 s again (REQ-AUTH-06).
    await ctx.run(AUTH_TIMEOUT_S - 1.0 - (ctx.now() - ended_at))
    ctx.check(ctx.link.connected, "dropped before 10 s after the exchange ended")
    gone = await link_drops(ctx, 1.0 + LATE_S, "10 s after the exchange ended")
    ctx.cite(f"dropped {gone - ended_at:.2f} s after the exchange ended")
    await ctx.connect()
    ctx.check(await slots(ctx) == before, "the slots changed")


@case(
    "REQ-PAIR-07",
    "pairing does not authenticate; PAIR's check order",
    actions=PAIRING_ACTIONS,
)
async def _pair_does_not_authenticate(ctx: Context) -> None:
    await ctx.send(PairingRequest.new().command(), ResultCode.PAIRING_MODE_REQUIRED)
    await ctx.send(frame(ctx, Opcode.PAIR, bytes(47)), ResultCode.INVALID_PARAMETER)
    await open_pairing_mode(ctx)
    await ctx.send(PairingRequest.new().command(), ResultCode.INVALID_STATE)  # sealed
    exchange = await begin_pairing(ctx)
    await ctx.act(Action.SHORT_PRESS)
    credentials = await confirm(ctx, exchange)
    try:
        await ctx.send(
            StartSession((breathing(),), 60, await_button=True), ResultCode.NOT_AUTHENTICATED
        )
        ctx.check(not (await ctx.status()).authenticated, "pairing authenticated the link")
        await authenticate(ctx, credentials)  # on the link it paired on
        await ctx.send(Heartbeat(), ResultCode.SUCCESS)
    finally:
        await revoke(ctx, credentials.slot)


@case(
    "REQ-PAIR-08",
    "no frame carries K_pair, K_host or a session key; fresh nonces",
    actions=PAIRING_ACTIONS,
)
async def _pair_key_never_on_air(ctx: Context) -> None:
    await open_pairing_mode(ctx)
    first = await begin_pairing(ctx)
    exchange = await begin_pairing(ctx, new_link=False)
    ctx.check(first.offer.device_nonce != exchange.offer.device_nonce, "two exchanges share N_d")
    identity = own(ctx).mask_identity
    ctx.check(exchange.offer.device_public == identity, "PAIR answered another identity key")
    await ctx.act(Action.SHORT_PRESS)
    credentials = await confirm(ctx, exchange)
    try:
        keys = await authenticate(ctx, credentials)
        await ctx.send(Heartbeat(), ResultCode.SUCCESS)
        keys_by_name = {
            "K_pair": exchange.pairing_key,
            "K_host": credentials.host_key,
            "k_hm": keys.host_to_mask,
            "k_mh": keys.mask_to_host,
            "k_c": keys.confirm,
        }
        on_air = [line.data for line in ctx.transcript if line.kind != "note"]
        for name, secret in keys_by_name.items():
            windows = {secret[i : i + 8] for i in range(len(secret) - 7)}
            carried = [data.hex(" ") for data in on_air if any(w in data for w in windows)]
            ctx.check(not carried, f"{name} on air in {carried[:1]}")
        ctx.cite(f"{len(on_air)} frames on air, none with 8 bytes of a key")
    finally:
        await revoke(ctx, credentials.slot)


# --- 13.17 Key slots ---------------------------------------------------------------------------


@case("REQ-SLOT-01", "READ_SLOTS lists 4 slots: this host 02, others 01, empty 00 with zeros")
async def _slot_listing(ctx: Context) -> None:
    listed = await slots(ctx)
    ctx.check(len(listed) == KEY_SLOTS, f"{len(listed)} slots")
    mine = [s.slot for s in listed if s.state is SlotState.THIS_HOST]
    ctx.check(mine == [own(ctx).slot], f"this host's slot listed as {mine}")
    for slot in listed:
        zero = slot.host_id == bytes(HOST_ID_LENGTH)
        ctx.check(zero == (slot.state is SlotState.EMPTY), f"slot {slot.slot}: {slot}")


@case("REQ-SLOT-02", "with every slot paired, PAIR gets NO_FREE_SLOT", actions=PAIRING_ACTIONS)
async def _slot_full(ctx: Context) -> None:
    added: list[int] = []
    try:
        while free := empty_slots(await slots(ctx)):
            exchange, credentials = await pair_new_slot(ctx)
            ctx.check(exchange.offer.slot == free[0], f"offered {exchange.offer.slot}, not {free}")
            added.append(credentials.slot)
            await ctx.connect()
        full = await slots(ctx)
        await open_pairing_mode(ctx)
        await ctx.connect(authenticate=False)
        await ctx.send(PairingRequest.new().command(), ResultCode.NO_FREE_SLOT)
        ctx.check((await ctx.status()).pairing_mode, "NO_FREE_SLOT closed pairing mode")
        await ctx.connect()
        ctx.check(await slots(ctx) == full, "a slot changed")
    finally:
        await revoke(ctx, *added)


@case(
    "REQ-SLOT-03",
    "REVOKE_SLOT empties a slot; revoking the own slot drops the link",
    actions=PAIRING_ACTIONS,
)
async def _slot_revoke(ctx: Context) -> None:
    _exchange, credentials = await pair_new_slot(ctx)
    slot = credentials.slot
    try:
        await ctx.connect(authenticate=False)
        await authenticate(ctx, credentials)
        await ctx.send(RevokeSlot(slot), ResultCode.SUCCESS)
        await link_drops(ctx, 1.0, "after revoking its own slot")
        await ctx.connect(authenticate=False)
        await ctx.send(AuthAttempt.new(credentials).hello(), ResultCode.NOT_AUTHENTICATED)
        await ctx.connect()
        listed = await slots(ctx)
        ctx.check(listed[slot].state is SlotState.EMPTY, f"revoked slot listed as {listed[slot]}")
        ctx.check(listed[own(ctx).slot].state is SlotState.THIS_HOST, "the suite's slot changed")
        await ctx.send(RevokeSlot(slot), ResultCode.SUCCESS)  # already empty
        ctx.check(await slots(ctx) == listed, "revoking an empty slot changed the slots")
    finally:
        await revoke(ctx, slot)


@case("REQ-SLOT-04", "READ_SLOTS and REVOKE_SLOT need authentication; bad slot numbers invalid")
async def _slot_needs_auth(ctx: Context) -> None:
    before = await slots(ctx)
    await ctx.connect(authenticate=False)
    await ctx.send(ReadSlots(), ResultCode.NOT_AUTHENTICATED)
    await ctx.send(RevokeSlot(own(ctx).slot), ResultCode.NOT_AUTHENTICATED)
    for payload in (bytes((KEY_SLOTS,)), b"", b"\x00\x00"):
        await ctx.send(frame(ctx, Opcode.REVOKE_SLOT, payload), ResultCode.INVALID_PARAMETER)
    await ctx.connect()
    ctx.check(await slots(ctx) == before, "the slots changed")


# --- 13.18 Authentication ----------------------------------------------------------------------


@case("REQ-AUTH-01", "AUTH_HELLO: empty slot refused; a fresh nonce and a proof that verifies")
async def _auth_hello(ctx: Context) -> None:
    credentials = own(ctx)
    empty = empty_slots(await slots(ctx))
    await ctx.connect(authenticate=False)
    if empty:
        other = HostCredentials(empty[0], credentials.host_key, credentials.mask_identity)
        await ctx.send(AuthAttempt.new(other).hello(), ResultCode.NOT_AUTHENTICATED)
    else:
        ctx.cite("every slot is paired: the empty-slot check is not possible")
    attempts = [AuthAttempt.new(credentials) for _ in range(2)]
    offers = [await hello(ctx, attempt) for attempt in attempts]
    ctx.check(offers[0].device_nonce != offers[1].device_nonce, "two handshakes share N_d")
    finishing(ctx, attempts[0], offers[0])
    await complete(ctx, finishing(ctx, attempts[1], offers[1]))


@case("REQ-AUTH-02", "a wrong AUTH_FINISH: NOT_AUTHENTICATED, unauthenticated, handshakes kept")
async def _auth_wrong_proof(ctx: Context) -> None:
    credentials = own(ctx)
    await ctx.connect(authenticate=False)
    await ctx.send(AuthFinish(bytes(16)), ResultCode.NOT_AUTHENTICATED)  # none open
    attempt = AuthAttempt.new(credentials)
    finished = finishing(ctx, attempt, await hello(ctx, attempt))
    await ctx.send(AuthFinish(bytes(16)), ResultCode.NOT_AUTHENTICATED)
    await ctx.send(Heartbeat(), ResultCode.NOT_AUTHENTICATED)
    ctx.check(not (await ctx.status()).authenticated, "authenticated by a wrong proof")
    await complete(ctx, finished)
    # Counted as rejected frames: the third wrong proof on a link drops it (REQ-SEAL-05).
    await ctx.connect(authenticate=False)
    for _ in range(3):
        await ctx.link.write(AuthFinish(bytes(16)).encode(ctx.link.next_seq()))
    await link_drops(ctx, 1.0, "after three wrong proofs")


@case("REQ-AUTH-03", "a proof on an authenticated link never revokes it")
async def _auth_kept(ctx: Context) -> None:
    attempt = AuthAttempt.new(own(ctx))
    await ctx.send(attempt.hello(), ResultCode.INVALID_STATE)
    await ctx.send(AuthFinish(bytes(16)), ResultCode.INVALID_STATE)
    await ctx.send(AuthFinish(bytes(16)), None, sealed=False)
    await ctx.send(attempt.hello(), None, sealed=False)
    await ctx.send(Heartbeat(), ResultCode.SUCCESS)
    status = await ctx.status()
    ctx.cite_status(status)
    ctx.check(status.authenticated, "the link lost its authentication")


@case("REQ-AUTH-04", "a malformed AUTH_HELLO or AUTH_FINISH consumes nothing")
async def _auth_malformed(ctx: Context) -> None:
    credentials = own(ctx)
    await ctx.connect(authenticate=False)
    attempt = AuthAttempt.new(credentials)
    finished = finishing(ctx, attempt, await hello(ctx, attempt))
    proof = finished[0].host_proof
    good_hello = attempt.hello().encode_payload()
    for opcode, payload in (
        (Opcode.AUTH_FINISH, proof[:-1]),
        (Opcode.AUTH_FINISH, proof + b"\x00"),
        (Opcode.AUTH_HELLO, good_hello[:-1]),
        (Opcode.AUTH_HELLO, bytes((KEY_SLOTS,)) + good_hello[1:]),
        (Opcode.AUTH_HELLO, bytes((credentials.slot,)) + random_nonce() + LOW_ORDER_KEY),
    ):
        await ctx.send(frame(ctx, opcode, payload), ResultCode.INVALID_PARAMETER)
    await complete(ctx, finished)


@case("REQ-AUTH-05", "the last 4 handshakes of a link stay open; an older one is gone")
async def _auth_four_handshakes(ctx: Context) -> None:
    credentials = own(ctx)
    await ctx.connect(authenticate=False)
    attempts = [AuthAttempt.new(credentials) for _ in range(5)]
    finishes = [finishing(ctx, a, await hello(ctx, a)) for a in attempts]
    await ctx.send(finishes[0][0], ResultCode.NOT_AUTHENTICATED)
    await complete(ctx, finishes[1])


@case("REQ-AUTH-06", "a link that does not authenticate is dropped at 10 s; an authenticated one")
async def _auth_timeout(ctx: Context) -> None:
    await ctx.link.close()
    connecting = ctx.now()
    await ctx.connect(authenticate=False)
    connected = ctx.now()
    await ctx.run(AUTH_TIMEOUT_S - (ctx.now() - connecting) - LATE_S)  # heartbeats, refused
    ctx.check(ctx.link.connected, f"dropped {ctx.now() - connecting:.2f} s after connecting")
    gone = await link_drops(ctx, 2 * LATE_S + SLICE_S, "within 10 s + 250 ms")
    ctx.cite(f"dropped {gone - connected:.2f} s after connecting")
    ctx.check(gone - connecting >= AUTH_TIMEOUT_S, "dropped before 10 s")
    ctx.check(gone - connected <= AUTH_TIMEOUT_S + LATE_S, "dropped after 10.25 s")
    await ctx.connect()
    await ctx.run(AUTH_TIMEOUT_S + 2.0)
    ctx.check(ctx.link.connected, "an authenticated link was dropped")


# --- 13.19 Sealed frames -----------------------------------------------------------------------


@case("REQ-SEAL-01", "after AUTH_FINISH every response and status is sealed, counters from 1")
async def _seal_everything(ctx: Context) -> None:
    await ctx.connect(authenticate=False)
    start = len(ctx.transcript)
    keys = await authenticate(ctx, own(ctx))
    await arm(ctx)
    await ctx.run(2.0)
    await stop(ctx)
    lines = ctx.transcript[start:]
    finish_answer = next(
        i
        for i, line in enumerate(lines)
        if line.kind == "←" and line.data[:1] == b"\x80" and line.data[3:4] == b"\x03"
    )
    opener = FrameOpener(keys.mask_to_host, MASK_TO_HOST)
    counters: list[int] = []
    for line in lines[finish_answer + 1 :]:
        if line.kind not in ("←", "status"):
            continue
        plain, trailer = line.data[:-TRAILER], line.data[-TRAILER:]
        counter = int.from_bytes(trailer[:COUNTER_LENGTH], "little")
        ctx.check(opener.open(plain, trailer), f"not sealed with k_mh in order: {line}")
        counters.append(counter)
    ctx.check(counters[:1] == [1], f"first counter {counters[:1]}")
    ctx.cite(f"{len(counters)} sealed frames and statuses, counters 1..{counters[-1]}")


@case("REQ-SEAL-02", "a replayed (equal or lower) counter is dropped and is not a heartbeat")
async def _seal_replay(ctx: Context) -> None:
    await arm(ctx)
    start_wire = last_written(ctx, Opcode.START_SESSION)
    await stop(ctx)
    await dropped(ctx, start_wire, "replayed START_SESSION")
    ctx.check(not (await ctx.status()).session_active, "the replayed START started a session")
    older, newer = sealed(ctx, ReadStatus()), sealed(ctx, ReadStatus())
    await ctx.send(newer, ResultCode.SUCCESS, sealed=False)
    await dropped(ctx, older, "a lower counter")
    await dropped(ctx, newer, "the same counter again")
    await not_a_heartbeat(ctx, lambda: last_written(ctx, Opcode.HEARTBEAT), "replayed heartbeats")


@case("REQ-SEAL-03", "a bad tag is dropped silently and is not a heartbeat")
async def _seal_bad_tag(ctx: Context) -> None:
    start = StartSession((breathing(10.0),), 600, await_button=True)
    good = sealed(ctx, start)
    bit = bytearray(good)
    bit[-1] ^= 0x80
    await dropped(ctx, bytes(bit), "a bit flipped in the tag")
    good = sealed(ctx, start)
    counter = int.from_bytes(good[-TRAILER:-TAG_LENGTH], "little")
    await dropped(ctx, with_counter(good, counter + 100), "another counter")
    good = sealed(ctx, start)
    decoded = decode_frame(good)
    plain = encode_frame(Opcode.START_SESSION, (decoded.seq + 1) & 0xFF, decoded.payload)
    await dropped(ctx, plain + decoded.trailer, "another seq, the CRC recomputed")
    ctx.check(not (await ctx.status()).session_active, "a START with a bad tag started")
    await not_a_heartbeat(ctx, reject_safe(ctx), "heartbeats with a bad tag")


@case("REQ-SEAL-04", "plain frames after authentication and sealed ones before are dropped")
async def _seal_plain_dropped(ctx: Context) -> None:
    await dropped(ctx, Heartbeat().encode(ctx.link.next_seq()), "a plain HEARTBEAT")
    start = StartSession((breathing(10.0),), 600, await_button=True)
    await dropped(ctx, start.encode(ctx.link.next_seq()), "a plain START_SESSION")
    ctx.check(not (await ctx.status()).session_active, "a plain START started a session")
    await not_a_heartbeat(ctx, lambda: Heartbeat().encode(ctx.link.next_seq()), "plain heartbeats")
    await ctx.connect(authenticate=False)
    fake_seal = bytes(TRAILER)
    await ctx.send(ReadStatus().encode(ctx.link.next_seq()) + fake_seal, None)
    await ctx.send(ReadStatus(), ResultCode.SUCCESS)


@case("REQ-SEAL-05", "the third rejected frame in a row drops the link; a sealed one resets")
async def _seal_three_in_a_row(ctx: Context) -> None:
    bad = reject_safe(ctx)
    crc = bytearray(frame(ctx, Opcode.HEARTBEAT))
    crc[-1] ^= 0x01
    for data in (bad(), bytes(crc)):
        await ctx.link.write(data, sealed=False)
    await ctx.send(ReadStatus(), ResultCode.SUCCESS)  # an accepted sealed frame: back to 0
    await ctx.link.write(bad(), sealed=False)
    await ctx.link.write(Heartbeat().encode(ctx.link.next_seq()), sealed=False)
    # A plain STOP is executed but is no sealed frame: the count stays at 2.
    await ctx.send(Stop().encode(ctx.link.next_seq()), ResultCode.SUCCESS, sealed=False)
    await ctx.run(0.5, heartbeat=False)
    ctx.check(ctx.link.connected, "dropped after two rejected frames")
    await ctx.link.write(bad(), sealed=False)
    await link_drops(ctx, 1.0, "at the third rejected frame (a plain STOP in between)")
    await ctx.connect()
    await arm(ctx)
    for _ in range(3):
        await ctx.link.write(bad(), sealed=False)
    await link_drops(ctx, 1.0, "after three rejected frames in a row")
    await ctx.connect()
    status = await ctx.status()
    ctx.cite_status(status)
    ctx.check(status.fault is FaultCode.LINK_LOST, f"fault {status.fault.name} after the drop")


@case("REQ-SEAL-06", "counters never wrap: FFFFFFFF is accepted, then nothing sealed is")
async def _seal_no_wrap(ctx: Context) -> None:
    secure = ctx.link.secure
    ctx.check(secure is not None, "the link is not authenticated")
    assert secure is not None  # noqa: S101 - narrowed by check
    secure.sealer.counter = MAX_COUNTER - 1
    last = sealed(ctx, ReadStatus())
    await ctx.send(last, ResultCode.SUCCESS, sealed=False)
    secure.sealer.counter = 0
    await ctx.send(sealed(ctx, ReadStatus()), None, sealed=False)  # wrapped to 1
    await ctx.send(last, None, sealed=False)
    await ctx.send(Stop().encode(ctx.link.next_seq()), ResultCode.SUCCESS, sealed=False)
    await ctx.connect()  # a host reconnects


@case("REQ-SEAL-07", "STOP and VENT plain on an authenticated link: executed, answered sealed")
async def _seal_stop_from_anyone(ctx: Context) -> None:
    for command, reason in ((Stop(), StopReason.HOST_STOP), (Vent(), StopReason.HOST_VENT)):
        await running(ctx)
        answer = await ctx.send(
            command.encode(ctx.link.next_seq()), ResultCode.SUCCESS, sealed=False
        )
        ctx.check(answer is not None, "no answer")
        wire = next(line.data for line in reversed(ctx.transcript) if line.kind == "←")
        ctx.check(decode_frame(wire).sealed, f"plain answer {wire.hex(' ')}")
        await ctx.wait_for(ended(reason), 1.0, f"stop reason {reason.name}")
        await ctx.link.until(lambda s: s.phase is Phase.IDLE, 6.0)
    for _ in range(3):
        await ctx.send(Stop().encode(ctx.link.next_seq()), ResultCode.SUCCESS, sealed=False)
    await ctx.send(Heartbeat(), ResultCode.SUCCESS)
    status = await ctx.status()
    ctx.check(status.authenticated and ctx.link.connected, "plain STOPs cost the link")


# --- 13.20 What the mask enforces itself -------------------------------------------------------

FOREHEAD_OVER: Final = Step(Zone.FOREHEAD, 35.0, 1.0, 2.0, 2.0, 1)


@case(
    "REQ-GUARD-01",
    "with the button setting on, a START without await_button gets BUTTON_REQUIRED",
    actions=(Action.SHORT_PRESS,),
)
async def _guard_button_required(ctx: Context) -> None:
    await ctx.store_limits(replace(SUITE_LIMITS, require_button=True))
    for steps in ((breathing(10.0),), (FOREHEAD_OVER,)):
        await ctx.send(StartSession(steps, 600, await_button=False), ResultCode.BUTTON_REQUIRED)
        status = await ctx.status()
        ctx.check(not status.session_active, "a session started without the button")
    await arm(ctx)
    await stop(ctx)
    await ctx.store_limits(SUITE_LIMITS)  # clearing the setting needs the press


TIGHT: Final = replace(
    SUITE_LIMITS,
    face_max_mmhg=25.0,
    under_eye_max_mmhg=12.0,
    neck_max_mmhg=15.0,
    max_session_s=300,
    cooldown_s=60,
    require_button=True,
)
LOOSER: Final = (
    replace(TIGHT, face_max_mmhg=26.0),
    replace(TIGHT, under_eye_max_mmhg=13.0),
    replace(TIGHT, neck_max_mmhg=16.0),
    replace(TIGHT, max_session_s=301),
    replace(TIGHT, cooldown_s=59),
    replace(TIGHT, require_button=False),
)


async def stored(ctx: Context) -> bytes:
    """The limits READ_LIMITS gives."""
    response = await ctx.send(ReadLimits(), ResultCode.SUCCESS)
    assert response is not None  # noqa: S101 - send checked the result
    return response.payload


@case(
    "REQ-GUARD-02",
    "looser limits wait for a short press with no session; tighter apply at once",
    actions=(Action.SHORT_PRESS, Action.BOUNCE, Action.HOLD),
)
async def _guard_loosening(ctx: Context) -> None:
    await ctx.send(SetLimits(TIGHT), ResultCode.SUCCESS)
    for limits in LOOSER:
        await ctx.send(SetLimits(limits), ResultCode.AWAITING_BUTTON)
        ctx.check(await stored(ctx) == TIGHT.encode(), f"stored before the press: {limits}")
    tighter = replace(TIGHT, face_max_mmhg=24.0)
    await ctx.send(SetLimits(tighter), ResultCode.SUCCESS)
    await ctx.act(Action.SHORT_PRESS)
    ctx.check(await stored(ctx) == tighter.encode(), "a tightening kept the pending limits")
    no_cooldown = replace(tighter, cooldown_s=0)  # so the session below may start
    await ctx.send(SetLimits(no_cooldown), ResultCode.AWAITING_BUTTON)
    for action in (Action.BOUNCE, Action.HOLD):
        await ctx.act(action)
        ctx.check(await stored(ctx) == tighter.encode(), f"applied by {action.name}")
    await ctx.act(Action.SHORT_PRESS)
    ctx.check(await stored(ctx) == no_cooldown.encode(), "not applied by the short press")
    await ctx.send(SetLimits(replace(no_cooldown, face_max_mmhg=28.0)), ResultCode.AWAITING_BUTTON)
    await ctx.send(SetLimits(SUITE_LIMITS), ResultCode.AWAITING_BUTTON)  # replaces it
    await arm(ctx, max_duration_s=TIGHT.max_session_s)
    await ctx.act(Action.SHORT_PRESS)  # starts the session, applies nothing
    await ctx.wait_for(lambda s: s.phase in RUNNING, 1.0, "started by the press")
    ctx.check(
        await stored(ctx) == no_cooldown.encode(), "applied by a press that started a session"
    )
    await stop(ctx)
    await ctx.act(Action.SHORT_PRESS)
    ctx.check(await stored(ctx) == SUITE_LIMITS.encode(), "the later SET_LIMITS not applied")
