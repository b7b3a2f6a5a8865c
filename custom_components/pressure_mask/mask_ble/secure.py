"""Protocol version 2 security primitives, shared by the host client and the mask side.

Everything cryptographic lives here, so the codec stays a codec: pairing by X25519 key
agreement, the key schedule (HKDF-SHA256), proofs (HMAC-SHA256, truncated), and frame sealing
and opening (AES-CCM with an 8-byte tag over the whole plain frame, a u32 counter per
direction). Only `cryptography` is used; firmware uses the same primitives from mbedTLS/PSA.
docs/protocol.md sections 7 and 8 describe the same steps in prose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import hashlib
import hmac
import secrets
import struct
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESCCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .codec import TRAILER_LENGTH, AuthFinish, AuthHello, AuthOffer, Pair, PairConfirm, PairOffer
from .const import (
    COUNTER_LENGTH,
    HOST_ID_LENGTH,
    HOST_KEY_LENGTH,
    NONCE_LENGTH,
    PROOF_LENGTH,
    PUBLIC_KEY_LENGTH,
    TAG_LENGTH,
)

# Labels bind every derivation and proof to its purpose and direction.
PAIR_KEY_LABEL: Final = b"PMASK pair v2"
HOST_KEY_LABEL: Final = b"PMASK host key v2"
SESSION_KEY_LABEL: Final = b"PMASK session v2"
FINGERPRINT_LABEL: Final = b"PMASK identity v2"
HOST_ID_LABEL: Final = b"PMASK host id v2"
PAIR_HOST_PROOF_LABEL: Final = b"PMASK pair host v2"
PAIR_DEVICE_PROOF_LABEL: Final = b"PMASK pair device v2"
AUTH_HOST_PROOF_LABEL: Final = b"PMASK auth host v2"
AUTH_DEVICE_PROOF_LABEL: Final = b"PMASK auth device v2"

MAX_COUNTER: Final = 0xFFFFFFFF
_AEAD_KEY_LENGTH: Final = 16
_CONFIRM_KEY_LENGTH: Final = 32


# The first nonce byte: which side sealed the frame.
HOST_TO_MASK: Final = b"\x01"
MASK_TO_HOST: Final = b"\x02"


def _hkdf(secret: bytes, salt: bytes | None, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(secret)


def _proof(key: bytes, label: bytes, *parts: bytes) -> bytes:
    return hmac.new(key, label + b"".join(parts), hashlib.sha256).digest()[:PROOF_LENGTH]


def random_nonce() -> bytes:
    """A fresh 16-byte nonce."""
    return secrets.token_bytes(NONCE_LENGTH)


def public_bytes(private_key: X25519PrivateKey) -> bytes:
    """The raw 32-byte public key."""
    return private_key.public_key().public_bytes_raw()


def key_agreement(private_key: X25519PrivateKey, peer_public: bytes) -> bytes:
    """X25519 shared secret with a peer's raw public key (ValueError for a bad one)."""
    if len(peer_public) != PUBLIC_KEY_LENGTH:
        raise ValueError("public keys are 32 bytes")
    return private_key.exchange(X25519PublicKey.from_public_bytes(peer_public))


def fingerprint(identity_public: bytes) -> str:
    """The mask's identity fingerprint as printed on its label: 16 hex digits in 4 groups."""
    digest = hashlib.sha256(FINGERPRINT_LABEL + identity_public).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def host_id(host_public: bytes) -> bytes:
    """The short name a mask lists a paired host under (not a secret)."""
    return hashlib.sha256(HOST_ID_LABEL + host_public).digest()[:HOST_ID_LENGTH]


def same(a: bytes, b: bytes) -> bool:
    """Constant-time comparison."""
    return hmac.compare_digest(a, b)


# --- Pairing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairingTranscript:
    """Both public keys and nonces of one pairing exchange."""

    host_public: bytes
    host_nonce: bytes
    device_public: bytes
    device_nonce: bytes

    def _parts(self) -> tuple[bytes, ...]:
        return (self.host_public, self.device_public, self.host_nonce, self.device_nonce)

    def pairing_key(self, shared_secret: bytes) -> bytes:
        """K_pair = HKDF(shared, salt = Nh || Nd, info = label || Ph || Pd)."""
        return _hkdf(
            shared_secret,
            self.host_nonce + self.device_nonce,
            PAIR_KEY_LABEL + self.host_public + self.device_public,
            HOST_KEY_LENGTH,
        )

    def host_proof(self, pairing_key: bytes) -> bytes:
        """What the host sends in PAIR_CONFIRM."""
        return _proof(pairing_key, PAIR_HOST_PROOF_LABEL, *self._parts())

    def device_proof(self, pairing_key: bytes) -> bytes:
        """What the mask answers PAIR_CONFIRM with, once the button was pressed."""
        return _proof(pairing_key, PAIR_DEVICE_PROOF_LABEL, *self._parts())


