"""Every hex example in docs/protocol.md decodes with the reference codec."""

from __future__ import annotations

from pathlib import Path
import re

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
import pytest

from custom_components.pressure_mask.mask_ble.codec import (
    AuthFinish,
    AuthHello,
    AuthOffer,
    DeviceLimits,
    Heartbeat,
    Pair,
    PairConfirm,
    PairOffer,
    ReadSlots,
    Response,
    SetLimits,
    StartSession,
    Status,
    decode_command,
    decode_frame,
    parse_advertisement,
    parse_status,
)
from custom_components.pressure_mask.mask_ble.const import (
    MANUFACTURER_ID,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StatusFlags,
    Zone,
)
from custom_components.pressure_mask.mask_ble.routines import Step
from custom_components.pressure_mask.mask_ble.secure import (
    PairingTranscript,
    SecureLink,
    SessionKeys,
    fingerprint,
    key_agreement,
    public_bytes,
    slot_key,
)

DOC = Path(__file__).parents[2] / "docs" / "protocol.md"
EXAMPLE = re.compile(r"^(→|←|status:|adv:) ((?:[0-9a-f]{2} )*[0-9a-f]{2})", re.MULTILINE)
EXAMPLES = EXAMPLE.findall(DOC.read_text())


def test_the_document_has_examples() -> None:
    kinds = {kind for kind, _ in EXAMPLES}
    assert kinds == {"→", "←", "status:", "adv:"}
    assert len(EXAMPLES) > 35


@pytest.mark.parametrize(("kind", "hex_bytes"), EXAMPLES)
def test_example_decodes(kind: str, hex_bytes: str) -> None:
    data = bytes.fromhex(hex_bytes)
    match kind:
        case "→":
            frame = decode_frame(data)
            if frame.opcode in (0x7E, 0x11) and frame.payload:
                return  # the documented malformed requests
            if frame.opcode != 0x7E:
                decode_command(frame)
        case "←":
            Response.decode(data)
        case "status:":
            parse_status(data)
        case _:
            assert parse_advertisement({MANUFACTURER_ID: data}) is not None


def _hex(data: bytes) -> str:
    return " ".join(f"{byte:02x}" for byte in data)


def test_worked_security_example_is_what_the_primitives_produce() -> None:
    """Section 7's pairing, handshake and sealed frames, recomputed from its stated inputs.

    Every key, proof and tag in the document comes out of secure.py with the documented
    private keys and nonces, and both sides agree on every derivation.
    """
    identity = X25519PrivateKey.from_private_bytes(bytes(range(0x40, 0x60)))
    host_pairing = X25519PrivateKey.from_private_bytes(bytes(range(0x60, 0x80)))
    device_public, host_public = public_bytes(identity), public_bytes(host_pairing)
    transcript = PairingTranscript(
        host_public, bytes(range(0x20, 0x30)), device_public, bytes(range(0x10, 0x20))
    )
    pairing_key = transcript.pairing_key(key_agreement(host_pairing, device_public))
    assert pairing_key == transcript.pairing_key(key_agreement(identity, host_public))
    host_key = slot_key(pairing_key, 0)
    ephemeral = X25519PrivateKey.from_private_bytes(bytes(range(0x80, 0xA0)))
    host_nonce, device_nonce = bytes(range(0xA0, 0xB0)), bytes(range(0xB0, 0xC0))
    keys = SessionKeys.derive(
        host_key,
        key_agreement(ephemeral, device_public),
        slot=0,
        host_nonce=host_nonce,
        device_nonce=device_nonce,
        ephemeral_public=public_bytes(ephemeral),
    )
    assert keys == SessionKeys.derive(
        host_key,
        key_agreement(identity, public_bytes(ephemeral)),
        slot=0,
        host_nonce=host_nonce,
        device_nonce=device_nonce,
        ephemeral_public=public_bytes(ephemeral),
    )
    host, mask = SecureLink.for_host(keys), SecureLink.for_mask(keys)
    text = DOC.read_text()
    expected = [
        fingerprint(device_public),
        _hex(pairing_key),
        _hex(host_key),
        _hex(keys.host_to_mask),
        _hex(keys.mask_to_host),
        _hex(Pair(host_public, transcript.host_nonce).encode(1)),
        _hex(
            Response(
                Opcode.PAIR,
                1,
                ResultCode.SUCCESS,
                PairOffer(device_public, transcript.device_nonce, 0).encode(),
            ).encode()
        ),
        _hex(PairConfirm(transcript.host_proof(pairing_key)).encode(2)),
        _hex(
            Response(
                Opcode.PAIR_CONFIRM, 2, ResultCode.SUCCESS, transcript.device_proof(pairing_key)
            ).encode()
        ),
        _hex(AuthHello(0, host_nonce, public_bytes(ephemeral)).encode(3)),
        _hex(
            Response(
                Opcode.AUTH_HELLO,
                3,
                ResultCode.SUCCESS,
                AuthOffer(device_nonce, keys.device_proof(host_nonce, device_nonce)).encode(),
            ).encode()
        ),
        _hex(AuthFinish(keys.host_proof(host_nonce, device_nonce)).encode(4)),
        # The sealed part of the session, in counter order.
        _hex(host.sealer.seal(Heartbeat().encode(5))),
        _hex(mask.sealer.seal(Response(Opcode.HEARTBEAT, 5, ResultCode.SUCCESS).encode())),
        _hex(mask.sealer.seal(DOC_STATUS.encode())),
        _hex(host.sealer.seal(StartSession((DOC_STEP,), 600, await_button=True).encode(6))),
        _hex(mask.sealer.seal(Response(Opcode.START_SESSION, 6, ResultCode.SUCCESS).encode())),
        _hex(host.sealer.seal(StartSession((DOC_STEP,), 600, await_button=False).encode(7))),
        _hex(
            mask.sealer.seal(Response(Opcode.START_SESSION, 7, ResultCode.BUTTON_REQUIRED).encode())
        ),
        _hex(host.sealer.seal(SetLimits(DeviceLimits(35.0, 15.0, 20.0, 600, 1200)).encode(8))),
        _hex(mask.sealer.seal(Response(Opcode.SET_LIMITS, 8, ResultCode.AWAITING_BUTTON).encode())),
        _hex(host.sealer.seal(ReadSlots().encode(9))),
    ]
    for item in expected:
        assert item in text, item


DOC_STEP = Step(Zone.FOREHEAD, 25.0, 1.5, 4.0, 4.5, 5)
DOC_STATUS = Status(
    24.8,
    Phase.HOLDING,
    Zone.FOREHEAD,
    0,
    3,
    75,
    212,
    13,
    FaultCode.NONE,
    StatusFlags.SESSION_ACTIVE | StatusFlags.AUTHENTICATED | StatusFlags.PUMP_ON,
)
