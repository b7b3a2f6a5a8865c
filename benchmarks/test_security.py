"""What protocol version 2 costs the host: sealed status notifications, pairing, authentication.

Receive path: the same 10-minute stream at 50 notifications per second (30,000 statuses of a
session) goes through the client's status handler twice in the same run, once sealed on an
authenticated link (AES-CCM open, counter check, parse) and once plain as before
authentication (parse only), with the same no-op consumer, so the difference is the AEAD.
Pairing and authentication: the client against the virtual mask through the bleak backend
(both sides run in this process, so the time is an upper bound for the host), and the host's
own cryptography for each alone.
"""

from __future__ import annotations

import time

from bleak.backends.device import BLEDevice
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from benchmarks.report import median, percentile, report
from custom_components.pressure_mask.mask_ble.client import MaskClient
from custom_components.pressure_mask.mask_ble.codec import Status
from custom_components.pressure_mask.mask_ble.const import (
    FaultCode,
    Phase,
    StatusFlags,
    Zone,
)
from custom_components.pressure_mask.mask_ble.secure import (
    PairingTranscript,
    SecureLink,
    SessionKeys,
    key_agreement,
    public_bytes,
    random_nonce,
    slot_key,
)
from devtools.virtual_mask import VirtualMask, VirtualMaskBackend, unregister_virtual_mask

NOTIFICATIONS = 50 * 60 * 10
REPETITIONS = 200
# The shipped coordinator's status handler p99 at 50/s (docs/performance.md, stream figures).
HANDLER_P99_BUDGET_US = 146.0


def _statuses() -> list[bytes]:
    return [
        Status(
            (index % 250) / 10,
            Phase.HOLDING,
            Zone.CHEEKS,
            index % 10,
            1 + index % 5,
            index // 50,
            600 - index // 50,
            index // 300,
            FaultCode.NONE,
            StatusFlags.SESSION_ACTIVE | StatusFlags.AUTHENTICATED,
        ).encode()
        for index in range(NOTIFICATIONS)
    ]


def _session_keys() -> SessionKeys:
    return SessionKeys.derive(
        bytes(32),
        bytes(32),
        slot=0,
        host_nonce=bytes(16),
        device_nonce=bytes(16),
        ephemeral_public=bytes(32),
    )


def _handler_cpu_us(client: MaskClient, stream: list[bytes]) -> list[float]:
    cpu: list[float] = []
    for data in stream:
        start = time.thread_time_ns()
        client._handle_status(None, bytearray(data))
        cpu.append((time.thread_time_ns() - start) / 1000)
    return cpu


def test_sealed_status_stream_cost() -> None:
    """The same 30,000 statuses, sealed and plain, through the client's handler."""
    statuses = _statuses()
    keys = _session_keys()
    mask_side = SecureLink.for_mask(keys)
    sealed = [mask_side.sealer.seal(data) for data in statuses]
    received: list[Status] = []
    device = BLEDevice("FE:ED:00:00:00:0B", "bench", {})
    plain_client = MaskClient(device, on_status=received.append)
    sealed_client = MaskClient(device, on_status=received.append)
    sealed_client._secure = SecureLink.for_host(keys)
    # Interleave the two runs in blocks, so both see the same machine load.
    plain_us: list[float] = []
    sealed_us: list[float] = []
    block = 1000
    for offset in range(0, NOTIFICATIONS, block):
        plain_us += _handler_cpu_us(plain_client, statuses[offset : offset + block])
        sealed_us += _handler_cpu_us(sealed_client, sealed[offset : offset + block])
    assert len(received) == 2 * NOTIFICATIONS  # every status opened and parsed
    added_p50 = median(sealed_us) - median(plain_us)
    report(
        "v2 status stream 10 min @ 50/s",
        "client handler CPU/notification p50 / p99, plain",
        f"{median(plain_us):.1f} / {percentile(plain_us, 99):.1f} us",
    )
    report(
        "v2 status stream 10 min @ 50/s",
        "client handler CPU/notification p50 / p99, sealed (AES-CCM-8)",
        f"{median(sealed_us):.1f} / {percentile(sealed_us, 99):.1f} us",
    )
    report(
        "v2 status stream 10 min @ 50/s",
        "sealed / plain (p50), added per notification",
        f"{median(sealed_us) / median(plain_us):.2f}x, +{added_p50:.1f} us",
    )
    report(
        "v2 status stream 10 min @ 50/s",
        "coordinator handler p99 + sealed client p99",
        f"{HANDLER_P99_BUDGET_US + percentile(sealed_us, 99):.0f} us "
        f"({HANDLER_P99_BUDGET_US:.0f} + {percentile(sealed_us, 99):.1f})",
        "within the 20 ms reaction budget",
        ok=HANDLER_P99_BUDGET_US + percentile(sealed_us, 99) < 20_000,
    )