def slot_key(pairing_key: bytes, slot: int) -> bytes:
    """The long-term key of one host slot: HKDF-Expand of K_pair bound to the slot number."""
    return _hkdf(pairing_key, None, HOST_KEY_LABEL + bytes((slot,)), HOST_KEY_LENGTH)


@dataclass(frozen=True, slots=True)
class HostCredentials:
    """What a host keeps after pairing: its slot, its key, and the mask's pinned identity."""

    slot: int
    host_key: bytes = field(repr=False)
    mask_identity: bytes

    @property
    def fingerprint(self) -> str:
        """The pinned mask's identity fingerprint."""
        return fingerprint(self.mask_identity)


@dataclass(frozen=True, slots=True)
class PairingRequest:
    """The host's opening of a pairing exchange: a fresh key pair and nonce."""

    host_key: X25519PrivateKey = field(repr=False)
    host_nonce: bytes

    @classmethod
    def new(cls) -> PairingRequest:
        """Fresh key pair and nonce for one exchange."""
        return cls(X25519PrivateKey.generate(), random_nonce())

    def command(self) -> Pair:
        """The PAIR request."""
        return Pair(public_bytes(self.host_key), self.host_nonce)

    def exchange(self, offer: PairOffer) -> PairingExchange:
        """The exchange the mask's offer opens (ValueError for an invalid public key)."""
        transcript = PairingTranscript(
            public_bytes(self.host_key), self.host_nonce, offer.device_public, offer.device_nonce
        )
        shared = key_agreement(self.host_key, offer.device_public)
        return PairingExchange(offer, transcript, transcript.pairing_key(shared))


@dataclass(frozen=True, slots=True)
class PairingExchange:
    """An open pairing exchange: show `fingerprint` to the person, then confirm."""

    offer: PairOffer
    transcript: PairingTranscript
    pairing_key: bytes = field(repr=False)

    @property
    def fingerprint(self) -> str:
        """The identity fingerprint of the mask that answered (compare with its label)."""
        return fingerprint(self.offer.device_public)

    def confirm(self) -> PairConfirm:
        """The PAIR_CONFIRM request."""
        return PairConfirm(self.transcript.host_proof(self.pairing_key))

    def credentials(self, device_proof: bytes) -> HostCredentials | None:
        """What the host keeps, or None if the mask could not prove the pairing."""
        if not same(device_proof, self.transcript.device_proof(self.pairing_key)):
            return None
        return HostCredentials(
            self.offer.slot,
            slot_key(self.pairing_key, self.offer.slot),
            self.offer.device_public,
        )


# --- Authentication (per connection) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionKeys:
    """The keys of one authenticated connection."""

    host_to_mask: bytes = field(repr=False)
    mask_to_host: bytes = field(repr=False)
    confirm: bytes = field(repr=False)

    @classmethod
    def derive(
        cls,
        host_key: bytes,
        identity_secret: bytes,
        *,
        slot: int,
        host_nonce: bytes,
        device_nonce: bytes,
        ephemeral_public: bytes,
    ) -> SessionKeys:
        """HKDF(K_host || X25519(E_h, P_d), salt = Nh || Nd, info = label || slot || E_h)."""
        material = _hkdf(
            host_key + identity_secret,
            host_nonce + device_nonce,
            SESSION_KEY_LABEL + bytes((slot,)) + ephemeral_public,
            2 * _AEAD_KEY_LENGTH + _CONFIRM_KEY_LENGTH,
        )
        return cls(
            material[:_AEAD_KEY_LENGTH],
            material[_AEAD_KEY_LENGTH : 2 * _AEAD_KEY_LENGTH],
            material[2 * _AEAD_KEY_LENGTH :],
        )

    def device_proof(self, host_nonce: bytes, device_nonce: bytes) -> bytes:
        """What the mask answers AUTH_HELLO with: it holds the host key and its identity key."""
        return _proof(self.confirm, AUTH_DEVICE_PROOF_LABEL, host_nonce, device_nonce)

    def host_proof(self, host_nonce: bytes, device_nonce: bytes) -> bytes:
        """What the host sends in AUTH_FINISH."""
        return _proof(self.confirm, AUTH_HOST_PROOF_LABEL, device_nonce, host_nonce)


