"""The security primitives on their own: agreement, derivations, sealing and opening."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
import pytest

from custom_components.pressure_mask.mask_ble.codec import TRAILER_LENGTH, Heartbeat
from custom_components.pressure_mask.mask_ble.secure import (
    MAX_COUNTER,
    HostCredentials,
    PairingTranscript,
    SecureLink,
    SessionKeys,
    fingerprint,
    key_agreement,
    public_bytes,
    random_nonce,
    slot_key,
)


def _keys(host_key: bytes = bytes(32)) -> SessionKeys:
    return SessionKeys.derive(
        host_key,
        bytes(32),
        slot=0,
        host_nonce=bytes(16),
        device_nonce=bytes(16),
        ephemeral_public=bytes(32),
    )


def test_both_sides_agree_and_slots_get_different_keys() -> None:
    host, mask = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    transcript = PairingTranscript(
        public_bytes(host), random_nonce(), public_bytes(mask), random_nonce()
    )
    pairing_key = transcript.pairing_key(key_agreement(host, public_bytes(mask)))
    assert pairing_key == transcript.pairing_key(key_agreement(mask, public_bytes(host)))
    assert transcript.host_proof(pairing_key) != transcript.device_proof(pairing_key)
    assert slot_key(pairing_key, 0) != slot_key(pairing_key, 1)
    credentials = HostCredentials(0, slot_key(pairing_key, 0), public_bytes(mask))
    assert credentials.fingerprint == fingerprint(public_bytes(mask))
    assert "host_key" not in repr(credentials)  # never printed with the credentials


def test_a_public_key_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        key_agreement(X25519PrivateKey.generate(), bytes(31))


def test_sealed_frames_open_once_in_order_and_in_one_direction() -> None:
    keys = _keys()
    host, mask = SecureLink.for_host(keys), SecureLink.for_mask(keys)
    frame = Heartbeat().encode(1)
    first, second = host.sealer.seal(frame), host.sealer.seal(frame)
    assert first != second  # a new counter and tag each time
    assert mask.opener.open(second[:-TRAILER_LENGTH], second[-TRAILER_LENGTH:])
    assert not mask.opener.open(first[:-TRAILER_LENGTH], first[-TRAILER_LENGTH:])  # older
    assert not mask.opener.open(second[:-TRAILER_LENGTH], second[-TRAILER_LENGTH:])  # replay
    # A frame the host sealed does not open as one from the mask, and vice versa.
    third = host.sealer.seal(frame)
    assert not host.opener.open(third[:-TRAILER_LENGTH], third[-TRAILER_LENGTH:])
    assert not mask.opener.open(third[:-TRAILER_LENGTH], third[-4:])  # a short trailer
    other = SecureLink.for_mask(_keys(bytes(range(32))))
    assert not other.opener.open(third[:-TRAILER_LENGTH], third[-TRAILER_LENGTH:])
    assert mask.opener.open(third[:-TRAILER_LENGTH], third[-TRAILER_LENGTH:])


def test_the_counter_never_wraps() -> None:
    sealer = SecureLink.for_host(_keys()).sealer
    sealer.counter = MAX_COUNTER
    with pytest.raises(OverflowError):
        sealer.seal(Heartbeat().encode(1))
