"""Every hex example in docs/protocol.md decodes with the reference codec."""

from __future__ import annotations

from pathlib import Path
import re

import pytest

from custom_components.pressure_mask.mask_ble.codec import (
    Response,
    decode_command,
    decode_frame,
    parse_advertisement,
    parse_status,
)
from custom_components.pressure_mask.mask_ble.const import MANUFACTURER_ID

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