@dataclass(frozen=True, slots=True)
class AuthAttempt:
    """The host's side of one connection handshake with its credentials."""

    credentials: HostCredentials
    ephemeral: X25519PrivateKey = field(repr=False)
    host_nonce: bytes

    @classmethod
    def new(cls, credentials: HostCredentials) -> AuthAttempt:
        """A fresh ephemeral key and nonce for one connection."""
        return cls(credentials, X25519PrivateKey.generate(), random_nonce())

    def hello(self) -> AuthHello:
        """The AUTH_HELLO request."""
        return AuthHello(self.credentials.slot, self.host_nonce, public_bytes(self.ephemeral))

    def finish(self, offer: AuthOffer) -> tuple[AuthFinish, SecureLink] | None:
        """AUTH_FINISH and the host's link, or None if the mask proved neither key nor identity."""
        keys = SessionKeys.derive(
            self.credentials.host_key,
            key_agreement(self.ephemeral, self.credentials.mask_identity),
            slot=self.credentials.slot,
            host_nonce=self.host_nonce,
            device_nonce=offer.device_nonce,
            ephemeral_public=public_bytes(self.ephemeral),
        )
        if not same(offer.device_proof, keys.device_proof(self.host_nonce, offer.device_nonce)):
            return None
        finish = AuthFinish(keys.host_proof(self.host_nonce, offer.device_nonce))
        return finish, SecureLink.for_host(keys)


def _nonce(direction: bytes, counter: int) -> bytes:
    # 13 bytes: direction, counter, zero padding (each key seals one direction only anyway).
    return direction + struct.pack("<I", counter) + bytes(8)


class FrameSealer:
    """Seals outgoing frames of one direction: counter 1, 2, 3... and an 8-byte tag."""

    def __init__(self, key: bytes, direction: bytes) -> None:
        """Bind to the direction's session key."""
        self._aead = AESCCM(key, tag_length=TAG_LENGTH)
        self._direction = direction
        self.counter = 0

    def seal(self, frame: bytes) -> bytes:
        """frame || counter u32 || tag (AES-CCM over the whole plain frame and the counter)."""
        if self.counter >= MAX_COUNTER:
            raise OverflowError("counter exhausted: reconnect")
        self.counter += 1
        counter = struct.pack("<I", self.counter)
        tag = self._aead.encrypt(_nonce(self._direction, self.counter), b"", frame + counter)
        return frame + counter + tag


class FrameOpener:
    """Checks incoming sealed frames of one direction: valid tag, counter above the last one."""

    def __init__(self, key: bytes, direction: bytes) -> None:
        """Bind to the direction's session key."""
        self._aead = AESCCM(key, tag_length=TAG_LENGTH)
        self._direction = direction
        self.last_counter = 0

    def open(self, frame: bytes, trailer: bytes) -> bool:
        """True (and the counter moves on) only for an authentic, fresh frame."""
        if len(trailer) != TRAILER_LENGTH:
            return False
        counter_bytes, tag = trailer[:COUNTER_LENGTH], trailer[COUNTER_LENGTH:]
        (counter,) = struct.unpack("<I", counter_bytes)
        if counter <= self.last_counter:
            return False
        try:
            self._aead.decrypt(_nonce(self._direction, counter), tag, frame + counter_bytes)
        except InvalidTag:
            return False
        self.last_counter = counter
        return True


@dataclass(slots=True)
class SecureLink:
    """Both directions of one authenticated connection, from one side's point of view."""

    sealer: FrameSealer
    opener: FrameOpener

    @classmethod
    def for_host(cls, keys: SessionKeys) -> SecureLink:
        """The host seals host-to-mask frames and opens mask-to-host frames."""
        return cls(
            FrameSealer(keys.host_to_mask, HOST_TO_MASK),
            FrameOpener(keys.mask_to_host, MASK_TO_HOST),
        )

    def open(self, data: bytes, plain_length: int) -> bytes | None:
        """The plain bytes of an incoming sealed frame of plain_length, or None to drop it."""
        if len(data) != plain_length + TRAILER_LENGTH:
            return None
        plain, trailer = data[:-TRAILER_LENGTH], data[-TRAILER_LENGTH:]
        return plain if self.opener.open(plain, trailer) else None

    @classmethod
    def for_mask(cls, keys: SessionKeys) -> SecureLink:
        """The mask seals mask-to-host frames and opens host-to-mask frames."""
        return cls(
            FrameSealer(keys.mask_to_host, MASK_TO_HOST),
            FrameOpener(keys.host_to_mask, HOST_TO_MASK),
        )
