"""Fixtures: a virtual mask and a client connected to it through the bleak backend."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from custom_components.pressure_mask.mask_ble.client import MaskClient
from custom_components.pressure_mask.mask_ble.codec import Status
from custom_components.pressure_mask.mask_ble.virtual import (
    VirtualMask,
    VirtualMaskBackend,
    unregister_virtual_mask,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

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
