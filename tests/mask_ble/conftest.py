"""Fixtures: a virtual mask and a client connected to it through the bleak backend."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from custom_components.pressure_mask.mask_ble.client import MaskClient
from custom_components.pressure_mask.mask_ble.codec import (
    AuthChallenge,
    Authenticate,
    Command,
    Heartbeat,
    Response,
    StartSession,
    Status,
    host_proof,
)
from custom_components.pressure_mask.mask_ble.const import ResultCode
from devtools.virtual_mask import (
    VirtualMask,
    VirtualMaskBackend,
    unregister_virtual_mask,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from custom_components.pressure_mask.mask_ble.routines import Step

ADDRESS = "AA:BB:CC:DD:EE:01"
KEY = bytes(range(16))


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
    """A registered virtual mask with a known key."""
    virtual = VirtualMask(ADDRESS, key=KEY)
    yield virtual
    unregister_virtual_mask(virtual)


@pytest.fixture
def statuses() -> list[Status]:
    """Statuses the client reported."""
    return []


@pytest.fixture
async def client(mask: VirtualMask, statuses: list[Status]) -> AsyncIterator[MaskClient]:
    """A connected, not yet authenticated client."""
    mask_client = MaskClient(
        mask.ble_device(),
        key=KEY,
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

    def __init__(self, mask: VirtualMask) -> None:
        """Bind to a mask."""
        self.mask = mask
        self.seq = 0

    def send(self, command: Command) -> Response:
        """Write one request and return the mask's answer."""
        self.seq = (self.seq + 1) & 0xFF
        before = len(self.mask.sent_frames)
        self.mask.write_control_point(command.encode(self.seq))
        assert len(self.mask.sent_frames) == before + 1
        return Response.decode(self.mask.sent_frames[-1])

    def authenticate(self) -> None:
        """Authenticate with the mask's key."""
        nonce = self.send(AuthChallenge()).payload
        host_nonce = bytes(16)
        response = self.send(Authenticate(host_nonce, host_proof(self.mask.key, nonce, host_nonce)))
        assert response.result is ResultCode.SUCCESS

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
