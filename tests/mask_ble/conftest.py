"""Fixtures: a virtual mask and a client connected to it through the bleak backend."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
import pytest

from custom_components.pressure_mask.mask_ble.client import MaskClient
from custom_components.pressure_mask.mask_ble.codec import (
    FACTORY_LIMITS,
    AuthOffer,
    Command,
    Heartbeat,
    Response,
    StartSession,
    Status,
    decode_frame,
)
from custom_components.pressure_mask.mask_ble.const import ResultCode
from custom_components.pressure_mask.mask_ble.secure import (
    AuthAttempt,
    HostCredentials,
    SecureLink,
)
from devtools.virtual_mask import (
    VirtualMask,
    VirtualMaskBackend,
    unregister_virtual_mask,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from custom_components.pressure_mask.mask_ble.routines import Step

ADDRESS = "AA:BB:CC:DD:EE:01"
KEY = bytes(range(32))
# A fixed identity, so recorded frames and docs examples are reproducible.
IDENTITY = X25519PrivateKey.from_private_bytes(bytes(range(0x40, 0x60)))


async def settle() -> None:
    """Let queued notifications reach the client."""
    for _ in range(5):
        await asyncio.sleep(0)


async def advance(mask: VirtualMask, seconds: float) -> None:
    """Move the mask clock in heartbeat-sized slices, delivering notifications in between."""
    remaining = seconds
    while remaining > 0:
        step = min(0.5, remaining)
        mask.advance(step)
        remaining -= step
        await settle()


@pytest.fixture
def mask() -> Iterator[VirtualMask]:
    """A registered virtual mask that paired this host in slot 0 earlier."""
    virtual = VirtualMask(ADDRESS, identity_key=IDENTITY)
    virtual.add_host(0, KEY)
    # Most device rules are tested on starts without the button (the person allowed that at
    # the mask earlier); tests of the button rule use the factory setting.
    virtual.limits = replace(FACTORY_LIMITS, require_button=False)
    yield virtual
    unregister_virtual_mask(virtual)


@pytest.fixture
def credentials(mask: VirtualMask) -> HostCredentials:
    """This host's credentials for the mask."""
    return HostCredentials(0, KEY, mask.identity_public)


@pytest.fixture
def statuses() -> list[Status]:
    """Statuses the client reported."""
    return []


@pytest.fixture
async def client(
    mask: VirtualMask, statuses: list[Status], credentials: HostCredentials
) -> AsyncIterator[MaskClient]:
    """A connected, not yet authenticated client."""
    mask_client = MaskClient(
        mask.ble_device(),
        credentials=credentials,
        on_status=statuses.append,
        response_timeout_s=0.5,
        heartbeat_interval_s=3600,
        client_kwargs={"backend": VirtualMaskBackend},
    )
    await mask_client.connect()
    yield mask_client
    await mask_client.disconnect()


@pytest.fixture
async def authed(client: MaskClient) -> MaskClient:
    """A connected, authenticated client."""
    await client.authenticate()
    return client


class DirectHost:
    """Drives a VirtualMask's control point without a link, for device-side rule tests."""

    def __init__(self, mask: VirtualMask, slot: int = 0, key: bytes = KEY) -> None:
        """Bind to a mask, as the host of a slot."""
        self.mask = mask
        self.slot = slot
        self.key = key
        self.seq = 0
        self.secure: SecureLink | None = None

    def send(self, command: Command) -> Response:
        """Write one request (sealed once authenticated) and return the mask's answer."""
        self.seq = (self.seq + 1) & 0xFF
        frame = command.encode(self.seq)
        if self.secure is not None:
            frame = self.secure.sealer.seal(frame)
        answer = self.write(frame)
        assert answer is not None, "the mask did not answer"
        return answer

    def write(self, frame: bytes) -> Response | None:
        """Write raw bytes; the mask's answer (checked if sealed), or None if it dropped them."""
        before = len(self.mask.sent_frames)
        self.mask.write_control_point(frame)
        if len(self.mask.sent_frames) == before:
            return None
        assert len(self.mask.sent_frames) == before + 1
        answer = decode_frame(self.mask.sent_frames[-1])
        if self.secure is not None:
            assert self.secure.opener.open(answer.plain, answer.trailer)
        return Response.from_frame(answer)

    def authenticate(self) -> None:
        """The version 2 handshake with this slot's key."""
        attempt = AuthAttempt.new(HostCredentials(self.slot, self.key, self.mask.identity_public))
        hello = self.send(attempt.hello())
        assert hello.result is ResultCode.SUCCESS
        finished = attempt.finish(AuthOffer.decode(hello.payload))
        assert finished is not None, "the mask did not prove key and identity"
        finish, secure = finished
        assert self.send(finish).result is ResultCode.SUCCESS
        self.secure = secure

    def start(
        self, *steps: Step, max_duration_s: int = 600, await_button: bool = False
    ) -> ResultCode:
        """Start a session made of steps."""
        return self.send(StartSession(steps, max_duration_s, await_button)).result

    def run(self, seconds: float) -> None:
        """Advance the clock while heartbeating every second."""
        remaining = seconds
        while remaining > 0:
            step = min(1.0, remaining)
            self.mask.advance(step)
            remaining -= step
            self.send(Heartbeat())


@pytest.fixture
def host(mask: VirtualMask) -> DirectHost:
    """An authenticated direct host."""
    direct = DirectHost(mask)
    direct.authenticate()
    return direct