def test_host_cryptography_per_pairing_and_connection() -> None:
    """The host's own share (CPU time): X25519, HKDF, proofs, for a pairing and a connection."""
    mask_identity = X25519PrivateKey.generate()
    device_public = public_bytes(mask_identity)
    pairing_us: list[float] = []
    auth_us: list[float] = []
    for _ in range(REPETITIONS):
        start = time.thread_time_ns()
        host = X25519PrivateKey.generate()
        transcript = PairingTranscript(
            public_bytes(host), random_nonce(), device_public, random_nonce()
        )
        pairing_key = transcript.pairing_key(key_agreement(host, device_public))
        transcript.host_proof(pairing_key)
        transcript.device_proof(pairing_key)
        host_key = slot_key(pairing_key, 0)
        pairing_us.append((time.thread_time_ns() - start) / 1000)

        start = time.thread_time_ns()
        ephemeral = X25519PrivateKey.generate()
        nonce = random_nonce()
        keys = SessionKeys.derive(
            host_key,
            key_agreement(ephemeral, device_public),
            slot=0,
            host_nonce=nonce,
            device_nonce=bytes(16),
            ephemeral_public=public_bytes(ephemeral),
        )
        keys.device_proof(nonce, bytes(16))
        keys.host_proof(nonce, bytes(16))
        SecureLink.for_host(keys)
        auth_us.append((time.thread_time_ns() - start) / 1000)
    report(
        "v2 host cryptography",
        f"pairing, host side CPU p50 / p99 (n={REPETITIONS})",
        f"{median(pairing_us):.0f} / {percentile(pairing_us, 99):.0f} us",
    )
    report(
        "v2 host cryptography",
        f"authentication, host side CPU p50 / p99 (n={REPETITIONS})",
        f"{median(auth_us):.0f} / {percentile(auth_us, 99):.0f} us",
    )


async def test_pairing_and_authentication_round_trips() -> None:
    """Client and virtual mask end to end (both in this process), without the button wait."""
    pairing_ms: list[float] = []
    auth_ms: list[float] = []
    for index in range(REPETITIONS // 4):
        mask = VirtualMask(f"FE:ED:00:00:01:{index:02X}")
        client = MaskClient(mask.ble_device(), client_kwargs={"backend": VirtualMaskBackend})
        await client.connect()
        mask.press_button(hold_s=3.0)
        start = time.perf_counter_ns()
        await client.begin_pairing()
        mask.press_button()
        await client.confirm_pairing()
        pairing_ms.append((time.perf_counter_ns() - start) / 1e6)
        await client.disconnect()
        await client.connect()
        start = time.perf_counter_ns()
        await client.authenticate()
        auth_ms.append((time.perf_counter_ns() - start) / 1e6)
        assert client.authenticated
        await client.disconnect()
        unregister_virtual_mask(mask)
    report(
        "v2 pairing / authentication",
        f"PAIR + PAIR_CONFIRM, host and virtual mask p50 / p99 (n={len(pairing_ms)})",
        f"{median(pairing_ms):.2f} / {percentile(pairing_ms, 99):.2f} ms",
    )
    report(
        "v2 pairing / authentication",
        f"AUTH_HELLO + AUTH_FINISH, host and virtual mask p50 / p99 (n={len(auth_ms)})",
        f"{median(auth_ms):.2f} / {percentile(auth_ms, 99):.2f} ms",
    )
