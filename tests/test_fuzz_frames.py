"""Fuzzing of every parser of radio bytes: only ProtocolError subclasses may escape.

Two complementary runs, both scaled by PM_FUZZ_EXAMPLES (default 100,000):
- a seeded mutation campaign of PM_FUZZ_EXAMPLES inputs derived from valid frames, fed to every
  codec parser, the virtual mask's control point and the client's receive paths;
- a hypothesis test (PM_FUZZ_EXAMPLES / 50 examples) that draws the same mutations, so failures
  shrink to a minimal input.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.pressure_mask.mask_ble.codec import (
    CrcError,
    FrameError,
    decode_command,
    decode_frame,
    parse_status,
)

from .fuzz_frames import (
    ReceivePaths,
    command_frames,
    fix_crc,
    fix_length,
    fuzz_examples,
    mutate,
    parse_everything,
    run_mutation_campaign,
    seed_corpus,
)

CORPUS = seed_corpus()


def test_seed_corpus_is_valid() -> None:
    """The corpus starts from inputs the parsers accept, so mutations explore near them."""
    for frame in command_frames():
        decode_command(decode_frame(frame))
    assert any(len(data) == 15 and parse_status(data) for data in CORPUS)


def test_envelope_repair_reaches_the_payload_decoders() -> None:
    """A CRC fixup turns a corrupt frame into one the payload decoders see."""
    frame = bytearray(command_frames()[0])
    frame[0] ^= 0x40
    with pytest.raises(CrcError):
        decode_frame(bytes(frame))
    assert decode_frame(fix_crc(bytes(frame))).opcode == frame[0]
    longer = bytes(frame[:-2]) + b"\x00\x00\x00"
    with pytest.raises(FrameError):
        decode_frame(longer)
    decode_frame(fix_crc(fix_length(longer)))


def test_mutation_campaign_raises_only_protocol_errors() -> None:
    """PM_FUZZ_EXAMPLES mutated inputs: no unexpected exception, and most reach the decoders."""
    count = fuzz_examples()
    counters = run_mutation_campaign(count, seed=20260101)
    assert counters["inputs"] == count
    # Guard the fuzzer's own usefulness: if the mutations stopped producing valid envelopes,
    # the payload decoders would silently go unexercised.
    assert counters["valid_frames"] > count // 4
    assert counters["decoded_commands"] > count // 40
    assert counters["decoded_responses"] > count // 40
    assert counters["decoded_statuses"] > count // 50


@pytest.fixture(scope="module")
def receive_paths() -> ReceivePaths:
    """One mask and client for every hypothesis example (state carries over, as on a link)."""
    return ReceivePaths()


@settings(
    max_examples=max(200, fuzz_examples() // 50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(seed=st.integers(0, 2**32 - 1), base=st.sampled_from(CORPUS), rounds=st.integers(1, 3))
def test_hypothesis_mutations_raise_only_protocol_errors(
    receive_paths: ReceivePaths, seed: int, base: bytes, rounds: int
) -> None:
    """Hypothesis drives the mutator: a failure shrinks to a small seed and base frame."""
    rng = random.Random(seed)
    data = base
    for _ in range(rounds):
        data = mutate(rng, data, CORPUS)
        parse_everything(data)
        receive_paths.feed(data)
    receive_paths.run_clock(0.1)


@settings(max_examples=max(200, fuzz_examples() // 50), deadline=None, database=None)
@given(st.binary(max_size=64))
def test_raw_bytes_raise_only_protocol_errors(data: bytes) -> None:
    """Unstructured bytes, with and without a repaired envelope."""
    parse_everything(data)
    parse_everything(fix_crc(fix_length(data)))
