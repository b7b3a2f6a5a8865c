"""Property tests: what an attacker can build from a recorded version 2 session is never executed.

A recorded session (sealed frames of an authenticated host) is mutated (bit flips, truncation,
extension, splicing), replayed and reordered, and written to the mask on the same live link.
Nothing built that way is accepted as a command, except STOP and VENT, which the mask takes
from anyone by design. Frames prepared but not yet sent are only ever accepted byte for byte as
the host sealed them, each at most once, in counter order.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.pressure_mask.mask_ble.codec import (
    FACTORY_LIMITS,
    Command,
    Heartbeat,
    ReadLimits,
    ReadStatus,
    SetLimits,
    StartSession,
    Stop,
    Vent,
    decode_frame,
)
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import Step
from devtools.virtual_mask import VirtualMask, unregister_virtual_mask

from .conftest import KEY, DirectHost

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STEP = Step(Zone.FOREHEAD, 25.0, 1.0, 4.0, 2.0, 2)
SESSION: tuple[Command, ...] = (
    ReadStatus(),
    ReadLimits(),
    SetLimits(replace(FACTORY_LIMITS, require_button=False)),
    StartSession((STEP,), 600, await_button=False),
    Heartbeat(),
    Heartbeat(),
    Stop(),
    StartSession((STEP,), 600, await_button=True),
    Heartbeat(),
    Stop(),
)
SAFE_ANYWAY = (Stop, Vent)


def authenticated_mask() -> tuple[VirtualMask, DirectHost]:
    """A mask with this host paired and authenticated (no radio link: nothing drops it)."""
    mask = VirtualMask("FE:ED:00:00:00:09")
    mask.add_host(0, KEY)
    host = DirectHost(mask)
    host.authenticate()
    return mask, host


def recorded_session() -> tuple[VirtualMask, DirectHost, list[bytes]]:
    """Run the session; return the mask, the host, and the sealed frames it wrote."""
    mask, host = authenticated_mask()
    start = len(mask.written_frames)
    for command in SESSION:
        host.send(command)
        mask.advance(0.5)
    return mask, host, mask.written_frames[start:]


mutation = st.tuples(
    st.sampled_from(("replay", "flip", "truncate", "extend", "splice")),
    st.integers(0, len(SESSION) - 1),
    st.integers(0, 10_000),
    st.binary(min_size=1, max_size=16),
)


def mutate(frames: list[bytes], operation: tuple[str, int, int, bytes]) -> bytes:
    """One attacker-built input from the recorded frames."""
    kind, index, position, extra = operation
    frame = frames[index]
    match kind:
        case "replay":
            return frame
        case "flip":
            at = position % len(frame)
            return frame[:at] + bytes((frame[at] ^ (1 << (position % 8)),)) + frame[at + 1 :]
        case "truncate":
            return frame[: position % len(frame)]
        case "extend":
            return frame + extra
        case _:
            other = frames[(index + 1 + position) % len(frames)]
            cut = position % min(len(frame), len(other))
            return frame[:cut] + other[cut:]


def executed(mask: VirtualMask, data: bytes) -> list[Command]:
    """The commands the mask accepted from writing data."""
    before = len(mask.received)
    mask.write_control_point(data)
    return mask.received[before:]


@SETTINGS
@given(st.lists(mutation, min_size=1, max_size=25))
def test_nothing_built_from_a_recorded_session_is_executed(
    operations: list[tuple[str, int, int, bytes]],
) -> None:
    mask, _host, frames = recorded_session()
    try:
        for operation in operations:
            for command in executed(mask, mutate(frames, operation)):
                assert isinstance(command, SAFE_ANYWAY), command
                assert not decode_frame(mask.written_frames[-1]).sealed
            assert not mask.session_active
    finally:
        unregister_virtual_mask(mask)


@SETTINGS
@given(st.permutations(range(len(SESSION))), st.lists(mutation, max_size=10))
def test_unsent_frames_are_accepted_only_as_sealed_in_counter_order(
    order: list[int], operations: list[tuple[str, int, int, bytes]]
) -> None:
    mask, host = authenticated_mask()
    try:
        assert host.secure is not None
        prepared = [
            host.secure.sealer.seal(command.encode(seq))
            for seq, command in enumerate(SESSION, start=1)
        ]
        delivered = [prepared[index] for index in order]
        delivered += [mutate(prepared, operation) for operation in operations]
        last_counter = 0
        for data in delivered:
            for command in executed(mask, data):
                if data in prepared:
                    counter = prepared.index(data) + 1
                    assert counter > last_counter  # never twice, never out of order
                    last_counter = counter
                else:
                    assert isinstance(command, SAFE_ANYWAY), command
    finally:
        unregister_virtual_mask(mask)


def test_a_recorded_session_does_not_replay_on_a_new_connection() -> None:
    """The same frames against the next connection's keys: nothing at all."""
    mask, _host, frames = recorded_session()
    try:
        mask.factory_reset()
        mask.add_host(0, KEY)
        DirectHost(mask).authenticate()  # a new connection, new nonces and keys
        for data in frames:
            accepted = executed(mask, data)
            assert all(isinstance(command, SAFE_ANYWAY) for command in accepted)
            assert not accepted or not decode_frame(data).sealed
        assert not mask.session_active
    finally:
        unregister_virtual_mask(mask)
